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
/** Generous: the machine that runs this may be shared and slow. */
const STEP_TIMEOUT_MS = 30_000;
/** The offer-live notice goes through the outbox, paced under Teams' limits. */
const NOTICE_TIMEOUT_MS = 60_000;
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
/** The Playground's team channel conversations: the channel and its threads. */
const CHANNEL = 'team-id';

/** The demo's solutions and offers each flow uses (store/demo/demoData.ts). */
const DEMO = {
  partner: 'Contoso Cloud Solutions',
  merge: { solutionId: 'OCP-1042219', offerId: 'contoso.teams-approvals' },
  /** Waits for the offer that goes live at the end: its merge is the one proposed. */
  newOffer: { solutionId: 'OCP-1042291', offerId: 'contoso.energy-analytics', offerName: 'Contoso Energy Analytics' },
  /** Waits for another offer (the pairing the issue saw proposed wrongly): never proposed for Energy Analytics. */
  waitingElsewhere: {
    solutionId: 'OCP-1042201',
    name: 'Contoso Retail Insights',
    offerId: 'contoso.field-service-companion',
    offerName: 'Contoso Field Service Companion',
  },
  discard: { solutionId: 'OCP-1042173' },
  certification: { offerId: 'contoso.field-service-companion', offerName: 'Contoso Field Service Companion' },
} as const;
/** At most one primary button a card, and about four buttons. */
const MAX_BUTTONS = 4;
/** Text colours Teams draws too light to read on white. */
const UNREADABLE_COLOURS = new Set(['Good', 'Warning', 'Accent', 'Light']);

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

/**
 * A button of a card, or a whole element pressed as one (a list row's `selectAction`): what it is
 * called, what it sends, and which of the card's same-named buttons it is.
 */
interface CardAction {
  readonly title: string;
  readonly verb?: string;
  readonly data: Json;
  readonly nth: number;
  readonly style?: string;
  /** A whole element pressed as one, drawn as a button named by the action's title. */
  readonly select: boolean;
}

/** The element keys that hold nested elements, in the order the renderer draws them. */
const NESTED = ['body', 'items', 'columns', 'rows', 'cells'] as const;

/** A card's buttons and pressable elements in the order the Adaptive Cards renderer draws them. */
function actionsOf(card: Json): CardAction[] {
  const found: CardAction[] = [];
  const seen = new Map<string, number>();
  const addAction = (action: unknown, select: boolean): void => {
    if (!isJson(action)) return;
    const title = text(action.title) ?? '';
    const data = isJson(action.data) ? action.data : {};
    const verb = text(action.verb) ?? text(data.verb);
    const style = text(action.style);
    const nth = seen.get(title) ?? 0;
    seen.set(title, nth + 1);
    found.push({ title, data, nth, select, ...(verb && { verb }), ...(style && { style }) });
  };
  const walk = (element: unknown): void => {
    if (!isJson(element)) return;
    if (isJson(element.selectAction)) addAction(element.selectAction, true);
    if (element.type === 'ActionSet') for (const action of list(element.actions)) addAction(action, false);
    for (const key of NESTED) list(element[key]).forEach(walk);
  };
  list(card.body).forEach(walk);
  for (const action of list(card.actions)) addAction(action, false);
  return found;
}

/** The buttons a card draws as buttons (not its pressable rows). */
function buttonsOf(card: Json): CardAction[] {
  return actionsOf(card).filter((action) => !action.select);
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
    for (const key of NESTED) list(element[key]).forEach(walk);
  };
  list(card.body).forEach(walk);
  return found;
}

/** Every string a card carries, drawn or not (a row's name for screen readers, a hidden choice). */
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

/** The lines a card draws as text on the page: text blocks and runs, facts, labels, buttons. */
function shownTextsOf(card: Json): string[] {
  const found: string[] = [];
  const add = (value: unknown): void => {
    const said = text(value);
    if (said) found.push(said);
  };
  const walk = (element: unknown): void => {
    if (!isJson(element)) return;
    const type = text(element.type) ?? '';
    if (type === 'TextBlock' || type === 'TextRun') add(element.text);
    if (type === 'RichTextBlock') list(element.inlines).forEach(walk);
    if (type === 'FactSet')
      for (const fact of list(element.facts)) {
        if (!isJson(fact)) continue;
        add(fact.title);
        add(fact.value);
      }
    if (type.startsWith('Input.')) add(element.label);
    if (type === 'ActionSet') for (const action of list(element.actions)) if (isJson(action)) add(action.title);
    for (const key of NESTED) list(element[key]).forEach(walk);
  };
  list(card.body).forEach(walk);
  for (const action of list(card.actions)) if (isJson(action)) add(action.title);
  return found;
}

