import { createHash, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CardAttachment } from '../cards/cardTemplate';
import { FLOW_KINDS, flowEndedAttachment, type FlowEnd, type FlowKind } from '../cards/flowEnded';
import type { CardTarget } from '../turn/input';
import { redrawCard, sendText, showCard } from '../turn/replies';
import { memberScope } from '../turn/scope';
import type { DialogDeps } from './deps';
import type { TurnContextOf } from './oneTurnDialog';

/**
 * A flow is what a partner member does with one solution across turns: the migration options, a
 * discard, a merge. It shows one card at a time, whose buttons carry the flow's id. The flow in
 * progress is kept in the root dialog's state, beside the dialog stack rather than inside a dialog,
 * so that it outlives its dialog: when the flow ends without an outcome of its own (stopped, left
 * for another, closed for want of an answer), the root draws its card again finished; and a press
 * on a card of any other flow is known to be stale.
 */
export interface FlowRecord {
  readonly id: string;
  readonly kind: FlowKind;
  readonly solutionId: string;
  /** The message showing the flow's card, when the channel told us its id. */
  readonly cardId?: string;
  /** When the flow last moved, as an ISO date. */
  readonly movedAt: string;
}

const flowRecordSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(FLOW_KINDS),
  solutionId: z.string().min(1),
  cardId: z.string().min(1).optional(),
  movedAt: z.string(),
});

/** A flow left this long without a turn is closed at the user's next turn. */
export const FLOW_IDLE_LIMIT_MS = 24 * 60 * 60 * 1000;

const FLOW_STATE_KEY = 'flow';
const FLOW_TURN = Symbol('FlowTurn');

/**
 * Whose flows are whose: a flow's id starts with a tag of the user it belongs to, so that in a
 * channel, where each member has a flow of their own, a press on another member's card is told
 * apart from a press on one's own card of a flow that has ended.
 */
function userTag(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 8);
}

/** What a pressed flow card is to the user who pressed it. */
export type PressedFlowCard = 'current' | 'ended' | 'someoneElses';

/** The flow in progress as one turn sees and changes it; what it sets is saved with the dialog state. */
export class FlowTurn {
  private current: FlowRecord | undefined;
  private tag: string | undefined;

  /**
   * @param holder the root dialog's state, saved at the end of the turn
   * @param userId the user whose turn it is
   * @param pressed the card whose button this turn is, when it is one
   */
  constructor(
    private readonly holder: Record<string, unknown>,
    readonly now: Date,
    private readonly userId: string,
    readonly pressed: CardTarget | undefined,
  ) {
    const parsed = flowRecordSchema.safeParse(holder[FLOW_STATE_KEY]);
    this.current = parsed.success ? parsed.data : undefined;
  }

  /** The tag of the user whose turn it is; worked out only for a turn that meets a flow's card. */
  get user(): string {
    return (this.tag ??= userTag(this.userId));
  }

  get record(): FlowRecord | undefined {
    return this.current;
  }

  set record(flow: FlowRecord | undefined) {
    this.current = flow;
    if (flow) this.holder[FLOW_STATE_KEY] = flow;
    else delete this.holder[FLOW_STATE_KEY];
  }

  /** The flow moved this turn. */
  touch(): void {
    if (this.current) this.record = { ...this.current, movedAt: this.now.toISOString() };
  }

  /** Whether this turn is a press on the card of `flow`: by the flow's id, or by the message of a card that started it. */
  pressedCardOf(flow: FlowRecord): boolean {
    const card = this.pressed;
    if (!card) return false;
    if (card.flow !== undefined) return card.flow === flow.id;
    return card.activityId !== undefined && card.activityId === flow.cardId;
  }

  /** What the card of a flow that this turn pressed is: undefined when the turn pressed no flow's card. */
  pressedFlowCard(): PressedFlowCard | undefined {
    const flow = this.pressed?.flow;
    if (flow === undefined) return undefined;
    if (flow === this.current?.id) return 'current';
    return flow.startsWith(`${this.user}.`) ? 'ended' : 'someoneElses';
  }

  newFlowId(): string {
    return `${this.user}.${randomUUID()}`;
  }

