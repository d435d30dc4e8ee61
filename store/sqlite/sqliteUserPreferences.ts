import type { UserPreferences } from '../../domain/ports/users';
import type { SqliteDatabase } from './database';

export class SqliteUserPreferences implements UserPreferences {
  private readonly select;
  private readonly upsert;

  constructor(db: SqliteDatabase) {
    this.select = db.prepare<[string], { language: string }>('SELECT language FROM user_preferences WHERE user_key = ?');
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO user_preferences (user_key, language, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (user_key) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
    );
  }

  async language(userKey: string): Promise<string | undefined> {
    return this.select.get(userKey)?.language;
  }

  async setLanguage(userKey: string, locale: string, at: Date): Promise<void> {
    this.upsert.run(userKey, locale, at.getTime());
  }
}
