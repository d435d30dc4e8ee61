import type { MigrationService } from '../domain/migrationService';
import type { NotificationService } from '../domain/notificationService';

/** The logging the dialogs need; pino's logger fits it. */
export interface DialogLog {
  warn(fields: Readonly<Record<string, unknown>>, message: string): void;
}

export interface DialogDeps {
  readonly service: MigrationService;
  readonly notifications: NotificationService;
  readonly log: DialogLog;
}
