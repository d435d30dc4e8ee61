import { ActivityTypes, INVOKE_RESPONSE_KEY, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { linkGuard } from '../../bot/linkGuard';
import { createLogger } from '../../bot/logger';

const CARD = 'application/vnd.microsoft.card.adaptive';
const card = {
  type: 'AdaptiveCard',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'Certification' }],
  actions: [
    { type: 'Action.OpenUrl', title: 'Report', url: 'https://user:secret@partner.microsoft.com/r' },
    { type: 'Action.OpenUrl', title: 'Partner Center', url: 'https://partner.microsoft.com/dashboard' },
  ],
};

/** Every way a turn can put a card on the screen passes the guard: send, update and invoke response. */
describe('the link guard on turns', () => {
  const lines: string[] = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(line) });
  beforeEach(() => {
    lines.length = 0;
  });

  async function run(logic: (context: TurnContext) => Promise<void>): Promise<Partial<Activity>[]> {
    const adapter = new TestAdapter(logic);
    adapter.use(linkGuard([], log));
    await adapter.send('hi');
    return adapter.activeQueue;
  }

  test.each<[string, (context: TurnContext) => Promise<unknown>, (sent: Partial<Activity>[], context: TurnContext) => unknown]>([
    [
      'a new message',
      (context) => context.sendActivity({ attachments: [{ contentType: CARD, content: card }] }),
      (sent) => sent[0],
    ],
    [
      'an invoke response',
      (context) => context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { value: card } } }),
      (_sent, context) => context.turnState.get(INVOKE_RESPONSE_KEY),
    ],
  ])('%s keeps its good links and loses the bad one, which is logged without the URL', async (_label, send, sentOf) => {
    let seen: unknown;
    const sent = await run(async (context) => {
      await send(context);
      seen = sentOf([], context);
    });
    const delivered = JSON.stringify(seen ?? sent[0]);
    expect(delivered).toContain('https://partner.microsoft.com/dashboard');
    expect(delivered).not.toContain('secret');
    const logged = lines.map((line): unknown => JSON.parse(line));
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'links left off a card',
        refused: [{ host: 'partner.microsoft.com', problem: 'must not carry a user name or password' }],
      }),
    ]);
    expect(lines.join('\n')).not.toContain('secret');
  });

  test('an updated card is guarded too', async () => {
    const updates: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      await context.updateActivity({ id: 'card-1', type: 'message', attachments: [{ contentType: CARD, content: card }] });
    });
    adapter.updateActivity = async (_context, activity) => {
      updates.push(activity);
    };
    adapter.use(linkGuard([], log));
    await adapter.send('hi');
    expect(JSON.stringify(updates)).not.toContain('secret');
    expect(JSON.stringify(updates)).toContain('https://partner.microsoft.com/dashboard');
  });
});
