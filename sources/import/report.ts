import { changedAnything, INVENTORY_KINDS, type ImportSummary } from '../../domain/inventory';
import { problemLine, type ImportReport, type RowsRead } from './importer';

/** What `npm run import` prints: the problems (the first of them, and how many more), or what the import did; then the table. */
export function reportLines(report: ImportReport): string[] {
  if (!report.ok) {
    const refusedRows = INVENTORY_KINDS.reduce((sum, kind) => sum + report.read[kind].refused, 0);
    const unlisted = report.problemCount - report.problems.length;
    return [
      ...report.problems.map(problemLine),
      ...(unlisted > 0 ? [`… and ${unlisted.toLocaleString('en-US')} more`] : []),
      '',
      ...table(
        ['kind', 'rows', 'refused'],
        INVENTORY_KINDS.map((kind) => [kind, report.read[kind].rows, report.read[kind].refused]),
      ),
      '',
      `Nothing was imported: ${plural(report.problemCount, 'problem')} in ${plural(refusedRows, 'row')}. Correct the files and run the import again.`,
    ];
  }
  return [...summaryTable(report.summary, report.read), '', ...missingLines(report.summary), outcomeLine(report)];
}

function summaryTable(summary: ImportSummary, read: RowsRead): string[] {
  return table(
    ['kind', 'added', 'updated', 'unchanged', 'kept', 'refused'],
    INVENTORY_KINDS.map((kind) => {
      const counts = summary.counts[kind];
      return [kind, counts.added, counts.updated, counts.unchanged, counts.kept, read[kind].refused];
    }),
  );
}

function missingLines({ missingSolutions }: ImportSummary): string[] {
  if (missingSolutions.total === 0) return [];
  const more = missingSolutions.total - missingSolutions.ids.length;
  return [
    `${plural(missingSolutions.total, 'stored solution')} of these partner accounts ${missingSolutions.total === 1 ? 'is' : 'are'} not in the files; kept as ${missingSolutions.total === 1 ? 'it is' : 'they are'}, not deleted:`,
    `  ${missingSolutions.ids.join(', ')}${more > 0 ? `, and ${more.toLocaleString('en-US')} more` : ''}`,
  ];
}

function outcomeLine(report: Extract<ImportReport, { ok: true }>): string {
  const kept = INVENTORY_KINDS.reduce((sum, kind) => sum + report.summary.counts[kind].kept, 0);
  const keptNote =
    kept > 0
      ? ` ${plural(kept, 'solution')} with a decision made in the bot ${kept === 1 ? 'was' : 'were'} kept as decided.`
      : '';
  if (!changedAnything(report.summary))
    return `Nothing changed: the store already holds these rows as they are in the files.${keptNote}`;
  return report.dryRun ? `Dry run: nothing was written.${keptNote}` : `Imported.${keptNote}`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string[] {
  const cells = [
    header,
    ...rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell.toLocaleString('en-US') : cell))),
  ];
  const widths = header.map((_, column) => Math.max(...cells.map((row) => String(row[column] ?? '').length)));
  return cells.map((row) =>
    row
      .map((cell, column) =>
        column === 0 ? String(cell).padEnd(widths[column] ?? 0) : String(cell).padStart(widths[column] ?? 0),
      )
      .join('  '),
  );
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}
