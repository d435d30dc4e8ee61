import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { INVENTORY_KINDS, type InventoryKind } from '../../domain/inventory';
import { checkedBytes, FileError, piped, type FileProblem, type ImportFile, type OpenedFile, type RawRow } from './fileRows';
import { openJson } from './jsonFile';
import { REQUIRED_FIELDS, type FieldProblem } from './rows';

export { FileError, type FileProblem, type ImportFile, type InventoryFile, type OpenedFile, type RawRow } from './fileRows';

/**
 * Opens an import file: JSON (`.json`, one document with any of the four kinds) or CSV (one kind a
 * file, told by the file name or by the header). Both are streamed, a row at a time.
 */
export async function openInventoryFile(file: ImportFile): Promise<OpenedFile> {
  try {
    const stat = await fs.promises.stat(file.path);
    if (!stat.isFile()) return refused(1, 'file', 'is not a file');
  } catch {
    return refused(1, 'file', 'cannot be read: no such file');
  }
  return path.extname(file.name).toLowerCase() === '.json' ? openJson(file) : openCsv(file);
}

function refused(line: number, column: string, reason: string): OpenedFile {
  return { ok: false, problem: { line, column, reason } };
}

async function openCsv(file: ImportFile): Promise<OpenedFile> {
  const header = await csvHeader(file.path);
  if (!header.ok) return header;
  const kind = kindOfFileName(file.name) ?? kindOfHeader(header.columns);
  if (!kind) {
    return refused(
      1,
      'header',
      `does not tell which kind of rows the file holds: name it after a kind (${INVENTORY_KINDS.join(', ')}) or give their fields`,
    );
  }
  const missing = REQUIRED_FIELDS[kind].filter((field) => !header.columns.includes(field));
  if (missing.length > 0) return refused(1, 'header', `has no column ${missing.join(', ')}, which ${kind} need`);
  return {
    ok: true,
    file: { name: file.name, kinds: [kind], rows: (wanted) => (wanted === kind ? csvRows(file.path) : noRows()) },
  };
}

/** A record longer than this is not an inventory row: csv-parse would otherwise buffer it whole. */
export const MAX_CSV_RECORD_BYTES = 64 * 1024;
const CSV_OPTIONS = { bom: true, trim: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_BYTES } as const;
/** Invalid UTF-8 is read as SUB, the control character for a character that cannot be shown, and reported. */
const SUBSTITUTE = 0x1a;
const SUBSTITUTED = '\u001a';

async function csvHeader(file: string): Promise<{ ok: true; columns: string[] } | { ok: false; problem: FileProblem }> {
  const bytes = checkedBytes(file, SUBSTITUTE);
  const parser = piped(bytes.check, parseCsv({ ...CSV_OPTIONS, to_line: 1 }));
  try {
    for await (const record of parser) {
      if (!Array.isArray(record)) break;
      const columns = record.map(String);
      if (bytes.check.invalid.takeBefore(Number.MAX_SAFE_INTEGER) && columns.some((column) => column.includes(SUBSTITUTED))) {
        return { ok: false, problem: { line: 1, column: 'header', reason: 'is not valid UTF-8' } };
      }
      return { ok: true, columns };
    }
    return { ok: false, problem: { line: 1, column: 'header', reason: 'is missing: the file is empty' } };
  } catch (error: unknown) {
    return { ok: false, problem: csvProblem(error) };
  } finally {
    bytes.close();
  }
}

async function* csvRows(file: string): AsyncIterable<RawRow> {
  const bytes = checkedBytes(file, SUBSTITUTE);
  const parser = piped(
    bytes.check,
    parseCsv({ ...CSV_OPTIONS, columns: (header: string[]) => header.map((column) => column.trim()), info: true }),
  );
  // csv-parse counts lines up to a record's end; a record starts after the last one and any empty lines.
  let ended = 1;
  let empty = 0;
  try {
    for await (const entry of parser) {
      if (!isCsvEntry(entry)) continue;
      const start = ended + 1 + (entry.info.empty_lines - empty);
      ({ lines: ended, empty_lines: empty } = entry.info);
      const problems = bytes.check.invalid.takeBefore(entry.info.bytes) ? notUtf8(entry.record) : undefined;
      yield problems ? { line: start, fields: entry.record, problems } : { line: start, fields: entry.record };
    }
  } catch (error: unknown) {
    throw new FileError(csvProblem(error));
  } finally {
    bytes.close();
  }
}

/** The fields of a record that held bytes that are not UTF-8. */
function notUtf8(record: Readonly<Record<string, string>>): FieldProblem[] {
  const columns = Object.keys(record).filter((column) => record[column]?.includes(SUBSTITUTED));
  return (columns.length > 0 ? columns : ['row']).map((column) => ({ column, reason: 'is not valid UTF-8' }));
}

async function* noRows(): AsyncIterable<RawRow> {}

function isCsvEntry(
  value: unknown,
): value is { info: { lines: number; empty_lines: number; bytes: number }; record: Record<string, string> } {
  if (typeof value !== 'object' || value === null || !('info' in value) || !('record' in value)) return false;
  const { info } = value;
  return (
    typeof info === 'object' &&
    info !== null &&
    'lines' in info &&
    typeof info.lines === 'number' &&
    'empty_lines' in info &&
    typeof info.empty_lines === 'number' &&
    'bytes' in info &&
    typeof info.bytes === 'number'
  );
}

/** csv-parse says where it stopped; the message names the RFC 4180 rule that was broken. */
function csvProblem(error: unknown): FileProblem {
  const line =
    typeof error === 'object' && error !== null && 'lines' in error && typeof error.lines === 'number' ? error.lines : 1;
  const message = error instanceof Error ? error.message.replace(/^Invalid Record Length: /, '') : String(error);
  return { line, column: 'csv', reason: `is not valid CSV: ${message}` };
}

/** `solutions.csv`, `Solutions-2026-11.csv`: the kind the file name starts with. */
function kindOfFileName(file: string): InventoryKind | undefined {
  const base = path.basename(file).toLowerCase();
  return INVENTORY_KINDS.find((kind) => base.startsWith(kind));
}

/** The one kind whose required fields the header has, most specific first. */
function kindOfHeader(columns: readonly string[]): InventoryKind | undefined {
  const has = (kind: InventoryKind): boolean => REQUIRED_FIELDS[kind].every((field) => columns.includes(field));
  return (['solutions', 'offers', 'members', 'partners'] as const).find(has);
}
