import { Conversation } from '../support/botClient';
import { LoopbackConnector } from '../support/loopbackConnector';
import { startTestApp, type TestApp } from '../support/testApp';
import { waitFor } from '../support/waitFor';

/**
 * The demo's certification showcase begins with the first turn, not at start: a newcomer who
 * connects minutes after `npm start` still sees the offers go through certification.
 */
describe('the demo certification simulator', () => {
  let connector: LoopbackConnector;
  let bot: TestApp | undefined;
  beforeAll(async () => {
    connector = await LoopbackConnector.start();
  });
  afterAll(async () => {
    await bot?.app.close();
    await connector.close();
  });

  test('waits for someone to talk to the bot, then steps', async () => {
    const logLines: string[] = [];
    bot = await startTestApp({ env: { CERTIFICATION_SIMULATOR_SECONDS: '0.05' }, logLines });
    const steps = (): string[] => logLines.filter((line) => line.includes('simulated certification step'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(steps()).toEqual([]);

    await new Conversation(bot.app.url, connector, { userId: 'demo-manager' }).say('hi');
    await waitFor(() => steps().length >= 2);
    expect(logLines.filter((line) => line.includes('started by the first turn'))).toHaveLength(1);
  });
});
