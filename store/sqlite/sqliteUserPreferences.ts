import type { ConversationPreferences, LanguagePreferences, UserPreferences } from '../../domain/ports/users';
import type { SqliteDatabase } from './database';

/** A table of languages by key; its name and key column are this module's constants, never input. */
class SqliteLanguages implements LanguagePreferences {
  private readonly select;
  private readonly upsert;

  constructor(db: SqliteDatabase, table: 'user_preferences' | 'conversation_preferences', key: 'user_key' | 'conversation_key') {
    this.select = db.prepare<[string], { language: string }>(`SELECT language FROM ${table} WHERE ${key} = ?`);
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO ${table} (${key}, language, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (${key}) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
    );
  }

  async language(key: string): Promise<string | undefined> {
    return this.select.get(key)?.language;
  }

  async setLanguage(key: string, locale: string, at: Date): Promise<void> {
    this.upsert.run(key, locale, at.getTime());
  }
}

export class SqliteUserPreferences extends SqliteLanguages implements UserPreferences {
  constructor(db: SqliteDatabase) {
    super(db, 'user_preferences', 'user_key');
  }
}

export class SqliteConversationPreferences extends SqliteLanguages implements ConversationPreferences {
  constructor(db: SqliteDatabase) {
    super(db, 'conversation_preferences', 'conversation_key');
  }
}
