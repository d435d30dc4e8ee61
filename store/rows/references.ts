import type { ConversationInfo } from '../../domain/model';
import { oneOf } from './columns';

/** Conversations the bot is in, as their table holds them, in either store. */

export interface ReferenceRow {
  conversation_key: string;
  kind: string;
  address: string;
  locale: string;
  tenant_id: string | null;
  team_id: string | null;
}

const KINDS = ['personal', 'channel', 'groupChat'] as const;

export const REFERENCE_COLUMNS = 'conversation_key, kind, address, locale, tenant_id, team_id';

export function toConversationInfo(row: ReferenceRow): ConversationInfo {
  return {
    key: row.conversation_key,
    kind: oneOf(KINDS, row.kind, 'conversation_references.kind'),
    address: row.address,
    locale: row.locale,
    ...(row.tenant_id !== null && { tenantId: row.tenant_id }),
    ...(row.team_id !== null && { teamId: row.team_id }),
  };
}
