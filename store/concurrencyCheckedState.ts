import { BotState, type Storage, type TurnContext } from 'botbuilder';

type StateDocument = Record<string, unknown>;

/**
 * A write carried an eTag that is no longer the stored one: another turn saved first. Thrown by the
 * Storage adapters that ConcurrencyCheckedState writes through.
 */
export class StateConflictError extends Error {
  constructor(readonly key: string) {
    super(`State for ${key} was changed by another turn`);
    this.name = 'StateConflictError';
  }
}

interface Slot {
  readonly key: string;
  state: StateDocument;
  /** The eTag read with the state; undefined for state that did not exist, or after our own write. */
  eTag?: string;
  /** The state as read, to skip the write when the turn changed nothing. */
  snapshot: string;
}

/**
 * Bot state that writes back with the eTag it read, so that of two turns racing on the same
 * conversation and user, the later save fails instead of silently overwriting the earlier one
 * (botbuilder's BotState always writes with eTag '*'). Keyed per user within a conversation, so
 * that in a channel each member has their own flow.
 */
export class ConcurrencyCheckedState extends BotState {
  private readonly slotKey = Symbol('ConcurrencyCheckedState');

  constructor(storage: Storage) {
    super(storage, async (context) => userInConversationKey(context));
  }

  override async load(context: TurnContext, force = false): Promise<StateDocument> {
    const existing = this.slot(context);
    if (existing && !force) return existing.state;
    const key = await this.storageKey(context);
    if (!key) throw new Error('No storage key for this turn');
    const items: Record<string, unknown> = await this.storage.read([key]);
    const stored = items[key];
    const { eTag, ...state } = isDocument(stored) ? stored : {};
    const slot: Slot = {
      key,
      state,
      ...(typeof eTag === 'string' && { eTag }),
      snapshot: JSON.stringify(state),
    };
    context.turnState.set(this.slotKey, slot);
    return slot.state;
  }

  override async saveChanges(context: TurnContext, force = false): Promise<void> {
    const slot = this.slot(context);
    if (!slot) return;
    const snapshot = JSON.stringify(slot.state);
    if (!force && snapshot === slot.snapshot) return;
    await this.storage.write({ [slot.key]: { ...slot.state, eTag: slot.eTag ?? '*' } });
    slot.snapshot = snapshot;
    delete slot.eTag;
  }

  override async clear(context: TurnContext): Promise<void> {
    const slot = this.slot(context);
    if (slot) slot.state = {};
    else await this.load(context);
  }

  override async delete(context: TurnContext): Promise<void> {
    const key = await this.storageKey(context);
    context.turnState.delete(this.slotKey);
    if (key) await this.storage.delete([key]);
  }

  override get(context: TurnContext): StateDocument | undefined {
    return this.slot(context)?.state;
  }

  private slot(context: TurnContext): Slot | undefined {
    const value: unknown = context.turnState.get(this.slotKey);
    return isSlot(value) ? value : undefined;
  }
}

function isDocument(value: unknown): value is StateDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSlot(value: unknown): value is Slot {
  return typeof value === 'object' && value !== null && typeof (value as { key?: unknown }).key === 'string';
}

export function userInConversationKey(context: TurnContext): string {
  const { channelId, conversation, from } = context.activity;
  if (!channelId || !conversation?.id || !from?.id) throw new Error('The activity has no channel, conversation or user id');
  return `${channelId}/conversations/${conversation.id}/users/${from.id}`;
}
