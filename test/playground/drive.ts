import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page, type Request } from 'playwright-core';

/**
 * Drives the Microsoft 365 Agents Playground as a user would, against the real bot, in one language:
 * in a personal chat the overview, the list, a merge form (Action 1, Action 2, then cancelled), the
 * new-offer steps, a discard with its confirmation and undo; in a team channel a subscription, a
 * certification card, and the offer-live notice back in the personal chat. Each step must see what it
 * expects, or the run fails; each screenshots the card it is about, at full width and at 320 px.
 *
 * Cards change under other hands, so the driver finds buttons and inputs through what the bot sent
 * (card verbs, the ids they carry, input ids: CONTRACT.md), read from the Playground's own traffic,
 * and checks wording only through the catalogs' keys.
 *
 * Usage: node drive.js <playground url> <bot url> <en|ko> <screenshot folder> <log folder>
 * Runs inside run.sh's network namespace.
 */
const [
  PLAYGROUND_URL = 'http://localhost:56150/',
  BOT_URL = 'http://127.0.0.1:3978',
  LANGUAGE = 'en',
  SHOTS = path.resolve(__dirname, '..', '..', 'docs', 'screenshots'),
  LOGS = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-logs-')),
] = process.argv.slice(2);
const ROOT = path.resolve(__dirname, '..', '..');
const STEP_TIMEOUT_MS = 15_000;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** Development mode's notification token (CONTRACT.md). */
const NOTIFY_TOKEN = 'dev-notify-token';

/** The Playground's compose box, and the root of each rendered Adaptive Card. */
const COMPOSER = '[role="textbox"][data-lexical-editor="true"]';
const CARD = '.ac-preview-panel > .ac-adaptiveCard';
/**
 * The Playground has no phone layout (its chat column is at least 600 px wide), so at 320 px the
 * card is drawn 320 px wide, as a phone gives it, and screenshot on its own.
 */
const PHONE_WIDTH = 320;
const DESKTOP_WIDTH = 1400;
const PHONE_STYLE = `html.phone-shot .ac-preview-panel { width: ${PHONE_WIDTH}px !important; max-width: ${PHONE_WIDTH}px !important; }`;
/** Ids that must never wrap inside themselves: OCP solution IDs and merge request ids. */
const UNBREAKABLE = /OCP-\d+|MR-[A-Z0-9-]+\d/g;
const HANGUL = /[\uac00-\ud7a3]/;

/** The demo's solutions and offers each flow uses (store/demo/demoData.ts). */
const DEMO = {
  partner: 'Contoso Cloud Solutions',
  merge: { solutionId: 'OCP-1042219', offerId: 'contoso.teams-approvals' },
  newOffer: { solutionId: 'OCP-1042291', offerId: 'contoso.energy-analytics', offerName: 'Contoso Energy Analytics' },
  discard: { solutionId: 'OCP-1042173' },
  certification: { offerId: 'contoso.field-service-companion', offerName: 'Contoso Field Service Companion' },
} as const;

type Language = 'en' | 'ko';
type Fields = Readonly<Record<string, string | number>>;
type Json = Readonly<Record<string, unknown>>;

