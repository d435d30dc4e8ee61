import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ACTION_SCHEMAS } from '../../cards/actions';
import { DEMO_OFFERS, DEMO_SOLUTIONS } from '../../store/demo/demoData';
import { openDatabase } from '../../store/sqlite/database';
import { startBotProcess, stopBot, type BotProcess } from '../support/botProcess';
import { fuzzRuns } from '../support/fuzzRuns';
import { LocalEntra } from '../support/localEntra';
import {
  LocalOpenIdProvider,
  channelClaims,
  corruptSignature,
  emulatorClaims,
  signToken,
  unsignedToken,
} from '../support/localIdentity';
import { LoopbackConnector } from '../support/loopbackConnector';
import { APP_ID, APP_SECRET, postActivity, productionEnv, seededDataDir } from '../support/productionBot';

/** Fixed, so that a failure is found again by the same run; fast-check prints the case. */
const SEED = 20_261_121;
/** A few thousand by default; FUZZ_RUNS sets more (test/support/fuzzRuns.ts). */
const RUNS = fuzzRuns(2000);

/** Users of the demo partner whose role may not change anything, and someone who is not a member at all. */
const MAY_NOT_ACT = ['demo-marketer', 'demo-business', 'demo-finance', 'stranger-29:1a2b'];

/** Everything of the migration a user who may not act must leave as it was. */
function migrationState(dataDir: string): Record<string, unknown> {
  const db = openDatabase({ location: dataDir });
  try {
    const all = (sql: string): unknown[] => db.prepare(sql).all();
    return {
      solutions: all(
        'SELECT id, status, version, status_changed_at, awaited_offer_id, awaited_offer_name FROM solutions ORDER BY id',
      ),
      audit: all('SELECT count(*) AS n FROM audit_entries'),
      supportRequests: all('SELECT id, state, info_needed, completed_at FROM support_requests ORDER BY id'),
      watchers: all('SELECT solution_id, user_id FROM new_offer_watchers ORDER BY solution_id'),
      changes: all('SELECT count(*) AS n FROM certification_changes'),
      offers: all('SELECT id, publishing_state, listing_url FROM offers ORDER BY id'),
      supportJobs: all("SELECT count(*) AS n FROM outbox WHERE kind IN ('supportRequest', 'requesterNotice', 'offerLiveNotice')"),
    };
  } finally {
    db.close();
  }
}

const solutionIds = [...DEMO_SOLUTIONS.map((solution) => solution.id), 'MR-DEMO-00001'];
const offerIds = DEMO_OFFERS.map((offer) => offer.id);
const verbs = [...Object.keys(ACTION_SCHEMAS), 'deleteEverything', '__proto__', 'constructor', ''];

/** Strings an attacker reaches for, beside random ones. */
const nasty = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '${solutionId}',
    '{{verb}}',
    '<at>Migration bot</at> solutions',
    'DROP TABLE solutions;--',
    "' OR 1=1 --",
    '../../etc/passwd',
    'javascript:alert(1)',
    'https://partner.microsoft.com@evil.example/x',
    '\u0000',
    '\u202e',
    '𝕊𝕠𝕝𝕦𝕥𝕚𝕠𝕟𝕤',
    'solutions\nconfirmDiscard',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

const commands = fc.constantFrom(
  'solutions',
  'help',
  'cancel',
  'subscribe',
  'unsubscribe',
  'status',
  'merge',
  'new offer',
  'discard',
  'yes',
  'no',
  'submit',
  'language ko',
  '솔루션',
  '폐기',
  '네',
);

const page = fc.oneof(fc.integer({ min: -5, max: 2_000_000 }), fc.double(), fc.constantFrom('2', 'NaN', '1e9', null, [1], {}));

/** A card's data as it might come back: the contract's verbs with good, bad or missing fields. */
const cardData = fc.record(
  {
    verb: fc.constantFrom(...verbs),
    solutionId: fc.oneof(fc.constantFrom(...solutionIds), nasty, fc.integer()),
    offerId: fc.oneof(fc.constantFrom(...offerIds), nasty),
    requestId: fc.oneof(fc.constant('MR-DEMO-00001'), nasty),
    page,
    origin: fc.constantFrom('list', 'solution', 'elsewhere'),
    offerType: nasty,
    offerName: nasty,
    ocpSolutionId: fc.oneof(fc.constantFrom(...solutionIds), nasty),
    listingUrl: fc.oneof(fc.constant('https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect'), nasty),
    infoNeeded: nasty,
    extra: fc.anything({ maxDepth: 2 }),
  },
  { requiredKeys: ['verb'] },
);

/**
 * A press that would change something for a user who may act: the verbs that discard, undo, merge,
 * wait for an offer, or act for partner support, with ids that exist. Half the cases carry one, so
 * that a role check that let a user through would show in the store (a Manager in their place does).
 */
