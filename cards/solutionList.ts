import type { SolutionListPage } from '../domain/migrationService';
import { CardTemplate, submitAction, type ActionJson, type CardAttachment, type CardElement } from './cardTemplate';
import { overdueAt } from './solutionStatus';
import type { SolutionRows } from './solutionRow';
import template from './solutionList.json';
import { viewerMayChange, type Viewer } from './viewer';

export interface SolutionListCardData {
  readonly title: string;
  readonly summary: string;
  readonly note?: string;
  /** How to act on a row, when there are rows. */
  readonly hint?: string;
  /** The rows of `SolutionRows`, each run of one status under its heading. */
  readonly rows: readonly CardElement[];
  readonly pageLabel: string;
  readonly navigation: readonly ActionJson[];
}

const solutionListCard = new CardTemplate<SolutionListCardData>(template);

/**
 * A page of the partner's solutions, with paging. The list comes in status order, so each status's
 * rows follow one another under one heading that explains the status; rows are drawn once.
 */
export function solutionListAttachment(list: SolutionListPage, viewer: Viewer, rows: SolutionRows): CardAttachment {
  const { t } = viewer;
  const account = viewer.actor.account;
  const mayAct = viewerMayChange(viewer);
  const navigation: ActionJson[] = [];
  if (list.page > 1)
    navigation.push(submitAction(t.t('button.previous'), { verb: 'listSolutions', origin: 'list', page: list.page - 1 }));
  if (list.page < list.pageCount)
    navigation.push(submitAction(t.t('button.next'), { verb: 'listSolutions', origin: 'list', page: list.page + 1 }));
  navigation.push(submitAction(t.t('button.help'), { verb: 'help' }));
  const note =
    list.total === 0
      ? t.t('list.empty', { partner: account.name })
      : list.counts.pendingAction === 0
        ? t.t('list.nothingPending')
        : undefined;
  const elements: CardElement[] = [];
  list.items.forEach((solution, index) => {
    if (list.items[index - 1]?.status !== solution.status) elements.push(rows.group(solution.status, t));
    elements.push(rows.row({ solution, t, mayAct, page: list.page, overdue: overdueAt(solution, list.asOf) }));
  });
  return solutionListCard.render({
    title: t.t('list.title', { partner: account.name }),
    summary: t.t('list.summary', { pending: list.counts.pendingAction, total: list.total }),
    ...(note && { note }),
    ...(list.items.length > 0 && { hint: t.t(mayAct ? 'list.hint.mayAct' : 'list.hint.readOnly') }),
    rows: elements,
    pageLabel: t.t('list.page', { page: list.page, pageCount: list.pageCount }),
    navigation,
  });
}
