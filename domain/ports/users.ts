/** What a user chose for themselves; the language the bot answers them in. */
export interface UserPreferences {
  language(userKey: string): Promise<string | undefined>;
  setLanguage(userKey: string, locale: string, at: Date): Promise<void>;
}
