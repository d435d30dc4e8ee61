import { Tokenizer, TokenParser, TokenType, type ParsedTokenInfo } from '@streamparser/json';
import { INVENTORY_KINDS, type InventoryKind } from '../../domain/inventory';
import { checkedBytes, FileError, type ImportFile, type OpenedFile, type RawRow } from './fileRows';
import type { FieldProblem } from './rows';
import type { InvalidBytes, Utf8Check } from './utf8';

/**
 * A JSON document `{"partners": [...], ...}`, read as a stream and never held whole. A first pass
 * checks the document (valid JSON, known keys, each a list, nesting and sizes within bounds) and
 * notes where each kind's list lies; each kind's rows are then read from that part of the file
 * alone, one row at a time, each with the line it starts on.
 */

/** The document, its lists, their rows and a row's own lists, with room for extra fields' objects. */
export const MAX_JSON_DEPTH = 8;
/** A row larger than this is not an inventory row; nor is a single value larger than this. */
export const MAX_JSON_ROW_BYTES = 64 * 1024;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);
/** Invalid UTF-8 inside a string is read as `?`, which JSON allows there, and reported. */
const QUESTION_MARK = 0x3f;

/** Where a kind's list lies in the file: its `[` and `]`, and the line of the `[`. */
interface ListPlace {
  readonly start: number;
  readonly end: number;
  readonly line: number;
}

export async function openJson(file: ImportFile): Promise<OpenedFile> {
  let places: ReadonlyMap<InventoryKind, ListPlace>;
  try {
    places = await survey(file.path);
  } catch (error: unknown) {
    if (error instanceof FileError) return { ok: false, problem: error.problem };
    throw error;
  }
  return {
    ok: true,
    file: {
      name: file.name,
      kinds: INVENTORY_KINDS.filter((kind) => places.has(kind)),
      rows: (kind) => {
        const place = places.get(kind);
        return place ? listRows(file.path, place) : noRows();
      },
    },
  };
}

async function* noRows(): AsyncIterable<RawRow> {}

/** A token, where it is, and how many containers are around it (a container's brackets count as outside it). */
interface Token {
  readonly info: ParsedTokenInfo;
  /** Offset in the bytes read, a BOM included. */
  readonly offset: number;
  readonly line: number;
  readonly depth: number;
  /** Whether bytes between the token before and this one were not UTF-8. */
  readonly afterInvalid: boolean;
}

const OPENERS: readonly TokenType[] = [TokenType.LEFT_BRACE, TokenType.LEFT_BRACKET];
const CLOSERS: readonly TokenType[] = [TokenType.RIGHT_BRACE, TokenType.RIGHT_BRACKET];

/**
 * Feeds bytes to the tokenizer a line at a time, so that each token's line is the one being fed
 * (no JSON token spans lines), and shows each token to `onToken` before the token parser gets it.
 */
class JsonScanner {
  private readonly tokenizer = new Tokenizer();
  private readonly parser: TokenParser;
  private line: number;
  private depth = 0;
  /** Bytes fed so far, and the offset of the last token: a value still open past the limit is too long. */
  private fed = 0;
  private lastToken = 0;
  /** Offset of the tokenizer's first byte: a BOM before it is not counted by the tokenizer. */
  private base = 0;
  private started = false;

  constructor(
    firstLine: number,
    private readonly invalid: InvalidBytes,
    paths: string[],
    onToken: (token: Token) => void,
    onValue: (value: unknown) => void,
  ) {
    this.line = firstLine;
    this.parser = new TokenParser({ paths, keepStack: false });
    this.parser.onValue = ({ value }) => onValue(value);
    this.tokenizer.onToken = (info) => {
      const offset = info.offset + this.base;
      if (CLOSERS.includes(info.token)) this.depth--;
      const depth = this.depth;
      if (OPENERS.includes(info.token)) {
        if (depth + 1 > MAX_JSON_DEPTH) throw this.problem('json', `is nested deeper than ${MAX_JSON_DEPTH} levels`);
        this.depth++;
      }
      this.lastToken = offset;
      onToken({ info, offset, line: this.line, depth, afterInvalid: this.invalid.takeBefore(offset) });
      this.parser.write(info);
    };
  }

  problem(column: string, reason: string, line = this.line): FileError {
    return new FileError({ line, column, reason });
  }

  write(chunk: Buffer): void {
    let bytes = chunk;
    if (!this.started) {
      this.started = true;
      if (bytes.subarray(0, 3).equals(UTF8_BOM)) {
        bytes = bytes.subarray(3);
        this.base = 3;
        this.fed = 3;
      }
    }
    for (let start = 0; start < bytes.length;) {
      const newline = bytes.indexOf(0x0a, start);
      const end = newline === -1 ? bytes.length : newline + 1;
      this.guarded(() => this.tokenizer.write(bytes.subarray(start, end)), this.fed, this.fed + end - start);
      this.fed += end - start;
      if (newline !== -1) this.line++;
      start = end;
    }
    if (this.fed - this.lastToken > MAX_JSON_ROW_BYTES) {
      throw this.problem('json', `has a value longer than ${MAX_JSON_ROW_BYTES / 1024} KiB`);
    }
  }

  end(): void {
    this.guarded(() => this.tokenizer.end(), this.fed, this.fed);
    if (!this.parser.isEnded) throw this.problem('json', 'is not valid JSON: the document ends before it is complete');
  }

