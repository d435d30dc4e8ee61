import type { MigrationService } from '../domain/migrationService';
import type { NotificationService } from '../domain/notificationService';
import type { SolutionRows } from '../cards/solutionRows';

/** The logging the dialogs need; pino's logger fits it. */
export interface DialogLog {
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface DialogDeps {
  readonly service: MigrationService;
  readonly notifications: NotificationService;
  readonly log: DialogLog;
  /** List rows already drawn, shared by every list this bot draws. */
  readonly rows: SolutionRows;
}
