import type { MigrationStatus, SolutionSummary } from '../domain/model';
import { isOverdue } from '../domain/supportRequests';
import type { Translator } from '../locales/i18n';
import { executeAction, type ActionJson, type CardColor } from './cardTemplate';
import { statusLabel } from './labels';

/** How a solution's status and what can be done with it look, on its own card and as a list row. */

/**
 * A mark beside each status word, so that statuses tell apart at a glance without coloured text.
 * Geometric shapes and marks from fonts every Teams client has, drawn as text, not as emoji.
 */
export const STATUS_GLYPHS: Readonly<Record<MigrationStatus, string>> = {
  pendingAction: '●',
  migratedAsDraft: '◆',
  awaitingNewOffer: '○',
  mergeRequested: '◐',
  merged: '✓',
  discarded: '✕',
};

/** A merge request past its answer date: the one status that is a problem to follow up. */
export const OVERDUE_GLYPH = '!';

export interface StatusView {
  readonly label: string;
  readonly glyph: string;
  /** The glyph's colour: Attention only when something went wrong. */
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
  const base = { label: statusLabel(solution.status, t), glyph: STATUS_GLYPHS[solution.status], color: 'Default' as const };
  if (solution.status !== 'mergeRequested' || !request)
    return { ...base, explanation: t.t(`status.${solution.status}.explanation`) };
  const params = { requestId: request.id, date: t.date(request.dueAt) };
  if (overdue) {
    return {
      label: `${base.label} · ${t.t('status.mergeRequested.overdue')}`,
      glyph: OVERDUE_GLYPH,
      color: 'Attention',
      explanation: t.t('status.mergeRequested.overdueExplanation', params),
    };
  }
  if (request.state === 'infoRequested') return { ...base, explanation: t.t('status.mergeRequested.infoRequested', params) };
  return { ...base, explanation: t.t('status.mergeRequested.due', params) };
}

/**
 * What can be done to a solution from its own card, given its status and whether the viewer may
 * change it. The card stands alone in the chat, so its buttons are Universal Actions.
 */
export function solutionButtons(solution: SolutionSummary, t: Translator, mayAct: boolean, overdue: boolean): ActionJson[] {
  const on = { solutionId: solution.id, origin: 'solution' } as const;
  if (overdue) return [executeAction(t.t('button.help'), { verb: 'help', solutionId: solution.id })];
  if (!mayAct) return [];
  switch (solution.status) {
    case 'pendingAction':
      return [executeAction(t.t('button.beginMigration'), { verb: 'beginMigration', ...on }, 'positive')];
    case 'discarded':
      return [executeAction(t.t('button.undoDiscard'), { verb: 'undoDiscard', ...on })];
    case 'awaitingNewOffer':
      // Until the new offer is live, publishing it is the way on; the merge waits for it.
      return [
        executeAction(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }, 'positive'),
        executeAction(t.t('button.merge'), { verb: 'chooseMerge', ...on }),
      ];
    case 'migratedAsDraft':
      return [executeAction(t.t('button.publishingSteps'), { verb: 'publishingSteps', ...on }, 'positive')];
    default:
      return [];
  }
}