/** The colours a card gives its text (Teams draws Good and Warning too light to read on white). */
function coloursOf(card: Json): string[] {
  const found: string[] = [];
  const walk = (element: unknown): void => {
    if (Array.isArray(element)) return element.forEach(walk);
    if (!isJson(element)) return;
    const colour = text(element.color);
    if (colour) found.push(colour);
    for (const [key, value] of Object.entries(element)) if (key !== 'data' && typeof value === 'object') walk(value);
  };
  walk(card);
  return found;
}

function hasVerb(card: Json, verb: string): boolean {
  return actionsOf(card).some((action) => action.verb === verb);
}

/** A card as the page draws it, and as the bot sent it. */
interface Shot {
  readonly card: Locator;
  readonly json: Json;
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

  /** The cards of the conversations whose id starts so (a channel and its threads), oldest first. */
  cardsIn(prefix: string): Json[] {
    return [...this.messages.values()]
      .filter((message) => message.conversationId.startsWith(prefix))
      .flatMap((message) => message.cards);
  }

  /** What the bot said in conversations whose id starts so (a channel and its threads): text and cards. */
  saidIn(prefix: string): string[] {
    return [...this.messages.values()]
      .filter((message) => message.conversationId.startsWith(prefix))
      .map((message) => [message.text, ...message.cards.flatMap(textsOf)].join('\n'));
  }
}

function catalog(language: Language): Json {
  const file = path.join(ROOT, 'locales', language === 'ko' ? 'ko-KR.json' : 'en-US.json');
  const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!isJson(parsed)) throw new Error(`${file} is not a catalog`);
  return parsed;
}

/** The fixed parts of a catalog phrase: what shows whatever its placeholders become. */
function fixedParts(value: string): string[] {
  return value
    .split(/\{[^}]*\}/)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/** The longest fixed part of a catalog phrase. */
function phrase(language: Language, key: string): string {
  const value = text(catalog(language)[key]);
  if (value === undefined) throw new Error(`the catalog key ${key} is gone: update test/playground/drive.ts`);
  return fixedParts(value).reduce((longest, part) => (part.length > longest.length ? part : longest), '');
}

/**
 * English the bot writes that Korean never contains: the longer fixed parts of English phrases
 * whose Korean differs, less any that a Korean phrase also holds (product names, "Partner Center").
 */
