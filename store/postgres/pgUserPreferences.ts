import type { ConversationPreferences, LanguagePreferences, UserPreferences } from '../../domain/ports/users';
import type { Queryable } from './database';

/** A table of languages by key; its name and key column are this module's constants, never input. */
class PgLanguages implements LanguagePreferences {
  constructor(
    private readonly db: Queryable,
    private readonly table: 'user_preferences' | 'conversation_preferences',
    private readonly key: 'user_key' | 'conversation_key',
  ) {}

  async language(key: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ language: string }>(`SELECT language FROM ${this.table} WHERE ${this.key} = $1`, [
      key,
    ]);
    return rows[0]?.language;
  }

  async setLanguage(key: string, locale: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO ${this.table} (${this.key}, language, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (${this.key}) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
      [key, locale, at.getTime()],
    );
  }
}

export class PgUserPreferences extends PgLanguages implements UserPreferences {
  constructor(db: Queryable) {
    super(db, 'user_preferences', 'user_key');
  }
}

export class PgConversationPreferences extends PgLanguages implements ConversationPreferences {
  constructor(db: Queryable) {
    super(db, 'conversation_preferences', 'conversation_key');
  }
}
