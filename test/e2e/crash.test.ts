import { Conversation, onlyCard, texts } from '../support/botClient';
import { failedStart, killHard, startBotProcess, type BotProcess } from '../support/botProcess';
import { findButton, textOf } from '../support/cards';
import { LoopbackConnector } from '../support/loopbackConnector';
import { temporaryDataDir } from '../support/testApp';

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
    const text = `${textOf(first.card)}\n${textOf(second.card)}`;
    return new RegExp(`OCP solution ID ${solutionId} · PartnerID \\d+\\n([^\\n]+)`).exec(text)?.[1];
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

  test.each([
    [{ PORT: 'eighty' }, /PORT: must be a port number/],
    [
      { MicrosoftAppId: '3f2504e0-4f89-11d3-9a0c-0305e82c3301' },
      /MicrosoftAppPassword: required for MicrosoftAppType MultiTenant/,
    ],
  ])('bad settings %j stop the start with exit code 2 and name the problem', async (env, message) => {
    const { code, stderr } = await failedStart({ DATA_DIR: temporaryDataDir(), ...env });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
