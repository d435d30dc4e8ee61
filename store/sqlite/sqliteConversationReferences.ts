import type { ConversationInfo } from '../../domain/model';
import type { ConversationReferenceStore } from '../../domain/ports/notifications';
import { oneOf } from './columns';
import type { SqliteDatabase } from './database';

interface ReferenceRow {
  conversation_key: string;
  kind: string;
  address: string;
  locale: string;
  tenant_id: string | null;
  team_id: string | null;
}

const KINDS = ['personal', 'channel', 'groupChat'] as const;

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
      'SELECT conversation_key, kind, address, locale, tenant_id, team_id FROM conversation_references WHERE conversation_key = ?',
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
    return (
      row && {
        key: row.conversation_key,
        kind: oneOf(KINDS, row.kind, 'conversation_references.kind'),
        address: row.address,
        locale: row.locale,
        ...(row.tenant_id !== null && { tenantId: row.tenant_id }),
        ...(row.team_id !== null && { teamId: row.team_id }),
      }
    );
  }
}
