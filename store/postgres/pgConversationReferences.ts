import type { ConversationInfo } from '../../domain/model';
import type { ConversationReferenceStore } from '../../domain/ports/notifications';
import { REFERENCE_COLUMNS, toConversationInfo, type ReferenceRow } from '../rows/references';
import type { Queryable } from './database';

/** Conversations the bot is in, in the shared store: any instance can send to one another instance saw. */
export class PgConversationReferences implements ConversationReferenceStore {
  constructor(private readonly db: Queryable) {}

  async add(conversation: ConversationInfo, at: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `INSERT INTO conversation_references (conversation_key, kind, address, locale, tenant_id, team_id, installed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (conversation_key) DO NOTHING`,
      [
        conversation.key,
        conversation.kind,
        conversation.address,
        conversation.locale,
        conversation.tenantId ?? null,
        conversation.teamId ?? null,
        at.getTime(),
      ],
    );
    return rowCount === 1;
  }

  async remove(conversationKey: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM conversation_references WHERE conversation_key = $1', [
      conversationKey,
    ]);
    return rowCount === 1;
  }

  async removeTeam(teamId: string): Promise<number> {
    const { rowCount } = await this.db.query('DELETE FROM conversation_references WHERE team_id = $1', [teamId]);
    return rowCount ?? 0;
  }

  async get(conversationKey: string): Promise<ConversationInfo | undefined> {
    const { rows } = await this.db.query<ReferenceRow>(
      `SELECT ${REFERENCE_COLUMNS} FROM conversation_references WHERE conversation_key = $1`,
      [conversationKey],
    );
    return rows[0] && toConversationInfo(rows[0]);
  }
}
