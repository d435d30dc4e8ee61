import type { SolutionDetail } from '../domain/migrationService';
import { awaitedFact } from './awaitedOffer';
import { stakeFacts } from './facts';
import { CardTemplate, executeAction, type ActionJson, type CardAttachment, type CardColor } from './cardTemplate';
import { idLabel, roleLabel, statusLabel } from './labels';
import { overdueAt, solutionButtons, statusView } from './solutionStatus';
import template from './solution.json';
import { viewerMayChange, type Viewer } from './viewer';

export interface Fact {
  readonly title: string;
  readonly value: string;
}

export interface SolutionCardData {
  /** A line above the name saying what just happened, when something did. */
  readonly heading?: string;
  readonly name: string;
  readonly idLabel: string;
  readonly statusTitle: string;
  readonly statusLabel: string;
  readonly statusGlyph: string;
  readonly statusColor: CardColor;
  readonly explanation: string;
  readonly facts: readonly Fact[];
  readonly note?: string;
  readonly actions: readonly ActionJson[];
}

const solutionCard = new CardTemplate<SolutionCardData>(template);

/** One solution as it stands, with what carries over and what the viewer can do with it. */
export function solutionAttachment(detail: SolutionDetail, viewer: Viewer, heading?: string): CardAttachment {
  const { t } = viewer;
  const { solution, lastChange } = detail;
  const facts: Fact[] = stakeFacts(solution, t);
  if (solution.status === 'awaitingNewOffer') {
    const awaited = awaitedFact(solution.awaitedOffer, t);
    facts.push({ title: awaited.label, value: awaited.value });
  }
  if (lastChange && lastChange.to === solution.status) {
    facts.push({
      title: t.t('solution.lastChange.title'),
      value: t.t('solution.lastChange.value', {
        status: statusLabel(lastChange.to, t),
        name: lastChange.actorName,
        date: t.date(lastChange.at),
      }),
    });
  }
  const mayAct = viewerMayChange(viewer);
  const overdue = overdueAt(solution, detail.asOf);
  const status = statusView(solution, t, overdue);
  return solutionCard.render({
    ...(heading && { heading }),
    name: solution.name,
    idLabel: idLabel(solution, t),
    statusTitle: t.t('status.title'),
    statusLabel: status.label,
    statusGlyph: status.glyph,
    statusColor: status.color,
    explanation: status.explanation,
    facts,
    ...(!mayAct && { note: t.t('solution.readOnlyNote', { role: roleLabel(viewer.actor.member.role, t) }) }),
    actions: [
      ...solutionButtons(solution, t, mayAct, overdue),
      ...(mayAct && solution.status === 'awaitingNewOffer'
        ? [executeAction(t.t('button.awaitedOffer'), { verb: 'chooseAwaitedOffer', solutionId: solution.id, origin: 'solution' })]
        : []),
      executeAction(t.t('button.solutions'), { verb: 'listSolutions' }),
    ],
  });
}