const press = fc.record({
  verb: fc.constantFrom(
    'confirmDiscard',
    'undoDiscard',
    'chooseNoSimilarOffer',
    'chooseDiscard',
    'chooseMerge',
    'selectOffer',
    'useListingUrl',
    'submitMerge',
    'beginMigration',
    'setAwaitedOffer',
    'chooseAwaitedOffer',
    'completeMerge',
    'requestInfo',
  ),
  solutionId: fc.constantFrom(...DEMO_SOLUTIONS.map((solution) => solution.id)),
  offerId: fc.constantFrom(...offerIds),
  offerType: fc.constantFrom('saas', 'azureApplication', 'powerBiApp'),
  offerName: fc.constantFrom('Contoso CRM Connect', 'Contoso Analytics Hub'),
  ocpSolutionId: fc.constantFrom(...DEMO_SOLUTIONS.map((solution) => solution.id)),
  listingUrl: fc.constantFrom(...DEMO_OFFERS.flatMap((offer) => (offer.listingUrl ? [offer.listingUrl] : []))),
  requestId: fc.constant('MR-DEMO-00001'),
  infoNeeded: fc.constant('Please send the offer id.'),
  awaitedOfferId: fc.constantFrom(...offerIds),
  awaitedOfferName: fc.constantFrom('Contoso Retail Insights', ''),
  clear: fc.boolean(),
});

const conversation = fc.record({
  id: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('fuzz-personal', 'fuzz-group', '19:fuzz@thread.tacv2') },
    { weight: 1, arbitrary: nasty.filter((id) => id.length > 0) },
  ),
  conversationType: fc.constantFrom('personal', 'personal', 'personal', 'channel', 'groupChat', 'unknown'),
  isGroup: fc.boolean(),
  tenantId: fc.constantFrom('tenant-1', 'tenant-2'),
});

const channelData = fc.option(
  fc.record({
    tenant: fc.record({ id: fc.constantFrom('tenant-1', 'tenant-2') }),
    team: fc.option(fc.record({ id: fc.constantFrom('19:team@thread.tacv2', '') })),
    channel: fc.option(fc.record({ id: fc.constantFrom('19:fuzz@thread.tacv2') })),
    eventType: fc.constantFrom('teamMemberAdded', 'teamMemberRemoved', 'channelDeleted', 'teamDeleted', 'bogus'),
  }),
);

type TokenKind = 'channel' | 'emulator' | 'none' | 'garbage' | 'unsigned' | 'corrupted' | 'otherApp';

/** One hostile activity, with the token it comes with. */
const hostile = fc.record({
  token: fc.constantFrom<TokenKind>(
    'channel',
    'channel',
    'channel',
    'channel',
    'channel',
    'emulator',
    'emulator',
    'none',
    'garbage',
    'unsigned',
    'corrupted',
    'otherApp',
  ),
  channelId: fc.constantFrom('msteams', 'emulator', 'webchat', 'directline'),
  type: fc.constantFrom(
    'message',
    'message',
    'message',
    'message',
    'message',
    'invoke',
    'invoke',
    'invoke',
    'conversationUpdate',
    'installationUpdate',
    'messageReaction',
    'typing',
    'x',
  ),
  name: fc.constantFrom(
    'adaptiveCard/action',
    'adaptiveCard/action',
    'adaptiveCard/action',
    'adaptiveCard/action',
    'composeExtension/query',
    'task/fetch',
    'signin/verifyState',
    'fileConsent/invoke',
    'bogus',
  ),
  action: fc.constantFrom('add', 'remove', 'bogus'),
  from: fc.constantFrom(...MAY_NOT_ACT),
  text: fc.option(fc.oneof(commands, nasty)),
  value: fc.option(fc.oneof({ weight: 3, arbitrary: press }, { weight: 2, arbitrary: cardData })),
  replyToId: fc.option(fc.oneof(fc.constant('bot-activity-1'), nasty)),
  locale: fc.option(fc.oneof(fc.constantFrom('en-US', 'ko-KR', 'ko', 'xx'), nasty)),
  localTimezone: fc.option(fc.oneof(fc.constantFrom('Asia/Seoul', 'Mars/Olympus'), nasty)),
  conversation,
  channelData,
  membersAdded: fc.option(fc.array(fc.record({ id: fc.constantFrom(`28:${APP_ID}`, 'demo-marketer', 'x') }), { maxLength: 3 })),
  mention: fc.boolean(),
});

type Hostile = typeof hostile extends fc.Arbitrary<infer T> ? T : never;

