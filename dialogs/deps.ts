import type { SolutionRows } from '../cards/solutionRow';
import type { MigrationService } from '../domain/migrationService';
import type { NotificationService } from '../domain/notificationService';
import type { Clock } from '../domain/ports/clock';
import type { ReplyLog } from '../turn/replies';

/** Partner support's team in Teams: where merge requests are acted on, and who may act. */
export interface SupportTeam {
  /** The team's channel; without one, no conversation is partner support's. */
  readonly channelId?: string;
  /** When not empty, only these users (Entra object ids or channel user ids) of that channel may act. */
  readonly agentIds: readonly string[];
}

export interface DialogDeps {
  readonly service: MigrationService;
  readonly notifications: NotificationService;
  readonly supportTeam: SupportTeam;
  readonly clock: Clock;
  readonly log: ReplyLog;
  /** List rows already drawn, shared by every list this bot draws. */
  readonly rows: SolutionRows;
}
