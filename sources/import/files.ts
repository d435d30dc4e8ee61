import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse';
import { visit, type JSONPath } from 'jsonc-parser';
import { INVENTORY_KINDS, type InventoryKind } from '../../domain/inventory';
import { REQUIRED_FIELDS } from './rows';

/** A row as read from a file, before it is checked: its fields and the line it starts on. */
export interface RawRow {
  readonly line: number;
  readonly fields: unknown;
}

/** A problem with a file as a whole, or with where a row sits in it. */
export interface FileProblem {
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

/** One file of an import: which kinds of rows it holds, and those rows, read as they are needed. */
export interface InventoryFile {
  /** The name the file is reported by: the path as it was given. */
  readonly name: string;
  readonly kinds: readonly InventoryKind[];
  /** The rows of a kind, in file order. A file that turns out malformed midway reports it by throwing a FileError. */
  rows(kind: InventoryKind): AsyncIterable<RawRow>;
}

export class FileError extends Error {
  constructor(readonly problem: FileProblem) {
    super(problem.reason);
    this.name = 'FileError';
  }
}

/** A file to import: where it is, and the name it was given by (an upload is stored under another). */
export interface ImportFile {
  readonly path: string;
  readonly name: string;
}

export type OpenedFile =
  { readonly ok: true; readonly file: InventoryFile } | { readonly ok: false; readonly problem: FileProblem };

/**
 * Opens an import file: JSON (`.json`, one document with any of the four kinds) or CSV (one kind a
 * file, told by the file name or by the header). CSV is streamed; a JSON document is read whole,
 * which is why large inventories are better given as CSV.
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

const CSV_OPTIONS = { bom: true, trim: true, skip_empty_lines: true } as const;

async function csvHeader(file: string): Promise<{ ok: true; columns: string[] } | { ok: false; problem: FileProblem }> {
  const stream = fs.createReadStream(file);
  const parser = stream.pipe(parseCsv({ ...CSV_OPTIONS, to_line: 1 }));
  try {
    for await (const record of parser) {
      if (!Array.isArray(record)) break;
      return { ok: true, columns: record.map(String) };
    }
    return { ok: false, problem: { line: 1, column: 'header', reason: 'is missing: the file is empty' } };
  } catch (error: unknown) {
    return { ok: false, problem: csvProblem(error) };
  } finally {
    stream.destroy();
  }
}

async function* csvRows(file: string): AsyncIterable<RawRow> {
  const parser = fs
    .createReadStream(file)
    .pipe(parseCsv({ ...CSV_OPTIONS, columns: (header: string[]) => header.map((column) => column.trim()), info: true }));
  // csv-parse counts lines up to a record's end; a record starts after the last one and any empty lines.
  let ended = 1;
  let empty = 0;
  try {
    for await (const entry of parser) {
      if (!isCsvEntry(entry)) continue;
      const start = ended + 1 + (entry.info.empty_lines - empty);
      ({ lines: ended, empty_lines: empty } = entry.info);
      yield { line: start, fields: entry.record };
    }
  } catch (error: unknown) {
    throw new FileError(csvProblem(error));
  }
}

async function* noRows(): AsyncIterable<RawRow> {}

function isCsvEntry(value: unknown): value is { info: { lines: number; empty_lines: number }; record: Record<string, string> } {
  if (typeof value !== 'object' || value === null || !('info' in value) || !('record' in value)) return false;
  const { info } = value;
  return (
    typeof info === 'object' &&
    info !== null &&
    'lines' in info &&
    typeof info.lines === 'number' &&
    'empty_lines' in info &&
    typeof info.empty_lines === 'number'
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

async function openJson(file: ImportFile): Promise<OpenedFile> {
  const text = (await fs.promises.readFile(file.path, 'utf8')).replace(/^\uFEFF/, '');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error: unknown) {
    return refused(
      jsonErrorLine(text, error),
      'json',
      `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return refused(1, 'json', `must be one object with any of ${INVENTORY_KINDS.join(', ')}`);
  }
  const lines = elementLines(text);
  const keys = Object.keys(document);
  const unknown = keys.find((key) => !INVENTORY_KINDS.some((kind) => kind === key));
  if (unknown !== undefined) return refused(lines.keys.get(unknown) ?? 1, unknown, `is not one of ${INVENTORY_KINDS.join(', ')}`);
  const arrays = new Map<InventoryKind, unknown[]>();
  for (const kind of INVENTORY_KINDS) {
    const value: unknown = Reflect.get(document, kind);
    if (value === undefined) continue;
    if (!Array.isArray(value)) return refused(lines.keys.get(kind) ?? 1, kind, 'must be a list of rows');
    arrays.set(kind, value);
  }
  return {
    ok: true,
    file: {
      name: file.name,
      kinds: [...arrays.keys()],
      rows: async function* (kind) {
        const rows = arrays.get(kind) ?? [];
        const at = lines.elements.get(kind) ?? [];
        for (const [index, fields] of rows.entries()) yield { line: at[index] ?? 1, fields };
      },
    },
  };
}

/** Where each top-level key and each row of a kind's list starts, 1-based, for problems to point at. */
function elementLines(text: string): { keys: Map<string, number>; elements: Map<InventoryKind, number[]> } {
  const keys = new Map<string, number>();
  const elements = new Map<InventoryKind, number[]>();
  const element = (startLine: number, pathTo: () => JSONPath): void => {
    const [key, index] = pathTo();
    const kind = INVENTORY_KINDS.find((candidate) => candidate === key);
    if (!kind || typeof index !== 'number' || pathTo().length !== 2) return;
    const lines = elements.get(kind) ?? [];
    lines[index] = startLine + 1;
    elements.set(kind, lines);
  };
  visit(text, {
    onObjectProperty: (property, _offset, _length, startLine, _character, pathTo) => {
      if (pathTo().length === 0) keys.set(property, startLine + 1);
    },
    onObjectBegin: (_offset, _length, startLine, _character, pathTo) => element(startLine, pathTo),
    onArrayBegin: (_offset, _length, startLine, _character, pathTo) => element(startLine, pathTo),
    onLiteralValue: (_value: unknown, _offset, _length, startLine, _character, pathTo) => element(startLine, pathTo),
  });
  return { keys, elements };
}

/** V8 says where JSON.parse gave up as a position; turn it into a line. */
function jsonErrorLine(text: string, error: unknown): number {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message)?.[1] : undefined;
  return position === undefined ? 1 : text.slice(0, Number(position)).split('\n').length;
}