describe('fuzz: hostile activities and card presses against the compiled bot in production mode', () => {
  let idp: LocalOpenIdProvider;
  let entra: LocalEntra;
  let connector: LoopbackConnector;
  let bot: BotProcess;
  let dataDir: string;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    idp = await LocalOpenIdProvider.start();
    entra = await LocalEntra.start(APP_ID, APP_SECRET);
    connector = await LoopbackConnector.start({ mode: 'load' });
    dataDir = seededDataDir();
    before = migrationState(dataDir);
    bot = await startBotProcess(productionEnv(idp, entra, dataDir));
  });

  afterAll(async () => {
    if (bot.child.exitCode === null) await stopBot(bot);
    await Promise.all([idp.close(), entra.close(), connector.close()]);
  });

  async function tokenFor(kind: TokenKind): Promise<string | undefined> {
    const channel = (): Promise<string> => signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    switch (kind) {
      case 'channel':
        return channel();
      case 'emulator':
        return signToken({ key: idp.emulatorKey, claims: emulatorClaims(APP_ID) });
      case 'none':
        return undefined;
      case 'garbage':
        return 'eyJhbGciOi.garbage.x';
      case 'unsigned':
        return unsignedToken(channelClaims(APP_ID, connector.url), idp.channelKey.kid);
      case 'corrupted':
        return corruptSignature(await channel());
      case 'otherApp':
        return signToken({ key: idp.channelKey, claims: channelClaims('0b1d2c3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', connector.url) });
    }
  }

  function bodyOf(input: Hostile): Record<string, unknown> {
    const mention = { type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: `28:${APP_ID}`, name: 'Migration bot' } };
    return {
      type: input.type,
      id: randomUUID(),
      channelId: input.token === 'emulator' ? 'emulator' : input.channelId,
      serviceUrl: connector.url,
      timestamp: new Date().toISOString(),
      from: { id: input.from, name: input.from },
      recipient: { id: `28:${APP_ID}`, name: 'Migration bot' },
      conversation: input.conversation,
      ...(input.type === 'invoke' && {
        name: input.name,
        value: input.value ? { action: { type: 'Action.Execute', verb: input.value.verb, data: input.value } } : {},
      }),
      ...(input.type === 'installationUpdate' && { action: input.action }),
      ...(input.type !== 'invoke' && input.value && { value: input.value }),
      ...(input.text !== null && { text: input.mention ? `<at>Migration bot</at> ${input.text}` : input.text }),
      ...(input.mention && { entities: [mention] }),
      ...(input.replyToId !== null && { replyToId: input.replyToId }),
      ...(input.locale !== null && { locale: input.locale }),
      ...(input.localTimezone !== null && { localTimezone: input.localTimezone }),
      ...(input.channelData && { channelData: input.channelData }),
      ...(input.membersAdded && { membersAdded: input.membersAdded }),
    };
  }

  test.each<[string, string]>([
    [
      'a prototype-polluting card press',
      '{"type":"message","channelId":"msteams","serviceUrl":"SERVICE","from":{"id":"demo-marketer"},"conversation":{"id":"fuzz-proto"},"value":{"__proto__":{"verb":"confirmDiscard","solutionId":"OCP-1042173"},"constructor":{"prototype":{"verb":"confirmDiscard"}}}}',
    ],
    [
      'a verb hidden in a nested object',
      '{"type":"message","channelId":"msteams","serviceUrl":"SERVICE","from":{"id":"demo-marketer"},"conversation":{"id":"fuzz-nested"},"value":{"data":{"verb":"confirmDiscard","solutionId":"OCP-1042173"}}}',
    ],
  ])('%s is answered without a 5xx', async (_label, raw) => {
    const token = await signToken({ key: idp.channelKey, claims: channelClaims(APP_ID, connector.url) });
    const answer = await postActivity(bot.url, raw.replace('SERVICE', connector.url), token);
    // What changed, if anything, is checked with everything else when the bot stops, below.
    expect([200, 400]).toContain(answer.status);
  });

  test(
    `${RUNS} cases: never a 500, never a dead process, nothing changed for users who may not act`,
    async () => {
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(hostile, async (input) => {
          const answer = await postActivity(bot.url, bodyOf(input), await tokenFor(input.token));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(answer.status).not.toBe(500);
          // The contract's answers: served, a bad request named, or not authenticated; and, as botbuilder
          // answers them, 501 for invokes the bot does not implement (message extensions, task modules…).
          const unimplemented = input.type === 'invoke' && input.name !== 'adaptiveCard/action';
          expect(unimplemented ? [200, 400, 401, 501] : [200, 400, 401]).toContain(answer.status);
          const trusted = input.token === 'channel' || input.token === 'emulator';
          if (!trusted) expect(answer.status).not.toBe(200);
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect(bot.child.exitCode).toBeNull();
      // A run that only ever met the door would prove little: most trusted cases must have reached a turn.
      expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 4);

      expect(await stopBot(bot)).toBe(0);
      expect(migrationState(dataDir)).toEqual(before);
      expect(bot.otherLines).toEqual([]);
      expect(bot.stderr).toEqual([]);
      expect(bot.log.filter((entry) => Number(entry.level) >= 50)).toEqual([]);
      // Each case is a real request and often a turn: about 25 ms here; the bound is for slow machines.
    },
    RUNS * 250 + 60_000,
  );
});