  idle(flow: FlowRecord): boolean {
    return this.now.getTime() - Date.parse(flow.movedAt) > FLOW_IDLE_LIMIT_MS;
  }
}

export function setFlowTurn(context: TurnContextOf, turn: FlowTurn): void {
  context.turnState.set(FLOW_TURN, turn);
}

export function flowTurn(context: TurnContextOf): FlowTurn {
  const turn: unknown = context.turnState.get(FLOW_TURN);
  if (!(turn instanceof FlowTurn)) throw new Error('The root dialog sets the flow turn before flows run');
  return turn;
}

/**
 * The flow a dialog runs as: the one in progress when it goes on with it, else a new one, which
 * takes over the solution card whose button started it.
 */
export function flowFor(context: TurnContextOf, kind: FlowKind, solutionId: string): FlowRecord {
  const turn = flowTurn(context);
  const current = turn.record;
  if (current && current.solutionId === solutionId) {
    const flow = { ...current, kind };
    turn.record = flow;
    return flow;
  }
  const pressed = turn.pressed;
  const adopted = pressed?.origin === 'solution' && pressed.flow === undefined ? pressed.activityId : undefined;
  const flow: FlowRecord = {
    id: turn.newFlowId(),
    kind,
    solutionId,
    ...(adopted && { cardId: adopted }),
    movedAt: turn.now.toISOString(),
  };
  turn.record = flow;
  return flow;
}

/**
 * Shows the flow's next card: in place when this turn is a press on the flow's card; otherwise (a
 * typed answer) as a new message at the bottom of the chat, the flow's older card drawn finished.
 * Returns whether the card was drawn in place.
 */
export async function showFlowCard(
  context: TurnContextOf,
  deps: DialogDeps,
  flow: FlowRecord,
  card: CardAttachment,
): Promise<boolean> {
  const turn = flowTurn(context);
  const placed = await place(context, deps, flow, card);
  turn.record = { ...flow, ...(placed.id !== undefined && { cardId: placed.id }), movedAt: turn.now.toISOString() };
  return placed.inPlace;
}

/**
 * Ends the flow with the card of its outcome, placed as showFlowCard places it. `text` goes with a
 * card that went to the bottom; a card drawn in place, where the user is looking, says it alone.
 */
export async function endFlow(
  context: TurnContextOf,
  deps: DialogDeps,
  flow: FlowRecord,
  card: CardAttachment,
  text?: string,
): Promise<void> {
  const placed = await place(context, deps, flow, card);
  flowTurn(context).record = undefined;
  if (!placed.inPlace && text !== undefined) await sendText(context, text);
}

/** Where a refusal met in a flow shows the solution as it stands: on the flow's card when it was pressed. */
export function refusalTarget(context: TurnContextOf, flow: FlowRecord): CardTarget | undefined {
  return flow.cardId !== undefined && flowTurn(context).pressedCardOf(flow)
    ? { activityId: flow.cardId, origin: 'solution' }
    : undefined;
}

/** Draws a flow's card again, finished: what it was about, why it ended, and no buttons. */
export async function finishFlowCard(
  context: TurnContextOf,
  deps: DialogDeps,
  flow: Pick<FlowRecord, 'kind' | 'solutionId' | 'cardId'>,
  end: FlowEnd,
): Promise<void> {
  if (flow.cardId === undefined) return;
  const scope = memberScope(context);
  const found = await deps.service.getSolution(scope.actor, flow.solutionId);
  const card = flowEndedAttachment(flow.kind, end, found.ok ? found.value.solution : undefined, scope);
  await redrawCard(context, card, deps.log, flow.cardId);
}

async function place(
  context: TurnContextOf,
  deps: DialogDeps,
  flow: FlowRecord,
  card: CardAttachment,
): Promise<{ readonly id: string | undefined; readonly inPlace: boolean }> {
  if (flow.cardId !== undefined && flowTurn(context).pressedCardOf(flow)) {
    if (await redrawCard(context, card, deps.log, flow.cardId)) return { id: flow.cardId, inPlace: true };
  } else if (flow.cardId !== undefined) {
    await finishFlowCard(context, deps, flow, 'continued');
  }
  return { id: await showCard(context, card, deps.log), inPlace: false };
}
