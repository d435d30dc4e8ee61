import type { ConversationInfo } from '../../domain/model';
import type { ConversationReferenceStore } from '../../domain/ports/notifications';
import { REFERENCE_COLUMNS, toConversationInfo, type ReferenceRow } from '../rows/references';
import type { SqliteDatabase } from './database';

export class SqliteConversationReferences implements ConversationReferenceStore {
  private readonly insert;
  private readonly deleteOne;
  private readonly deleteTeam;
  private readonly selectOne;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare<[string, string, string, string, string | null, string | null, number]>(
      `INSERT INTO conversation_references (conversation_key, kind, address, locale, tenant_id, team_id, installed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (conversation_key) DO NOTHING`,
    );
    this.deleteOne = db.prepare<[string]>('DELETE FROM conversation_references WHERE conversation_key = ?');
    this.deleteTeam = db.prepare<[string]>('DELETE FROM conversation_references WHERE team_id = ?');
    this.selectOne = db.prepare<[string], ReferenceRow>(
      `SELECT ${REFERENCE_COLUMNS} FROM conversation_references WHERE conversation_key = ?`,
    );
  }

  async add(conversation: ConversationInfo, at: Date): Promise<boolean> {
    const { changes } = this.insert.run(
      conversation.key,
      conversation.kind,
      conversation.address,
      conversation.locale,
      conversation.tenantId ?? null,
      conversation.teamId ?? null,
      at.getTime(),
    );
    return changes === 1;
  }

  async remove(conversationKey: string): Promise<boolean> {
    return this.deleteOne.run(conversationKey).changes === 1;
  }

  async removeTeam(teamId: string): Promise<number> {
    return this.deleteTeam.run(teamId).changes;
  }

  async get(conversationKey: string): Promise<ConversationInfo | undefined> {
    const row = this.selectOne.get(conversationKey);
    return row && toConversationInfo(row);
  }
}
