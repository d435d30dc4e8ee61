import type { MigrationStatus, SolutionSummary } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { CachedFragmentTemplate, selectAction, type ActionJson, type CardColor, type CardElement } from './cardTemplate';
import { statusLabel } from './labels';
import { STATUS_GLYPHS, statusView } from './solutionStatus';
import groupTemplate from './solutionGroup.json';
import rowTemplate from './solutionRow.json';

/** One solution as a row of the list card: its status mark, name and ID; pressing it opens it. */
export interface SolutionRowData {
  readonly name: string;
  readonly idLabel: string;
  readonly glyph: string;
  readonly glyphColor: CardColor;
  /** Its merge request's ID, on a line of its own like the solution's. */
  readonly request?: string;
  /** What only this solution's status says: when support answers its merge request. */
  readonly note?: string;
  readonly select: ActionJson;
}

/** The heading above the rows of one status: the status with its mark, explained once. */
export interface SolutionGroupData {
  readonly heading: string;
  readonly explanation: string;
}

/** Everything a list row shows depends on, and nothing else: the row's cache key is made of it. */
export interface RowInput {
  readonly solution: SolutionSummary;
  /** Its language and time zone (dates are written in both). */
  readonly t: Translator;
  /** Whether the viewer's role lets them change the solution. */
  readonly mayAct: boolean;
  /** The list page the row is on; its action brings the user back to it. */
  readonly page: number;
  /** The solution's merge request is past its answer date. */
  readonly overdue: boolean;
}

/**
 * The rows of solution lists, kept once drawn. A partner's members see the same rows page after
 * page; a row is drawn again only when something in its RowInput changed. Owned by one bot.
 */
export class SolutionRows {
  private readonly rows: CachedFragmentTemplate<SolutionRowData>;
  private readonly groups: CachedFragmentTemplate<SolutionGroupData>;

  /** The default keeps a few hundred pages of rows: about a megabyte of JSON. */
  constructor(capacity = 2000) {
    this.rows = new CachedFragmentTemplate<SolutionRowData>(rowTemplate, capacity);
    this.groups = new CachedFragmentTemplate<SolutionGroupData>(groupTemplate, 64);
  }

  row(input: RowInput): CardElement {
    return this.rows.render(rowKey(input), () => rowData(input));
  }

  /** The heading of a status's rows, in the viewer's language. */
  group(status: MigrationStatus, t: Translator): CardElement {
    return this.groups.render(JSON.stringify([t.locale, status]), () => ({
      heading: `${STATUS_GLYPHS[status]} ${statusLabel(status, t)}`,
      explanation: t.t(`status.${status}.explanation`),
    }));
  }

  get size(): number {
    return this.rows.size;
  }
}

/** A row, from exactly what its cache key is made of. */
function rowData({ solution, t, mayAct, page, overdue }: RowInput): SolutionRowData {
  const status = statusView(solution, t, overdue);
  const on = { solutionId: solution.id, origin: 'list', page } as const;
  // A decision is what a pending solution needs; any other opens its card, with what can be done.
  const select =
    mayAct && solution.status === 'pendingAction'
      ? selectAction(t.t('list.row.begin', { name: solution.name }), { verb: 'beginMigration', ...on })
      : selectAction(t.t('list.row.open', { name: solution.name }), { verb: 'showSolution', ...on });
  return {
    name: solution.name,
    // Short, so that the ID has the line to itself: a wrap after "OCP-" would split what users copy.
    idLabel: t.t('list.row.id', { id: solution.id }),
    glyph: status.glyph,
    glyphColor: status.color,
    ...requestLines(solution, t, overdue),
    select,
  };
}

/** A merge request's ID and where it stands, for its row: the status heading says the rest. */
function requestLines(solution: SolutionSummary, t: Translator, overdue: boolean): Pick<SolutionRowData, 'request' | 'note'> {
  const request = solution.mergeRequest;
  if (solution.status !== 'mergeRequested' || !request) return {};
  const date = t.date(request.dueAt);
  return {
    request: t.t('list.row.request', { requestId: request.id }),
    note: overdue
      ? t.t('list.row.overdue', { date })
      : request.state === 'infoRequested'
        ? t.t('list.row.infoRequested')
        : t.t('list.row.due', { date }),
  };
}

function rowKey({ solution, t, mayAct, page, overdue }: RowInput): string {
  const request = solution.mergeRequest;
  return JSON.stringify([
    t.locale,
    t.timeZone,
    mayAct,
    page,
    overdue,
    solution.id,
    solution.name,
    solution.status,
    request?.id,
    request?.state,
    request?.dueAt.getTime(),
  ]);
}
