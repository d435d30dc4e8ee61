/** A language chosen for someone or for somewhere, by key. */
export interface LanguagePreferences {
  language(key: string): Promise<string | undefined>;
  setLanguage(key: string, locale: string, at: Date): Promise<void>;
}

/** What a user chose for themselves, by user key: the language the bot answers them in. */
export type UserPreferences = LanguagePreferences;

/**
 * What a channel or group chat chose for everyone in it, by conversation key: the language of
 * everything the bot posts there, notifications included, over what each member chose.
 */
export type ConversationPreferences = LanguagePreferences;
