import { Conversation, onlyCard, postJson, texts } from '../support/botClient';
import { failedStart, killHard, startBotProcess, type BotProcess } from '../support/botProcess';
import { findButton, listedStatus, textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { temporaryDataDir } from '../support/testApp';
import { settle } from '../support/waitFor';
import { WebhookReceiver } from '../support/webhookReceiver';

const FLEET = 'OCP-1042173';
const GATEWAY = 'OCP-1042188';

describe('the compiled bot as a process', () => {
  let connector: LoopbackConnector;
  let bot: BotProcess | undefined;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(async () => {
    if (bot) await killHard(bot);
    bot = undefined;
    await connector.close();
  });

  async function statusLine(user: Conversation, solutionId: string): Promise<string | undefined> {
    const first = onlyCard(await user.say('solutions'));
    const second = onlyCard(
      await user.press(findButton(first.card, 'listSolutions', { page: 2 })!.data, first.delivery.activityId),
    );
    return listedStatus(first.card, solutionId) ?? listedStatus(second.card, solutionId);
  }

  test('an acknowledged discard, and a confirmation in progress, survive kill -9', async () => {
    const dataDir = temporaryDataDir();
    bot = await startBotProcess({ DATA_DIR: dataDir });
    const user = new Conversation(bot.url, connector, { userId: 'demo-manager', conversationId: 'crash-1' });
    expect(texts(await user.press({ verb: 'confirmDiscard', solutionId: FLEET })).join(' ')).toMatch(/is discarded/);
    expect(textOf(onlyCard(await user.press({ verb: 'chooseDiscard', solutionId: GATEWAY })).card)).toContain(
      'Discard this solution?',
    );

    await killHard(bot);
    bot = await startBotProcess({ DATA_DIR: dataDir });

    const again = new Conversation(bot.url, connector, { userId: 'demo-manager', conversationId: 'crash-1' });
    expect(await statusLine(again, FLEET)).toBe('Discarded');
    expect(texts(await again.say('yes')).join(' ')).toMatch(/is discarded/);
    expect(await statusLine(again, GATEWAY)).toBe('Discarded');
    expect(connector.cardProblems).toEqual([]);
  });

  test('a merge begun before kill -9 continues after the restart', async () => {
    const dataDir = temporaryDataDir();
    bot = await startBotProcess({ DATA_DIR: dataDir });
    const user = new Conversation(bot.url, connector, { userId: 'demo-manager', conversationId: 'crash-merge' });
    const form = onlyCard(await user.press({ verb: 'selectOffer', solutionId: FLEET, offerId: 'contoso.crm-connect' }));
    expect(textOf(form.card)).toContain('Action 2 of 2');

    await killHard(bot);
    bot = await startBotProcess({ DATA_DIR: dataDir });

    const again = new Conversation(bot.url, connector, { userId: 'demo-manager', conversationId: 'crash-merge' });
    expect(texts(await again.say('submit')).join(' ')).toMatch(
      /Merge requested for “Contoso Fleet Telematics”\. Request ID: MR-/,
    );
    expect(await statusLine(again, FLEET)).toBe('Merge requested');
  });

  test('a merge request acknowledged before kill -9 reaches the webhook after the restart', async () => {
    const dataDir = temporaryDataDir();
    const secret = 'a-shared-secret-of-at-least-32-characters';
    const down = await WebhookReceiver.start(secret, Array(50).fill(503));
    const env = { DATA_DIR: dataDir, SUPPORT_DELIVERY: 'webhook', SUPPORT_WEBHOOK_URL: down.url, SUPPORT_WEBHOOK_SECRET: secret };
    bot = await startBotProcess(env);
    const user = new Conversation(bot.url, connector, { userId: 'demo-manager' });
    const submitted = await user.press({
      verb: 'submitMerge',
      solutionId: FLEET,
      offerType: 'saas',
      offerName: 'Contoso CRM Connect',
      ocpSolutionId: FLEET,
      listingUrl: 'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
    });
    const requestId = /Request ID: (MR-\d{8}-\w{5})/.exec(texts(submitted).join(' '))?.[1];
    await killHard(bot);
    const port = Number(new URL(down.url).port);
    await down.close();

    const up = await WebhookReceiver.start(secret, [], port);
    try {
      bot = await startBotProcess(env);
      await settle(() => up.received.length > 0, 10_000);
      expect(up.received).toEqual([expect.objectContaining({ verified: true, body: expect.objectContaining({ requestId }) })]);
    } finally {
      await up.close();
    }
  });

  test('a certification change accepted just before kill -9 reaches the channel after the restart', async () => {
    const dataDir = temporaryDataDir();
    const env = { DATA_DIR: dataDir, CERTIFICATION_SIMULATOR: 'off' };
    const channelId = '19:launch@thread.tacv2';
    bot = await startBotProcess(env);
    const teams = await LoopbackConnector.start();
    const port = Number(new URL(teams.url).port);
    try {
      const channel = new Conversation(bot.url, teams, {
        userId: 'demo-manager',
        conversationId: channelId,
        conversationType: 'channel',
        channelId: 'msteams',
      });
      const subscribed = await channel.send({
        type: 'message',
        text: '<at>Migration bot</at> subscribe',
        entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: 'migration-bot' } }],
      });
      expect(texts(subscribed).join(' ')).toMatch(/now hears about/);
    } finally {
      await teams.close();
    }

    const accepted = await postJson(
      `${bot.url}/api/notifications/certification`,
      { offerId: 'contoso.energy-analytics', status: 'live' },
      { authorization: 'Bearer dev-notify-token' },
    );
    expect(accepted.status).toBe(202);
    await killHard(bot);

    const back = await LoopbackConnector.start({}, port);
    try {
      bot = await startBotProcess(env);
      await settle(() => back.deliveries.length > 0, 10_000);
      expect(back.deliveries.map((delivery) => delivery.conversationId)).toEqual([channelId]);
      expect(textOf(onlyCard(back.deliveries).card)).toMatch(/Contoso Energy Analytics: Live/);
    } finally {
      await back.close();
    }
  });

  test.each([
    [{ PORT: 'eighty' }, /PORT: must be a port number/],
    [
      { MicrosoftAppId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' },
      /MicrosoftAppPassword: required for MicrosoftAppType MultiTenant/,
    ],
    [{ DATABASE_URL: 'mysql://127.0.0.1/test' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    // Nothing listens on port 1: the start stops at once, naming the database, not after a timeout.
    [
      { DATABASE_URL: 'postgres://127.0.0.1:1/test' },
      /PostgreSQL at 127\.0\.0\.1:1\/test cannot be used: the connection was refused/,
    ],
  ])('bad settings %j stop the start with exit code 2 and name the problem', async (env, message) => {
    const { code, stderr } = await failedStart({ DATA_DIR: temporaryDataDir(), ...env });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
