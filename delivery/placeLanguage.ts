import type { ConversationPreferences } from '../domain/ports/users';
import { localeFromTag, type Locale } from '../locales/i18n';
import { groupConversationKeyOf } from './conversationAddress';

/** The languages channels and group chats chose, as notifications read them. */
export type ConversationLanguages = Pick<ConversationPreferences, 'language'>;

/**
 * The language to post in at an address: in a channel or group chat, the one it chose for itself,
 * whoever the message is for; else `fallback`, the language of the person or subscription it is for.
 */
export async function languageAt(
  languages: ConversationLanguages,
  address: string,
  fallback: string | undefined,
): Promise<Locale> {
  const key = groupConversationKeyOf(address);
  const chosen = key === undefined ? undefined : await languages.language(key);
  return localeFromTag(chosen ?? fallback);
}
