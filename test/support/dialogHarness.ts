import { ActivityTypes, type Activity, type Middleware } from 'botbuilder';
import { DialogTestClient } from 'botbuilder-testing';
import { MigrationService } from '../../domain/migrationService';
import { NotificationService } from '../../domain/notificationService';
import { SqliteConversationReferences } from '../../store/sqlite/sqliteConversationReferences';
import { SqliteNotificationStore } from '../../store/sqlite/sqliteNotificationStore';
import type { Clock } from '../../domain/ports/clock';
import { RootDialog } from '../../dialogs/rootDialog';
import { identityOf } from '../../turn/conversations';
import { COMMAND_WORDS, parseTurnInput } from '../../turn/input';
import { newTurnScope, setTurnScope } from '../../turn/scope';
import { CATALOGS, localeFromTag, Translators } from '../../locales/i18n';
import { DemoGuestAccess } from '../../store/demo/demoGuestAccess';
import { seedDemoData } from '../../store/sqlite/sqliteSeed';
import { openDatabase, type SqliteDatabase } from '../../store/sqlite/database';
import { SqliteMigrationStore } from '../../store/sqlite/sqliteMigrationStore';
import { SqlitePartnerData } from '../../store/sqlite/sqlitePartnerData';
import { activityCardProblems } from './cardValidation';
import { cardsOf } from './cards';
import { SolutionRows } from '../../cards/solutionRow';
import { CountingSignal } from './outboxSignal';

/** Saturday 21 November 2026, 09:00 UTC. */
export const TEST_NOW = new Date('2026-11-21T09:00:00Z');
export const fixedClock: Clock = { now: () => TEST_NOW };

export interface TurnOutput {
  readonly replies: Partial<Activity>[];
  readonly updates: Partial<Activity>[];
}

/**
 * The root dialog on botbuilder's TestAdapter over a throwaway store with the demo data, with the
 * turn scope set as the bot sets it. Every card it shows is validated.
 */
export class DialogHarness {
  readonly db: SqliteDatabase;
  readonly service: MigrationService;
  readonly notifications: NotificationService;
  readonly client: DialogTestClient;
  readonly cardProblems: string[] = [];
  /** Text users typed that cards must show literally, even where it looks like a template expression. */
  literals: string[] = [];
  private pendingUpdates: Partial<Activity>[] = [];
  /** How far the harness's clock has moved on from TEST_NOW. */
  private elapsedMs = 0;
  private readonly clock: Clock = { now: () => new Date(TEST_NOW.getTime() + this.elapsedMs) };

  constructor() {
    this.db = openDatabase({ location: ':memory:' });
    seedDemoData(this.db, TEST_NOW);
    const clock = this.clock;
    this.service = new MigrationService({
      store: new SqliteMigrationStore(this.db, new CountingSignal()),
      partners: new DemoGuestAccess(new SqlitePartnerData(this.db)),
      clock,
    });
    const translators = new Translators(CATALOGS, 'UTC');
    const service = this.service;
    const scope: Middleware = {
      onTurn: async (context, next) => {
        const actor = await service.actorFor(identityOf(context.activity));
        if (!actor) throw new Error('test users are all demo members or guests');
        const t = translators.for(localeFromTag(context.activity.locale));
        setTurnScope(
          context,
          newTurnScope(context.activity, { actor, t, input: parseTurnInput(context.activity, COMMAND_WORDS) }),
        );
        context.onUpdateActivity(async (_context, activity, nextUpdate) => {
          this.pendingUpdates.push(activity);
          return nextUpdate();
        });
        await next();
      },
    };
    const log = { warn: () => undefined };
    this.notifications = new NotificationService({
      store: new SqliteNotificationStore(this.db, new CountingSignal()),
      references: new SqliteConversationReferences(this.db),
      partners: new SqlitePartnerData(this.db),
      clock,
    });
    this.client = new DialogTestClient(
      'msteams',
      new RootDialog({
        service,
        notifications: this.notifications,
        supportTeam: { agentIds: [] },
        clock,
        log,
        rows: new SolutionRows(),
      }),
      undefined,
      [scope],
    );
  }

  /** Moves the clock on. */
  advance(ms: number): void {
    this.elapsedMs += ms;
  }

  /** One turn from `userId`: typed text, or a card button's data (with the pressed card's id). */
  async send(userId: string, input: string | Record<string, unknown>, replyToId?: string, locale = 'en-US'): Promise<TurnOutput> {
    const activity: Partial<Activity> =
      typeof input === 'string'
        ? { type: ActivityTypes.Message, text: input }
        : { type: ActivityTypes.Message, value: input, ...(replyToId && { replyToId }) };
    const first: unknown = await this.client.sendActivity({ ...activity, from: { id: userId, name: userId }, locale });
    const replies: Partial<Activity>[] = [];
    for (let reply: unknown = first; isActivity(reply); reply = this.client.getNextReply()) replies.push(reply);
    const updates = this.pendingUpdates;
    this.pendingUpdates = [];
    for (const activity of [...replies, ...updates]) this.cardProblems.push(...activityCardProblems(activity, this.literals));
    return { replies, updates };
  }

  close(): void {
    this.db.close();
  }
}

function isActivity(value: unknown): value is Partial<Activity> {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** The one card among `activities`; a test fails when there is none or more than one. */
export function onlyCardOf(activities: readonly Partial<Activity>[]): unknown {
  const cards = activities.flatMap((activity) => cardsOf({ attachments: activity.attachments }));
  if (cards.length !== 1) throw new Error(`expected one card, got ${cards.length}`);
  return cards[0];
}

/** The texts the bot replied with in a turn, in order. */
export function textsOf(output: TurnOutput): string[] {
  return output.replies.map((reply) => reply.text).filter((text): text is string => typeof text === 'string');
}
