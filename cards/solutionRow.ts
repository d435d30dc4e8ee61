import type { SolutionSummary } from '../domain/model';
import type { Translator } from '../locales/i18n';
import { CachedFragmentTemplate, type ActionJson, type CardColor, type CardElement } from './cardTemplate';
import { idLabel } from './labels';
import { solutionButtons, statusView } from './solutionStatus';
import rowTemplate from './solutionRow.json';

/** One solution as a row of the list card. */
export interface SolutionRowData {
  readonly name: string;
  readonly idLabel: string;
  readonly statusLabel: string;
  readonly statusColor: CardColor;
  readonly explanation: string;
  readonly actions: readonly ActionJson[];
}

/** Everything a list row shows depends on, and nothing else: the row's cache key is made of it. */
export interface RowInput {
  readonly solution: SolutionSummary;
  /** Its language and time zone (dates are written in both). */
  readonly t: Translator;
  /** Whether the viewer's role lets them change the solution. */
  readonly mayAct: boolean;
  /** The list page the row is on; its buttons bring the user back to it. */
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

  /** The default keeps a few hundred pages of rows: about a megabyte of JSON. */
  constructor(capacity = 2000) {
    this.rows = new CachedFragmentTemplate<SolutionRowData>(rowTemplate, capacity);
  }

  row(input: RowInput): CardElement {
    return this.rows.render(rowKey(input), () => rowData(input));
  }

  get size(): number {
    return this.rows.size;
  }
}

/** A row, from exactly what its cache key is made of. */
function rowData({ solution, t, mayAct, page, overdue }: RowInput): SolutionRowData {
  const status = statusView(solution, t, overdue);
  return {
    name: solution.name,
    idLabel: idLabel(solution, t),
    statusLabel: status.label,
    statusColor: status.color,
    explanation: status.explanation,
    actions: solutionButtons(solution, t, mayAct, { origin: 'list', page }, overdue),
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
    solution.partnerId,
    solution.name,
    solution.status,
    request?.id,
    request?.state,
    request?.dueAt.getTime(),
  ]);
}