function isJson(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** A button of a card: what it shows, what it sends, and which of the card's same-titled buttons it is. */
interface CardAction {
  readonly title: string;
  readonly verb?: string;
  readonly data: Json;
  readonly nth: number;
}

/** A card's buttons and inputs in the order the Adaptive Cards renderer draws them. */
function actionsOf(card: Json): CardAction[] {
  const found: CardAction[] = [];
  const seen = new Map<string, number>();
  const addAction = (action: unknown): void => {
    if (!isJson(action)) return;
    const title = text(action.title) ?? '';
    const data = isJson(action.data) ? action.data : {};
    const verb = text(action.verb) ?? text(data.verb);
    const nth = seen.get(title) ?? 0;
    seen.set(title, nth + 1);
    found.push({ title, data, nth, ...(verb && { verb }) });
  };
  const walk = (element: unknown): void => {
    if (!isJson(element)) return;
    if (element.type === 'ActionSet') list(element.actions).forEach(addAction);
    for (const key of ['body', 'items', 'columns', 'rows', 'cells']) list(element[key]).forEach(walk);
  };
  list(card.body).forEach(walk);
  list(card.actions).forEach(addAction);
  return found;
}

interface CardInput {
  readonly id: string;
  readonly type: string;
  readonly label?: string;
  readonly placeholder?: string;
  readonly value?: string;
  readonly choices: readonly { readonly title: string; readonly value: string }[];
}

function inputsOf(card: Json): CardInput[] {
  const found: CardInput[] = [];
  const walk = (element: unknown): void => {
    if (!isJson(element)) return;
    const type = text(element.type) ?? '';
    const id = text(element.id);
    if (type.startsWith('Input.') && id) {
      const label = text(element.label);
      const placeholder = text(element.placeholder);
      const value = text(element.value);
      found.push({
        id,
        type,
        ...(label && { label }),
        ...(placeholder && { placeholder }),
        ...(value && { value }),
        choices: list(element.choices).flatMap((choice) =>
          isJson(choice) && typeof choice.value === 'string' ? [{ title: text(choice.title) ?? '', value: choice.value }] : [],
        ),
      });
    }
    for (const key of ['body', 'items', 'columns', 'rows', 'cells']) list(element[key]).forEach(walk);
  };
  list(card.body).forEach(walk);
  return found;
}

/** Every string a card shows, for checks of what it says. */
function textsOf(card: Json): string[] {
  const found: string[] = [];
  const walk = (element: unknown): void => {
    if (Array.isArray(element)) return element.forEach(walk);
    if (!isJson(element)) return;
    for (const key of ['text', 'title', 'value', 'label', 'placeholder']) {
      const value = text(element[key]);
      if (value) found.push(value);
    }
    for (const [key, value] of Object.entries(element)) if (key !== 'data' && typeof value === 'object') walk(value);
  };
  walk(card);
  return found;
}

/** The ids a button's data carries, to press it again by them. */
function fieldsOf(data: Json): Fields {
  return Object.fromEntries(
    Object.entries(data).flatMap(([key, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[key, value]] : [],
    ),
  );
}

function hasVerb(card: Json, verb: string): boolean {
  return actionsOf(card).some((action) => action.verb === verb);
}

interface CardEntry {
  readonly messageId: string;
  readonly card: Json;
  readonly before: Json;
}

/**
 * What the bot sent into the Playground, per conversation, as the Playground's page receives it:
 * messages created and updated over its websocket, and cards answered to an Action.Execute.
 */
class Traffic {
  private readonly messages = new Map<string, { conversationId: string; text: string; cards: Json[]; before: Json[] }>();
  private readonly sent: { verb: string; data: Json }[] = [];
  private changes = 0;

  attach(page: Page): void {
    page.on('websocket', (socket) => {
      if (!socket.url().includes('/conversations/stream')) return;
      socket.on('framereceived', ({ payload }) => this.frame(String(payload)));
    });
    page.on('request', (request) => this.request(request));
    page.on('response', (response) => {
      if (!response.url().endsWith('/_conversation/v1/invoke')) return;
      const replyToId = (() => {
        const body: unknown = JSON.parse(response.request().postData() ?? '{}');
        return isJson(body) ? text(body.replyToId) : undefined;
      })();
      response.json().then(
        (answer: unknown) => {
          if (!replyToId || !isJson(answer) || answer.type !== 'application/vnd.microsoft.card.adaptive') return;
          const message = this.messages.get(replyToId);
          if (message && isJson(answer.value)) {
            this.messages.set(replyToId, { ...message, cards: [answer.value], before: message.cards });
            this.changes++;
          }
        },
        () => undefined,
      );
    });
  }

  private frame(payload: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload);
    } catch {
      return;
    }
    if (!isJson(parsed) || !isJson(parsed.message)) return;
    if (parsed.action !== 'createMessage' && parsed.action !== 'updateMessage') return;
    const id = text(parsed.message.messageId);
    const conversationId = text(parsed.actionConversationId);
    if (!id || !conversationId) return;
    const cards = list(parsed.message.attachments).flatMap((attachment) =>
      isJson(attachment) && attachment.contentType === 'application/vnd.microsoft.card.adaptive' && isJson(attachment.content)
        ? [attachment.content]
        : [],
    );
    this.messages.set(id, {
      conversationId,
      text: text(parsed.message.text) ?? '',
      cards,
      before: this.messages.get(id)?.cards ?? [],
    });
    this.changes++;
  }

  private request(request: Request): void {
    const url = request.url();
    if (!url.endsWith('/_conversation/v1/submit') && !url.endsWith('/_conversation/v1/invoke')) return;
    const body: unknown = JSON.parse(request.postData() ?? '{}');
    if (!isJson(body) || !isJson(body.value)) return;
    const action = isJson(body.value.action) ? body.value.action : undefined;
    const data = action && isJson(action.data) ? action.data : body.value;
    this.sent.push({ verb: text(action?.verb) ?? text(data.verb) ?? '', data });
  }

  /** A count that moves whenever the bot sends or changes something. */
  get version(): number {
    return this.changes;
  }

  /** How many presses the page has sent, and the verb of the last. */
  get presses(): number {
    return this.sent.length;
  }

  lastSent(): { verb: string; data: Json } | undefined {
    return this.sent.at(-1);
  }

  /** The conversation of the first message, the personal chat the Playground opens with. */
  firstConversation(): string | undefined {
    return this.messages.values().next().value?.conversationId;
  }

  /**
   * The cards of a conversation in the order the Playground draws them, each with its message and
   * what that message showed before its last change.
   */
  cards(conversationId: string): CardEntry[] {
    return [...this.messages.entries()]
      .filter(([, message]) => message.conversationId === conversationId)
      .flatMap(([messageId, message]) =>
        message.cards.map((card, at) => ({ messageId, card, before: message.before[at] ?? {} })),
      );
  }

  /** What the bot said in conversations whose id starts so (a channel and its threads): text and cards. */
  saidIn(prefix: string): string[] {
    return [...this.messages.values()]
      .filter((message) => message.conversationId.startsWith(prefix))
      .map((message) => [message.text, ...message.cards.flatMap(textsOf)].join('\n'));
  }
}

