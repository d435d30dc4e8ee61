import type { Solution } from '../domain/model';
import { CardTemplate, type CardAttachment } from './cardTemplate';
import template from './flowEnded.json';
import { idLabel, statusLabel } from './labels';
import type { Viewer } from './viewer';

/** The flows whose cards ask something: the migration options, a discard, a merge. */
export const FLOW_KINDS = ['beginMigration', 'discard', 'merge'] as const;
export type FlowKind = (typeof FLOW_KINDS)[number];

/**
 * How a flow's card came to an end without an outcome of its own: stopped, left for another flow,
 * carried on in a newer message, closed for want of an answer, or simply over (a press on it then).
 */
export type FlowEnd = 'cancelled' | 'replaced' | 'continued' | 'timedOut' | 'ended';

export interface FlowEndedCardData {
  readonly title: string;
  readonly name?: string;
  readonly idLabel?: string;
  readonly outcome: string;
  readonly status?: string;
}

const flowEndedCard = new CardTemplate<FlowEndedCardData>(template);

/**
 * A flow's card drawn again once the flow is over: what it was about and why it ended, and no
 * buttons. Without a kind (a press on a card whose flow is not known any more) it is simply closed.
 */
export function flowEndedAttachment(
  kind: FlowKind | undefined,
  end: FlowEnd,
  solution: Solution | undefined,
  viewer: Viewer,
): CardAttachment {
  const { t } = viewer;
  return flowEndedCard.render({
    title: t.t(kind ? `flow.title.${kind}` : 'flow.title.closed'),
    ...(solution && {
      name: solution.name,
      idLabel: idLabel(solution, t),
      status: t.t('flow.status', { status: statusLabel(solution.status, t) }),
    }),
    outcome: t.t(`flow.end.${end}`),
  });
}
