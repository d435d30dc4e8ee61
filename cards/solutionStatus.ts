import type { MigrationStatus, SolutionSummary } from '../domain/model';
import { isOverdue } from '../domain/supportRequests';
import type { Translator } from '../locales/i18n';
import { executeAction, submitAction, type ActionJson, type CardColor } from './cardTemplate';
import { statusLabel } from './labels';

/** How a solution's status and what can be done with it look, on its own card and as a list row. */

const STATUS_COLORS: Readonly<Record<MigrationStatus, CardColor>> = {
  pendingAction: 'Warning',
  migratedAsDraft: 'Warning',
  awaitingNewOffer: 'Accent',
  mergeRequested: 'Accent',
  merged: 'Good',
  discarded: 'Default',
};

export interface StatusView {
  readonly label: string;
  readonly color: CardColor;
  /** The line explaining the status. */
  readonly explanation: string;
}

/** Its merge request is past the date support answers by, as of `asOf`. */
export function overdueAt(solution: SolutionSummary, asOf: Date | undefined): boolean {
  const request = solution.mergeRequest;
  return solution.status === 'mergeRequested' && request !== undefined && asOf !== undefined && isOverdue(request, asOf);
}

export function statusView(solution: SolutionSummary, t: Translator, overdue: boolean): StatusView {
  const request = solution.mergeRequest;
  const base = { label: statusLabel(solution.status, t), color: STATUS_COLORS[solution.status] };
  if (solution.status !== 'mergeRequested' || !request)
    return { ...base, explanation: t.t(`status.${solution.status}.explanation`) };
  const params = { requestId: request.id, date: t.date(request.dueAt) };
  if (overdue) {
    return {
      label: `${base.label} · ${t.t('status.mergeRequested.overdue')}`,
      color: 'Attention',
      explanation: t.t('status.mergeRequested.overdueExplanation', params),
    };
  }
  if (request.state === 'infoRequested') return { ...base, explanation: t.t('status.mergeRequested.infoRequested', params) };
  return { ...base, explanation: t.t('status.mergeRequested.due', params) };
}

/** What can be done to a solution from a card, given its status and whether the viewer may change it. */
export function solutionButtons(
  solution: SolutionSummary,
  t: Translator,
  mayAct: boolean,
  origin: { readonly origin: 'list' | 'solution'; readonly page?: number },
  overdue: boolean,
): ActionJson[] {
  const on = { solutionId: solution.id, ...origin };
  // A solution's own card stands alone in the chat; the list's buttons lead into dialogs.
  const button = origin.origin === 'solution' ? executeAction : submitAction;
  if (overdue) return [button(t.t('button.help'), { verb: 'help' })];
  if (!mayAct) return [];
  switch (solution.status) {
    case 'pendingAction':
      return [button(t.t('button.beginMigration'), { verb: 'beginMigration', ...on }, 'positive')];
    case 'discarded':
      return [button(t.t('button.undoDiscard'), { verb: 'undoDiscard', ...on })];
    case 'awaitingNewOffer':
      return [
        button(t.t('button.merge'), { verb: 'chooseMerge', ...on }, 'positive'),
        button(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }),
      ];
    case 'migratedAsDraft':
      return [button(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }, 'positive')];
    default:
      return [];
  }
}