/** The longest fixed part of a catalog phrase: what shows whatever its placeholders become. */
function phrase(language: Language, key: string): string {
  const file = path.join(ROOT, 'locales', language === 'ko' ? 'ko-KR.json' : 'en-US.json');
  const catalog: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  const value = isJson(catalog) ? text(catalog[key]) : undefined;
  if (value === undefined) throw new Error(`the catalog key ${key} is gone: update test/playground/drive.ts`);
  const parts = value.split(/\{[^}]*\}/).map((part) => part.trim());
  return parts.reduce((longest, part) => (part.length > longest.length ? part : longest), '');
}

async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function main(): Promise<number> {
  if (LANGUAGE !== 'en' && LANGUAGE !== 'ko') throw new Error(`language must be en or ko, not ${LANGUAGE}`);
  fs.mkdirSync(SHOTS, { recursive: true });
  fs.mkdirSync(LOGS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'playground-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--lang=${LANGUAGE === 'ko' ? 'ko-KR' : 'en-US'}`,
    ],
    viewport: { width: DESKTOP_WIDTH, height: 1200 },
  });
  try {
    return await run(context, LANGUAGE);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function run(context: BrowserContext, language: Language): Promise<number> {
  // Beside the namespace: the page itself never asks anything beyond loopback.
  const blocked = new Set<string>();
  await context.route(
    (url) => !LOOPBACK.has(url.hostname),
    (route) => {
      blocked.add(new URL(route.request().url()).origin);
      return route.abort('internetdisconnected');
    },
  );
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  const traffic = new Traffic();
  traffic.attach(page);
  const driver = new Driver(page, traffic, language);
  const failures: string[] = [];

  /** A step: what it does, then what it shows (the card to screenshot), checked at both widths. */
  const step = async (name: string, action: () => Promise<Locator | undefined>): Promise<boolean> => {
    const started = Date.now();
    try {
      const card = await action();
      if (card) await driver.shoot(name, card);
      console.log(`ok   ${language} ${name} (${Date.now() - started} ms)`);
      return true;
    } catch (error: unknown) {
      failures.push(name);
      console.log(`FAIL ${language} ${name}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`);
      await page.screenshot({ path: path.join(LOGS, `failed-${language}-${name}.png`) }).catch(() => undefined);
      return false;
    }
  };

  if (!(await step('open', () => driver.open()))) return report(failures, blocked);
  if (language === 'ko') await step('language', () => driver.chooseKorean());
  await step('overview', () => driver.overview());
  await step('list', () => driver.list());
  await step('options', () => driver.press('beginMigration', { solutionId: DEMO.merge.solutionId }, ['chooseMerge']));
  await step('merge-action1', () =>
    driver.press('chooseMerge', { solutionId: DEMO.merge.solutionId }, ['selectOffer', 'useListingUrl']),
  );
  await step('merge-action2', () => driver.mergeAction2());
  await step('merge-cancelled', () => driver.cancelMerge());
  await step('new-offer', () => driver.newOffer());
  await step('discard-confirm', async () => {
    await driver.list();
    await driver.press('beginMigration', { solutionId: DEMO.discard.solutionId }, ['chooseDiscard']);
    return driver.press('chooseDiscard', { solutionId: DEMO.discard.solutionId }, ['confirmDiscard']);
  });
  await step('discarded', () => driver.press('confirmDiscard', { solutionId: DEMO.discard.solutionId }, ['undoDiscard']));
  await step('undo-discard', () => driver.undoDiscard());
  if (await step('channel-subscribed', () => driver.subscribeChannel())) {
    await step('certification', () => driver.certificationCard());
    await step('offer-live', () => driver.offerLive());
  }
  return report(failures, blocked);
}

function report(failures: readonly string[], blocked: ReadonlySet<string>): number {
  console.log(`screenshots: ${SHOTS}; logs and failures: ${LOGS}`);
  console.log(`requests beyond loopback, refused in the browser: ${[...blocked].join(', ') || 'none'}`);
  console.log(failures.length > 0 ? `FAILED (${LANGUAGE}): ${failures.join(', ')}` : `all steps passed (${LANGUAGE})`);
  return failures.length > 0 ? 1 : 0;
}

/** The user at the Playground: what they type and press, and what they must then see. */
class Driver {
  private personal = '';

  constructor(
    private readonly page: Page,
    private readonly traffic: Traffic,
    private readonly language: Language,
  ) {}

  /** The Playground, with the card the bot greets a new chat with (in the client's language, English). */
  async open(): Promise<undefined> {
    await this.page.goto(PLAYGROUND_URL);
    await this.page.addStyleTag({ content: PHONE_STYLE });
    await until('the welcome card', () => this.traffic.firstConversation() !== undefined);
    this.personal = this.traffic.firstConversation() ?? '';
    await this.settled();
    return undefined;
  }

  async chooseKorean(): Promise<undefined> {
    await this.say('language ko');
    await this.expectText(phrase('ko', 'language.set'));
    return undefined;
  }

  async overview(): Promise<Locator> {
    const card = await this.sayForCard('hello', (json) => actionsOf(json).some((action) => action.verb !== undefined));
    await this.expectIn(card, DEMO.partner);
    return card;
  }

  /** The first page of the list, whose every solution shows its OCP solution ID. */
  async list(): Promise<Locator> {
    const card = await this.sayForCard('solutions', (json) => hasVerb(json, 'beginMigration'));
    const json = this.newestCard();
    const ids = new Set([
      ...actionsOf(json).flatMap((action) => (typeof action.data.solutionId === 'string' ? [action.data.solutionId] : [])),
      ...inputsOf(json).flatMap((input) => (input.id === 'solutionId' ? input.choices.map((choice) => choice.value) : [])),
    ]);
    if (ids.size === 0) throw new Error('the list offers no solution to begin migrating');
    for (const id of ids) await this.expectIn(card, id);
    return card;
  }

  async mergeAction2(): Promise<Locator> {
    const card = await this.press('selectOffer', DEMO.merge, ['submitMerge']);
    await this.expectIn(card, DEMO.merge.solutionId);
    return card;
  }

  /** `cancel` typed under a merge form: it is answered, and the form keeps no live Save. */
  async cancelMerge(): Promise<Locator> {
    const form = this.cardsOf(this.personal).findLast((entry) => hasVerb(entry.card, 'submitMerge'));
    if (!form) throw new Error('no merge form to cancel');
    const save = actionsOf(form.card).find((action) => action.verb === 'submitMerge');
    await this.say('cancel');
    await this.expectText(phrase(this.language, 'cancel.done'));
    await until('the merge form to lose submitMerge', () => {
      const now = this.cardsOf(this.personal).find((entry) => entry.messageId === form.messageId);
      return now !== undefined && !hasVerb(now.card, 'submitMerge');
    });
    const card = await this.drawn(this.cardsOf(this.personal).findIndex((entry) => entry.messageId === form.messageId));
    if (save) {
      const live = card.getByRole('button', { name: save.title, exact: true });
      if ((await live.count()) > 0 && (await live.first().isEnabled()))
        throw new Error(`the cancelled form still has "${save.title}"`);
    }
    return card;
  }

  /** No similar offer yet: the publishing steps, naming the coming offer when the card asks which. */
  async newOffer(): Promise<Locator> {
    const { solutionId, offerId } = DEMO.newOffer;
    await this.list();
    await this.press('beginMigration', { solutionId }, ['chooseNoSimilarOffer']);
    let card = await this.press('chooseNoSimilarOffer', { solutionId }, []);
    const asks = inputsOf(this.newestCard()).find((input) => input.choices.some((choice) => choice.value === offerId));
    if (asks) {
      const submit = actionsOf(this.newestCard()).find(
        (action) => action.verb !== undefined && !['cancel', 'help', 'listSolutions'].includes(action.verb),
      );
      if (!submit?.verb) throw new Error(`the card asks for ${asks.id} but has no button to send it`);
      card = await this.press(submit.verb, { ...fieldsOf(submit.data), [asks.id]: offerId }, []);
    }
    // The last step: come back once the offer is live (라이브, as Partner Center Korea says it, not 게시).
    const last = phrase(this.language, 'newOffer.step.8');
    await this.expectIn(card, last);
    const live = this.language === 'ko' ? /라이브/ : /\blive\b/i;
    if (!live.test(last)) throw new Error(`the last step does not say ${live.source}: ${last}`);
    return card;
  }

  async undoDiscard(): Promise<Locator> {
    const { solutionId } = DEMO.discard;
    const before = this.cardsOf(this.personal).findLast((entry) => hasVerb(entry.card, 'undoDiscard'));
    const card = await this.press('undoDiscard', { solutionId }, []);
    await until('the undone card to lose its Undo', () => {
      const now = this.cardsOf(this.personal).find((entry) => entry.messageId === before?.messageId);
      return now !== undefined && !hasVerb(now.card, 'undoDiscard');
    });
    return card;
  }

  async subscribeChannel(): Promise<undefined> {
    await this.page.getByRole('treeitem', { name: 'My Team - General' }).click();
    await this.page.getByRole('button', { name: 'Post', exact: true }).waitFor();
    if (this.language === 'ko') {
      await this.mention('language ko');
      await until('a Korean answer in the channel', () => this.traffic.saidIn('team-id').some((said) => HANGUL.test(said)));
    }
    await this.mention('subscribe');
    await this.expectText(phrase(this.language, 'subscribe.done'));
    return undefined;
  }

  /** A failed certification posted as a release pipeline would: its card in the channel. */
  async certificationCard(): Promise<Locator> {
    const { offerId, offerName } = DEMO.certification;
    await this.notify({
      offerId,
      status: 'certificationFailed',
      detail: 'The privacy policy link on the Properties tab returns 404. Update it and publish again.',
      reportUrl: 'https://partner.microsoft.com/dashboard/marketplace-offers/overview',
    });
    const card = this.page.locator(CARD).filter({ hasText: offerId }).first();
    await card.waitFor();
    await this.expectIn(card, offerName);
    await this.expectLanguage(card);
    return card;
  }

  /** The coming offer goes live: the one solution waiting for it is offered its merge, and nothing else. */
  async offerLive(): Promise<Locator> {
    const { offerId, offerName, solutionId } = DEMO.newOffer;
    const before = this.cardsOf(this.personal).length;
    await this.notify({ offerId, status: 'live' });
    await this.page.locator(CARD).filter({ hasText: offerId }).first().waitFor();
    await this.page.getByRole('treeitem', { name: /^Personal Chat/ }).click();
    await until('the offer-live notice in the personal chat', () => this.cardsOf(this.personal).length > before);
    const notice = this.newestCard();
    const proposed = new Set(
      actionsOf(notice).flatMap((action) => (typeof action.data.solutionId === 'string' ? [action.data.solutionId] : [])),
    );
    if (proposed.size !== 1 || !proposed.has(solutionId))
      throw new Error(`the notice proposes ${[...proposed].join(', ') || 'nothing'}, not ${solutionId} alone`);
    const card = await this.settled();
    await this.expectIn(card, offerName);
    return card;
  }

  /**
   * Presses the button with this verb whose data carries these fields, or, on a card that gathers
   * them in inputs (a chooser with one button), sets those inputs and presses its button. Resolves
   * with the card the bot answered with (new or redrawn), which must carry one of `expect`'s verbs.
   */
  async press(verb: string, fields: Fields, expect: readonly string[]): Promise<Locator> {
    const entries = this.cardsOf(this.personal);
    for (let index = entries.length - 1; index >= 0; index--) {
      const json = entries[index]?.card;
      if (!json) continue;
      const actions = actionsOf(json).filter((action) => action.verb === verb);
      const exact = actions.find((action) =>
        Object.entries(fields).every(([key, value]) => String(action.data[key]) === String(value)),
      );
      const gathering = exact ? undefined : actions.find((action) => Object.keys(fields).some((key) => !(key in action.data)));
      const action = exact ?? gathering;
      if (!action) continue;
      const card = this.page.locator(CARD).nth(index);
      if (!exact) await this.fill(card, json, fields, action);
      const version = this.traffic.version;
      const presses = this.traffic.presses;
      await card.getByRole('button', { name: action.title, exact: true }).nth(action.nth).click();
      await until(`the press of ${verb} to be sent`, () => this.traffic.presses > presses);
      const sent = this.traffic.lastSent();
      if (sent?.verb !== verb) throw new Error(`"${action.title}" sent ${sent?.verb ?? 'nothing'}, not ${verb}`);
      await until(`an answer to ${verb}`, () => this.traffic.version > version);
      const newest = await this.settled();
      if (expect.length === 0) return newest;
      const carrying = (): number =>
        this.cardsOf(this.personal).findLastIndex((entry) => expect.some((wanted) => hasVerb(entry.card, wanted)));
      // The answer is the pressed card redrawn, or a new one below it.
      await until(`a card with ${expect.join(' or ')}`, () => carrying() >= index);
      return this.drawn(carrying());
    }
    throw new Error(`no card has a ${verb} button for ${JSON.stringify(fields)}`);
  }

  /** Sets the inputs a gathering button leaves to the card, by their ids. */
  private async fill(card: Locator, json: Json, fields: Fields, action: CardAction): Promise<void> {
    for (const [id, value] of Object.entries(fields)) {
      if (id in action.data) continue;
      const input = inputsOf(json).find((candidate) => candidate.id === id);
      if (!input) throw new Error(`the ${action.verb ?? ''} button does not carry ${id} and no input has that id`);
      const choice = input.choices.find((candidate) => candidate.value === String(value));
      const name = input.label ?? input.placeholder;
      if (input.type === 'Input.ChoiceSet' && choice) {
        const radio = card.getByRole('radio', { name: choice.title, exact: true });
        if ((await radio.count()) > 0) await radio.first().check();
        else if (name) await card.getByLabel(name).selectOption({ label: choice.title });
        else throw new Error(`cannot find the choice set ${id}`);
      } else if (name) {
        await card.getByLabel(name).first().fill(String(value));
      } else throw new Error(`the input ${id} has neither label nor placeholder to find it by`);
    }
  }

  /** The newest card of the personal chat, as the bot sent it. */
  newestCard(): Json {
    return this.cardsOf(this.personal).at(-1)?.card ?? {};
  }

  private cardsOf(conversationId: string): CardEntry[] {
    return this.traffic.cards(conversationId);
  }

  /** Waits for the page to draw every card the bot sent, and the latest change; returns that card. */
  private async settled(): Promise<Locator> {
    return this.drawn(this.cardsOf(this.personal).length - 1);
  }

  /**
   * Waits for the page to draw every card of the personal chat, and the one at `index` as the bot
   * last sent it: a line it shows that it did not before, when there is one.
   */
  private async drawn(index: number): Promise<Locator> {
    const entries = this.cardsOf(this.personal);
    await until('the Playground to draw every card', async () => (await this.page.locator(CARD).count()) === entries.length);
    const card = this.page.locator(CARD).nth(index);
    const entry = entries[index];
    if (!entry) return card;
    const earlier = new Set(textsOf(entry.before));
    const plain = textsOf(entry.card).filter((said) => /^[^*_[\]`\n{}]{8,}$/.test(said));
    const shown = plain.find((said) => !earlier.has(said)) ?? plain[0];
    if (shown) await card.getByText(shown, { exact: false }).first().waitFor();
    return card;
  }

  private async sayForCard(words: string, wanted: (card: Json) => boolean): Promise<Locator> {
    const before = this.cardsOf(this.personal).length;
    await this.say(words);
    await until(`a card answering "${words}"`, () => this.cardsOf(this.personal).length > before && wanted(this.newestCard()));
    return this.settled();
  }

  private async say(words: string): Promise<void> {
    await this.page.locator(COMPOSER).first().click();
    await this.page.keyboard.type(words);
    await this.page.getByRole('button', { name: 'Send Message' }).click();
  }

  /** Writes to the bot in the open channel, @mentioning it. */
  private async mention(words: string): Promise<void> {
    await this.page.locator(COMPOSER).first().click();
    await this.page.keyboard.type('@Test');
    await this.page.getByRole('menuitem', { name: 'Test Bot' }).click();
    await this.page.keyboard.type(` ${words}`);
    await this.page.locator('span.mention', { hasText: 'Test Bot' }).last().waitFor();
    await this.page.getByRole('button', { name: 'Post', exact: true }).click();
  }

  private async notify(change: Readonly<Record<string, string>>): Promise<void> {
    const response = await fetch(`${BOT_URL}/api/notifications/certification`, {
      method: 'POST',
      headers: { authorization: `Bearer ${NOTIFY_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(change),
    });
    if (response.status !== 202) throw new Error(`the bot answered ${response.status} to ${JSON.stringify(change)}`);
  }

  private async expectText(words: string): Promise<void> {
    await this.page.getByText(words, { exact: false }).last().waitFor();
  }

  private async expectIn(card: Locator, words: string): Promise<void> {
    const shown = `${await card.innerText()}\n${(await card.locator('input').evaluateAll((inputs) => inputs.map((input) => (input instanceof HTMLInputElement ? input.value : '')))).join('\n')}`;
    if (!shown.includes(words)) throw new Error(`the card does not show ${words}`);
  }

  private async expectLanguage(card: Locator): Promise<void> {
    const korean = HANGUL.test(await card.innerText());
    if (korean !== (this.language === 'ko')) throw new Error(`the card is ${korean ? '' : 'not '}in Korean`);
  }

  /**
   * Screenshots a card at full width and at 320 px, checking at each that it is in the run's
   * language and that no id wraps inside itself.
   */
  async shoot(name: string, card: Locator): Promise<void> {
    await this.expectLanguage(card);
    for (const width of ['desktop', 'phone'] as const) {
      await this.page.evaluate((phone) => document.documentElement.classList.toggle('phone-shot', phone), width === 'phone');
      // Tall enough for the whole card: the chat pane scrolls under a fixed header and compose box.
      const height = Math.ceil((await card.boundingBox())?.height ?? 800);
      await this.page.setViewportSize({
        width: width === 'phone' ? PHONE_WIDTH : DESKTOP_WIDTH,
        height: Math.max(1200, height + 500),
      });
      await card.scrollIntoViewIfNeeded();
      const broken = await card.evaluate((root, pattern) => {
        const found: string[] = [];
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of (node.textContent ?? '').matchAll(new RegExp(pattern, 'g'))) {
            const range = document.createRange();
            range.setStart(node, match.index);
            range.setEnd(node, match.index + match[0].length);
            const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
            if (lines.size > 1) found.push(match[0]);
          }
        }
        return found;
      }, UNBREAKABLE.source);
      if (broken.length > 0) throw new Error(`at ${width} width these ids break across lines: ${broken.join(', ')}`);
      await card.screenshot({ path: path.join(SHOTS, `${this.language}-${width}-${name}.png`) });
    }
    await this.page.evaluate(() => document.documentElement.classList.remove('phone-shot'));
    await this.page.setViewportSize({ width: DESKTOP_WIDTH, height: 1200 });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
