import { Conversation, postJson } from '../support/botClient';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp } from '../support/testApp';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';

describe('hosting', () => {
  let connector: LoopbackConnector;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(() => connector.close());

  test('logs each turn as JSON with its ids, and never the message text', async () => {
    const lines: string[] = [];
    const bot = await startTestApp({ logLines: lines });
    try {
      const user = new Conversation(bot.app.url, connector, { userId: 'demo-manager', conversationId: 'logged-conversation' });
      await user.say('my customer Fabrikam pays 1.2M a year');
    } finally {
      await bot.app.close();
    }
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        msg: 'turn',
        conversationId: 'logged-conversation',
        activityType: 'message',
        activityId: expect.stringMatching(/.+/),
      }),
    );
    expect(lines.join('\n')).not.toContain('Fabrikam');
  });

  test('with a bot identity, a request without a token is refused 401 and nothing is sent', async () => {
    const bot = await startTestApp({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 'not-a-real-secret',
        HOST: '127.0.0.1',
        // Nothing listens there: the keys the bot fetches at start stay on this machine.
        ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:9/channel/.well-known/openidconfiguration',
        ToBotFromEmulatorOpenIdMetadataUrl: 'http://127.0.0.1:9/emulator/.well-known/openid-configuration',
      },
    });
    try {
      expect(bot.config.mode).toBe('production');
      const user = new Conversation(bot.app.url, connector, { userId: 'demo-manager' });
      const result = await postJson(`${bot.app.url}/api/messages`, user.activity({ type: 'message', text: 'solutions' }));
      expect(result.status).toBe(401);
      expect(result.body).not.toContain('not-a-real-secret');
      expect(connector.deliveries).toEqual([]);
    } finally {
      await bot.app.close();
    }
  });
});