function englishOnlyPhrases(): string[] {
  const english = catalog('en');
  const korean = catalog('ko');
  const koreanText = Object.values(korean)
    .flatMap((value) => (typeof value === 'string' ? [value] : []))
    .join('\n');
  return Object.entries(english).flatMap(([key, value]) =>
    typeof value === 'string' && value !== korean[key]
      ? fixedParts(value).filter((part) => part.length >= 12 && /[a-z]+ [a-z]+/i.test(part) && !koreanText.includes(part))
      : [],
  );
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
  const step = async (name: string, action: () => Promise<Shot | undefined>): Promise<boolean> => {
    const started = Date.now();
    try {
      const shot = await action();
      if (shot) await driver.shoot(name, shot);
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
  await step('list-page2', () => driver.listPage(2));
  await step('options', async () => {
    await driver.list();
    return driver.press('beginMigration', { solutionId: DEMO.merge.solutionId }, ['chooseMerge']);
  });
  await step('merge-action1', () => driver.mergeAction1());
  await step('merge-action2', () => driver.mergeAction2());
  await step('merge-cancelled', () => driver.cancelMerge());
  await step('new-offer', () => driver.newOffer());
  await step('awaited-offer', () => driver.awaitedOfferForm(DEMO.newOffer.solutionId));
  await step('awaited-offer-saved', () => driver.saveAwaitedOffer(DEMO.newOffer));
  await step('waiting-elsewhere', () => driver.waitElsewhere());
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
  /** Action 1's choice of the merge's offer, as the card titled it, for Action 2 to be checked against. */
  private chosenOffer: string | undefined;
  private readonly english = englishOnlyPhrases();

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

  async overview(): Promise<Shot> {
    const shot = await this.sayForCard('hello', (json) => buttonsOf(json).some((action) => action.verb === 'listSolutions'));
    await this.expectIn(shot.card, DEMO.partner);
    return shot;
  }

  /** The first page of the list, typed for. */
  async list(): Promise<Shot> {
    const shot = await this.sayForCard('solutions', isSolutionList);
    await this.checkList(shot);
    return shot;
  }

  /** Another page of the list, by its Next button. */
  async listPage(page: number): Promise<Shot> {
    const shot = await this.press('listSolutions', { page }, ['showSolution', 'beginMigration']);
    if (!isSolutionList(shot.json)) throw new Error(`page ${page} of the list is not a list`);
    await this.checkList(shot);
    return shot;
  }

  /**
   * A list page is rows, each pressed as a whole: a pending one begins its migration, any other
   * opens its card. No row has buttons of its own; each shows its OCP solution ID; each status's
   * explanation is said once, above its rows.
   */
  private async checkList({ card, json }: Shot): Promise<void> {
    const rows = actionsOf(json).filter((action) => action.select);
    if (rows.length === 0) throw new Error('the list has no rows');
    const strays = rows.filter((row) => row.verb !== 'beginMigration' && row.verb !== 'showSolution');
    if (strays.length > 0) throw new Error(`list rows send ${strays.map((row) => row.verb ?? 'nothing').join(', ')}`);
    const rowButtons = buttonsOf(json).filter((action) => typeof action.data.solutionId === 'string');
    if (rowButtons.length > 0)
      throw new Error(`the list has buttons for single solutions: ${rowButtons.map((b) => b.title).join(', ')}`);
    const shown = await card.innerText();
    for (const row of rows) {
      const id = text(row.data.solutionId);
      if (!id) throw new Error(`the row "${row.title}" does not carry its solutionId`);
      if (!shown.includes(id)) throw new Error(`the list does not show ${id}`);
      const named = card.getByRole('button', { name: row.title, exact: true });
      if ((await named.count()) !== 1) throw new Error(`the row "${row.title}" is not drawn as one pressable element`);
    }
    for (const status of ['pendingAction', 'migratedAsDraft', 'awaitingNewOffer', 'mergeRequested', 'merged', 'discarded']) {
      const explanation = text(catalog(this.language)[`status.${status}.explanation`]);
      if (!explanation) continue;
      const times = shown.split(explanation).length - 1;
      if (times > 1) throw new Error(`the list explains ${status} ${times} times`);
    }
  }

  /** Action 1: the partner's live offers to choose from, or a listing URL, and one Continue. */
  async mergeAction1(): Promise<Shot> {
    const { solutionId, offerId } = DEMO.merge;
    const shot = await this.press('chooseMerge', { solutionId }, ['selectOffer']);
    const continues = buttonsOf(shot.json).filter((action) => action.verb === 'selectOffer');
    if (continues.length !== 1) throw new Error(`Action 1 has ${continues.length} buttons that send selectOffer, not one`);
    const offers = inputsOf(shot.json).find((input) => input.id === 'offerId' && input.type === 'Input.ChoiceSet');
    const choice = offers?.choices.find((candidate) => candidate.value === offerId);
    if (!choice) throw new Error(`Action 1 offers no choice of ${offerId}`);
    if (!inputsOf(shot.json).some((input) => input.id === 'listingUrl')) throw new Error('Action 1 asks for no listing URL');
    this.chosenOffer = choice.title;
    return shot;
  }

  /** Action 2: the offer chosen, prefilled; the OCP solution ID shown, not editable; Back. */
  async mergeAction2(): Promise<Shot> {
    const { solutionId } = DEMO.merge;
    const shot = await this.press('selectOffer', DEMO.merge, ['submitMerge']);
    if (inputsOf(shot.json).some((input) => input.id === 'ocpSolutionId'))
      throw new Error('Action 2 has an input for the OCP solution ID');
    await this.expectIn(shot.card, solutionId);
    const editable = await shot.card
      .locator('input, textarea')
      .evaluateAll((fields) =>
        fields.map((field) => (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field.value : '')),
      );
    if (editable.some((value) => value.includes(solutionId))) throw new Error(`Action 2 lets ${solutionId} be edited`);
    const save = buttonsOf(shot.json).find((action) => action.verb === 'submitMerge');
    if (save?.data.ocpSolutionId !== solutionId) throw new Error(`Save does not send ${solutionId} as the OCP solution ID`);
    if (!buttonsOf(shot.json).some((action) => action.verb === 'chooseMerge')) throw new Error('Action 2 has no Back');
    const offerName = inputsOf(shot.json).find((input) => input.id === 'offerName')?.value;
    if (!offerName || !this.chosenOffer?.startsWith(offerName))
      throw new Error(`Action 2 names the offer "${offerName ?? ''}", not the one chosen ("${this.chosenOffer ?? ''}")`);
    await this.expectIn(shot.card, phrase(this.language, 'merge.contact'));
    return shot;
  }

  /** `cancel` typed under a merge form: it is answered, and the form keeps no live Save. */
  async cancelMerge(): Promise<Shot> {
    const form = this.cardsOf(this.personal).findLast((entry) => hasVerb(entry.card, 'submitMerge'));
    if (!form) throw new Error('no merge form to cancel');
    const save = actionsOf(form.card).find((action) => action.verb === 'submitMerge');
    if (!save) throw new Error('the merge form has no Save');
    await this.say('cancel');
    await this.expectText(phrase(this.language, 'cancel.done'));
    await until('the merge form to lose submitMerge', () => {
      const now = this.cardsOf(this.personal).find((entry) => entry.messageId === form.messageId);
      return now !== undefined && !hasVerb(now.card, 'submitMerge');
    });
    const shot = await this.drawn(this.cardsOf(this.personal).findIndex((entry) => entry.messageId === form.messageId));
    const live = shot.card.getByRole('button', { name: save.title, exact: true });
    for (let at = 0; at < (await live.count()); at++)
      if (await live.nth(at).isEnabled()) throw new Error(`the cancelled form still has "${save.title}"`);
    const left = buttonsOf(shot.json).filter((action) => action.verb !== undefined);
    if (left.length > 0) throw new Error(`the cancelled form still sends ${left.map((action) => action.verb).join(', ')}`);
    return shot;
  }

  /** No similar offer yet: the publishing steps, whose last says to come back once the offer is live. */
  async newOffer(): Promise<Shot> {
    const { solutionId } = DEMO.newOffer;
    await this.noSimilarOffer(solutionId);
    const last = phrase(this.language, 'newOffer.step.8');
    const index = this.cardsOf(this.personal).findLastIndex((entry) =>
      shownTextsOf(entry.card).some((said) => said.includes(last)),
    );
    if (index < 0) throw new Error('no card shows the publishing steps');
    const shot = await this.drawn(index);
    await this.expectIn(shot.card, last);
    // Live (라이브, as Partner Center Korea says it), not publish (게시).
    const live = this.language === 'ko' ? /라이브/ : /\blive\b/i;
    if (!live.test(last)) throw new Error(`the last step does not say ${live.source}: ${last}`);
    return shot;
  }

  /** Begin migration from the list, then no similar offer yet: the form asking which offer it waits for. */
  private async noSimilarOffer(solutionId: string): Promise<void> {
    await this.list();
    await this.press('beginMigration', { solutionId }, ['chooseNoSimilarOffer']);
    await this.press('chooseNoSimilarOffer', { solutionId }, ['setAwaitedOffer']);
  }

  /** The form asking which new offer the solution waits for, with the partner's offers not yet live. */
  async awaitedOfferForm(solutionId: string): Promise<Shot> {
    const index = this.cardsOf(this.personal).findLastIndex((entry) =>
      actionsOf(entry.card).some((action) => action.verb === 'setAwaitedOffer' && action.data.solutionId === solutionId),
    );
    if (index < 0) throw new Error(`no card asks which offer ${solutionId} waits for`);
    const shot = await this.drawn(index);
    const offers = inputsOf(shot.json).find((input) => input.id === 'awaitedOfferId');
    if (!offers?.choices.some((choice) => choice.value === DEMO.newOffer.offerId))
      throw new Error(`the awaited-offer form offers no choice of ${DEMO.newOffer.offerId}`);
    if (!inputsOf(shot.json).some((input) => input.id === 'awaitedOfferName'))
      throw new Error('the awaited-offer form has no field for a name');
    return shot;
  }

  /** Names the offer the solution waits for: the answer says so. */
  async saveAwaitedOffer(awaited: {
    readonly solutionId: string;
    readonly offerId: string;
    readonly offerName: string;
  }): Promise<Shot> {
    const { solutionId, offerId, offerName } = awaited;
    const shot = await this.press('setAwaitedOffer', { solutionId, awaitedOfferId: offerId }, ['chooseMerge', 'publishingSteps']);
    await this.expectIn(shot.card, offerName);
    await this.expectIn(shot.card, phrase(this.language, 'awaited.saved.named'));
    return shot;
  }

  /** A second solution with no similar offer yet, waiting for another of the partner's offers. */
  async waitElsewhere(): Promise<undefined> {
    const { solutionId, offerId, offerName } = DEMO.waitingElsewhere;
    await this.noSimilarOffer(solutionId);
    await this.saveAwaitedOffer({ solutionId, offerId, offerName });
    return undefined;
  }

  async undoDiscard(): Promise<Shot> {
    const { solutionId } = DEMO.discard;
    const before = this.cardsOf(this.personal).findLast((entry) => hasVerb(entry.card, 'undoDiscard'));
    if (!before) throw new Error('no card offers to undo the discard');
    const shot = await this.press('undoDiscard', { solutionId }, []);
    await until('the undone card to lose its Undo', () => {
      const now = this.cardsOf(this.personal).find((entry) => entry.messageId === before.messageId);
      return now !== undefined && !hasVerb(now.card, 'undoDiscard');
    });
    return shot;
  }

  async subscribeChannel(): Promise<undefined> {
    await this.page.getByRole('treeitem', { name: 'My Team - General' }).click();
    await this.page.getByRole('button', { name: 'Post', exact: true }).waitFor();
    if (this.language === 'ko') {
      await this.mention('language ko');
      await until('a Korean answer in the channel', () => this.traffic.saidIn(CHANNEL).some((said) => HANGUL.test(said)));
    }
    await this.mention('subscribe');
    await this.expectText(phrase(this.language, 'subscribe.done'));
    return undefined;
  }

  /** A failed certification posted as a release pipeline would: its card in the channel. */
  async certificationCard(): Promise<Shot> {
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
    const json = this.traffic.cardsIn(CHANNEL).findLast((sent) => textsOf(sent).includes(offerId));
    if (!json) throw new Error(`the channel got no card about ${offerId}`);
    return { card, json };
  }

  /**
   * The offer Energy Analytics waits for goes live, as the simulator or a release pipeline moves it:
   * the notice in the personal chat proposes to merge that solution, and no other (not Retail
   * Insights, which waits for another offer).
   */
  async offerLive(): Promise<Shot> {
    const { offerId, offerName, solutionId } = DEMO.newOffer;
    const before = this.cardsOf(this.personal).length;
    await this.notify({ offerId, status: 'live' });
    await this.page.locator(CARD).filter({ hasText: offerId }).first().waitFor();
    await this.page.getByRole('treeitem', { name: /^Personal Chat/ }).click();
    await until(
      'the offer-live notice in the personal chat',
      () => this.cardsOf(this.personal).length > before,
      NOTICE_TIMEOUT_MS,
    );
    const fresh = this.cardsOf(this.personal).slice(before);
    const proposed = new Set(
      fresh
        .flatMap((entry) => actionsOf(entry.card))
        .flatMap((action) => (typeof action.data.solutionId === 'string' ? [action.data.solutionId] : [])),
    );
    if (proposed.size !== 1 || !proposed.has(solutionId))
      throw new Error(`the notice proposes ${[...proposed].join(', ') || 'nothing'}, not ${solutionId} alone`);
    const said = fresh.flatMap((entry) => textsOf(entry.card)).join('\n');
    const elsewhere = DEMO.waitingElsewhere;
    if (said.includes(elsewhere.name) || said.includes(elsewhere.solutionId))
      throw new Error(`the notice mentions ${elsewhere.name}, which waits for ${elsewhere.offerName}`);
    const index = this.cardsOf(this.personal).findIndex(
      (entry, at) =>
        at >= before && actionsOf(entry.card).some((action) => action.verb === 'selectOffer' && action.data.offerId === offerId),
    );
    if (index < 0) throw new Error(`the notice has no button to merge into ${offerId}`);
    const shot = await this.drawn(index);
    await this.expectIn(shot.card, offerName);
    return shot;
  }

  /**
   * Presses the button or row with this verb whose data carries these fields, or, on a card that
   * gathers the rest in inputs (a chooser with one button), sets those inputs and presses its button.
   * Checks what the press sent. Resolves with the card the bot answered with (new or redrawn), which
   * must carry one of `expect`'s verbs.
   */
  async press(verb: string, fields: Fields, expect: readonly string[]): Promise<Shot> {
    const entries = this.cardsOf(this.personal);
    for (let index = entries.length - 1; index >= 0; index--) {
      const json = entries[index]?.card;
      if (!json) continue;
      const actions = actionsOf(json).filter((action) => action.verb === verb);
      const carries = (action: CardAction, key: string, value: string | number): boolean =>
        key in action.data && String(action.data[key]) === String(value);
      const exact = actions.find((action) => Object.entries(fields).every(([key, value]) => carries(action, key, value)));
      const inputIds = new Set(inputsOf(json).map((input) => input.id));
      const gathering = exact
        ? undefined
        : actions.find((action) =>
            Object.entries(fields).every(
              ([key, value]) => carries(action, key, value) || (!(key in action.data) && inputIds.has(key)),
            ),
          );
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
      const wrong = Object.entries(fields).filter(([key, value]) => String(sent.data[key]) !== String(value));
      if (wrong.length > 0)
        throw new Error(`"${action.title}" sent ${wrong.map(([key]) => `${key}=${String(sent.data[key])}`).join(', ')}`);
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
      if (input.type === 'Input.ChoiceSet') {
        if (!choice) throw new Error(`the choice set ${id} has no choice ${String(value)}`);
        const radio = card.getByRole('radio', { name: choice.title, exact: true });
        if ((await radio.count()) > 0) await radio.first().check();
        else if (name) await this.choose(card.getByRole('combobox', { name, exact: true }), choice.title);
        else throw new Error(`cannot find the choice set ${id}`);
      } else if (name) {
        await card.getByLabel(name, { exact: true }).first().fill(String(value));
      } else throw new Error(`the input ${id} has neither label nor placeholder to find it by`);
    }
  }

  /** A compact choice set: a native drop-down, or the Playground's own, whose options open in a list of their own. */
  private async choose(box: Locator, title: string): Promise<void> {
    if ((await box.evaluate((element) => element.tagName)) === 'SELECT') {
      await box.selectOption({ label: title });
      return;
    }
    await box.click();
    await this.page.getByRole('option', { name: title, exact: true }).click();
    await until(`the drop-down to show ${title}`, async () =>
      (
        await box.evaluate((element) => (element instanceof HTMLInputElement ? element.value : (element.textContent ?? '')))
      ).includes(title),
    );
  }

  private cardsOf(conversationId: string): CardEntry[] {
    return this.traffic.cards(conversationId);
  }

  /** Waits for the page to draw every card the bot sent, and the latest change; returns that card. */
  private async settled(): Promise<Shot> {
    return this.drawn(this.cardsOf(this.personal).length - 1);
  }

  /**
   * Waits for the page to draw every card of the personal chat, and the one at `index` as the bot
   * last sent it: a line it shows that it did not before, when there is one.
   */
  private async drawn(index: number): Promise<Shot> {
    let drawn = 0;
    await until(
      'the Playground to draw every card',
      async () => (drawn = await this.page.locator(CARD).count()) === this.cardsOf(this.personal).length,
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}: it draws ${drawn}, the bot sent ${this.cardsOf(this.personal).length}`);
    });
    const card = this.page.locator(CARD).nth(index);
    const entry = this.cardsOf(this.personal)[index];
    if (!entry) return { card, json: {} };
    const earlier = new Set(shownTextsOf(entry.before));
    const plain = shownTextsOf(entry.card).filter((said) => /^[^*_[\]`\n{}]{8,}$/.test(said));
    const shown = plain.find((said) => !earlier.has(said)) ?? plain[0];
    if (shown) await card.getByText(shown, { exact: false }).first().waitFor();
    return { card, json: entry.card };
  }

  private async sayForCard(words: string, wanted: (card: Json) => boolean): Promise<Shot> {
    const before = this.cardsOf(this.personal).length;
    await this.say(words);
    await until(
      `a card answering "${words}"`,
      () => this.cardsOf(this.personal).length > before && wanted(this.cardsOf(this.personal).at(-1)?.card ?? {}),
    );
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
    const values = await card
      .locator('input, textarea')
      .evaluateAll((fields) =>
        fields.map((field) => (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement ? field.value : '')),
      );
    const shown = `${await card.innerText()}\n${values.join('\n')}`;
    if (!shown.includes(words)) throw new Error(`the card does not show ${words}`);
  }

  /** In the run's language: Hangul in Korean and none in English, and no English phrase of the bot's in Korean. */
  private async expectLanguage(card: Locator): Promise<void> {
    const shown = await card.innerText();
    const korean = HANGUL.test(shown);
    if (korean !== (this.language === 'ko')) throw new Error(`the card is ${korean ? '' : 'not '}in Korean`);
    if (this.language !== 'ko') return;
    const english = this.english.filter((part) => shown.includes(part));
    if (english.length > 0) throw new Error(`the Korean card says in English: ${english.join(' | ')}`);
  }

  /** What every card must be: one primary button at most, about four buttons, readable colours. */
  private expectReadable(json: Json): void {
    const buttons = buttonsOf(json);
    const primary = buttons.filter((action) => action.style === 'positive');
    if (primary.length > 1)
      throw new Error(`the card has ${primary.length} primary buttons: ${primary.map((b) => b.title).join(', ')}`);
    if (buttons.length > MAX_BUTTONS) throw new Error(`the card has ${buttons.length} buttons`);
    const unreadable = coloursOf(json).filter((colour) => UNREADABLE_COLOURS.has(colour));
    if (unreadable.length > 0) throw new Error(`the card colours text ${unreadable.join(', ')}`);
  }

  /**
   * Screenshots a card at full width and at 320 px, checking that it is readable, in the run's
   * language, and that at each width no id wraps inside itself and no button is cut.
   */
  async shoot(name: string, { card, json }: Shot): Promise<void> {
    this.expectReadable(json);
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
      // What the user sees ends at the card's edge or at the first box around it that clips, whichever
      // is nearer: a card drawn wider than its panel is cut by the panel, not by itself.
      const clipped = await card.evaluate((root) => {
        let edge = Math.min(root.getBoundingClientRect().right, window.innerWidth);
        for (let box = root.parentElement; box; box = box.parentElement) {
          if (getComputedStyle(box).overflowX !== 'visible') edge = Math.min(edge, box.getBoundingClientRect().right);
        }
        const cut = (element: Element): boolean =>
          element.getBoundingClientRect().right > edge + 1 ||
          [element, ...element.querySelectorAll('*')].some((part) => part.scrollWidth > part.clientWidth + 1);
        return [...root.querySelectorAll('.ac-pushButton, .ac-textBlock, .ac-richTextBlock, .ac-factset')].flatMap((element) =>
          cut(element) ? [(element.textContent ?? '').slice(0, 80)] : [],
        );
      });
      if (clipped.length > 0) throw new Error(`at ${width} width these are cut: ${clipped.join(' | ')}`);
      await card.screenshot({ path: path.join(SHOTS, `${this.language}-${width}-${name}.png`) });
    }
    await this.page.evaluate(() => document.documentElement.classList.remove('phone-shot'));
    await this.page.setViewportSize({ width: DESKTOP_WIDTH, height: 1200 });
  }
}

/** A list page: rows pressed as a whole, each opening or beginning one solution. */
function isSolutionList(json: Json): boolean {
  return actionsOf(json).some((action) => action.select && (action.verb === 'beginMigration' || action.verb === 'showSolution'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
