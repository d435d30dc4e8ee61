import fs from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { InventoryKind } from '../../domain/inventory';
import type { FieldProblem } from './rows';
import { Utf8Check } from './utf8';

/** A row as read from a file, before it is checked: its fields and the line it starts on. */
export interface RawRow {
  readonly line: number;
  readonly fields: unknown;
  /** What is wrong with the row as read (bytes that are not UTF-8): it is refused with these. */
  readonly problems?: readonly FieldProblem[];
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
 * A file's bytes (or those from `start` to `end`, inclusive) through a UTF-8 check that replaces
 * invalid bytes with `replacement`. `close` lets go of the file, read to its end or not.
 */
export function checkedBytes(
  file: string,
  replacement: number,
  range?: { readonly start: number; readonly end: number },
): { readonly check: Utf8Check; close(): void } {
  const source = fs.createReadStream(file, range);
  const check = piped(source, new Utf8Check(replacement));
  return {
    check,
    close: () => {
      source.destroy();
      check.destroy();
    },
  };
}

/** `from` piped into `to`, which also ends with `from`'s error: the last stream of a chain is the one read. */
export function piped<T extends Writable>(from: Readable, to: T): T {
  from.once('error', (error) => to.destroy(error));
  return from.pipe(to);
}
