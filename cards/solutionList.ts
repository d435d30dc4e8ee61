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
  /** Each a row of `SolutionRows`. */
  readonly rows: readonly CardElement[];
  readonly pageLabel: string;
  readonly navigation: readonly ActionJson[];
}

const solutionListCard = new CardTemplate<SolutionListCardData>(template);

/** A page of the partner's solutions, with paging; rows come from `rows`, drawn once. */
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
  return solutionListCard.render({
    title: t.t('list.title', { partner: account.name }),
    summary: t.t('list.summary', { pending: list.counts.pendingAction, total: list.total }),
    ...(note && { note }),
    rows: list.items.map((solution) =>
      rows.row({ solution, t, mayAct, page: list.page, overdue: overdueAt(solution, list.asOf) }),
    ),
    pageLabel: t.t('list.page', { page: list.page, pageCount: list.pageCount }),
    navigation,
  });
}