  /**
   * What the tokenizer and the token parser refuse, as a problem on the line being fed: bytes there
   * that were not UTF-8 (read as `?`, which JSON takes only inside strings) are what is wrong.
   */
  private guarded(step: () => void, from: number, to: number): void {
    try {
      step();
    } catch (error: unknown) {
      if (error instanceof FileError) throw error;
      if (this.invalid.within(from, to)) throw this.problem('json', 'is not valid UTF-8');
      throw this.problem('json', `is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** A path deeper than any value the scanner lets through: the token parser then keeps nothing. */
const NOTHING = `$${'.*'.repeat(MAX_JSON_DEPTH + 1)}`;

/** The first pass: the document's shape, and where each kind's list is. */
async function survey(file: string): Promise<ReadonlyMap<InventoryKind, ListPlace>> {
  const places = new Map<InventoryKind, ListPlace>();
  const bytes = checkedBytes(file, QUESTION_MARK);
  /** The top-level key whose value comes next; the list being read; the row being read in it. */
  let key: { kind: InventoryKind; line: number } | undefined;
  let name = '';
  let expectKey = false;
  let list: { kind: InventoryKind; start: number; line: number } | undefined;
  let row: { offset: number; line: number } | undefined;
  const onToken = (token: Token): void => {
    const { info, depth } = token;
    if (token.afterInvalid && !row) throw scanner.problem('json', 'is not valid UTF-8');
    if (depth === 0) {
      if (info.token === TokenType.LEFT_BRACE) expectKey = true;
      else if (info.token !== TokenType.RIGHT_BRACE) {
        throw scanner.problem('json', `must be one object with any of ${INVENTORY_KINDS.join(', ')}`);
      }
    } else if (depth === 1 && !list) {
      if (info.token === TokenType.COMMA) expectKey = true;
      else if (expectKey && info.token === TokenType.STRING) {
        expectKey = false;
        name = String(info.value);
      } else if (info.token === TokenType.COLON) {
        // Told at the colon, once bytes of the name that were not UTF-8 would have been.
        const kind = INVENTORY_KINDS.find((candidate) => candidate === name);
        if (!kind) throw scanner.problem(name, `is not one of ${INVENTORY_KINDS.join(', ')}`);
        if (places.has(kind)) throw scanner.problem(name, 'is given twice');
        key = { kind, line: token.line };
      } else if (key) {
        if (info.token !== TokenType.LEFT_BRACKET) throw scanner.problem(key.kind, 'must be a list of rows', key.line);
        list = { kind: key.kind, start: token.offset, line: token.line };
        key = undefined;
      }
    } else if (list && depth === 1) {
      places.set(list.kind, { start: list.start, end: token.offset, line: list.line });
      list = undefined;
      row = undefined;
    } else if (list) {
      if (depth === 2 && info.token === TokenType.COMMA) {
        row = undefined;
        return;
      }
      const current = (row ??= { offset: token.offset, line: token.line });
      if (token.offset - current.offset > MAX_JSON_ROW_BYTES) {
        throw scanner.problem('row', `is larger than ${MAX_JSON_ROW_BYTES / 1024} KiB`, current.line);
      }
    }
  };
  const scanner = new JsonScanner(1, bytes.check.invalid, [NOTHING], onToken, () => undefined);
  try {
    await scan(bytes.check, scanner);
  } finally {
    bytes.close();
  }
  return places;
}

/** A kind's list, row by row: each with the line it starts on, and which of its fields are not UTF-8. */
async function* listRows(file: string, place: ListPlace): AsyncIterable<RawRow> {
  const bytes = checkedBytes(file, QUESTION_MARK, { start: place.start, end: place.end });
  const ready: RawRow[] = [];
  let row: { line: number; problems: FieldProblem[] } | undefined;
  let field: string | undefined;
  let expectKey = false;
  const onToken = ({ info, depth, line, afterInvalid }: Token): void => {
    const column = field ?? 'row';
    if (afterInvalid && row && !row.problems.some((problem) => problem.column === column)) {
      row.problems.push({ column, reason: 'is not valid UTF-8' });
    }
    if (depth === 1 && info.token !== TokenType.COMMA && !CLOSERS.includes(info.token)) {
      row = { line, problems: [] };
      field = undefined;
      expectKey = info.token === TokenType.LEFT_BRACE;
    } else if (depth === 2 && info.token === TokenType.COMMA) {
      expectKey = true;
    } else if (depth === 2 && expectKey && info.token === TokenType.STRING) {
      field = String(info.value);
      expectKey = false;
    }
  };
  const onValue = (value: unknown): void => {
    if (!row) return;
    ready.push(
      row.problems.length > 0 ? { line: row.line, fields: value, problems: row.problems } : { line: row.line, fields: value },
    );
    row = undefined;
  };
  const scanner = new JsonScanner(place.line, bytes.check.invalid, ['$.*'], onToken, onValue);
  try {
    for await (const chunk of bytes.check) {
      if (!Buffer.isBuffer(chunk)) continue;
      scanner.write(chunk);
      yield* ready.splice(0);
    }
    scanner.end();
    yield* ready.splice(0);
  } finally {
    bytes.close();
  }
}

async function scan(check: Utf8Check, scanner: JsonScanner): Promise<void> {
  for await (const chunk of check) {
    if (Buffer.isBuffer(chunk)) scanner.write(chunk);
  }
  scanner.end();
}
