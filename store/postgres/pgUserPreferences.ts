import type { UserPreferences } from '../../domain/ports/users';
import type { Queryable } from './database';

export class PgUserPreferences implements UserPreferences {
  constructor(private readonly db: Queryable) {}

  async language(userKey: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ language: string }>('SELECT language FROM user_preferences WHERE user_key = $1', [
      userKey,
    ]);
    return rows[0]?.language;
  }

  async setLanguage(userKey: string, locale: string, at: Date): Promise<void> {
    await this.db.query(
      `INSERT INTO user_preferences (user_key, language, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (user_key) DO UPDATE SET language = excluded.language, updated_at = excluded.updated_at`,
      [userKey, locale, at.getTime()],
    );
  }
}
