/**
 * The store did not answer: the shared database is down, restarting or cut off. A write under way
 * may or may not have committed; trying it again once the store is back is safe, as every write is
 * checked against the version it was made from, or keyed.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'StoreUnavailableError';
  }
}

/** The store could not be reached at start: a bad URL, a refused connection, wrong credentials. */
export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

/** The store is held by another process, or another connection of this one. */
export class StoreInUseError extends Error {
  constructor(readonly file: string) {
    super(`${file} is in use by another bot process: one process owns the embedded store`);
    this.name = 'StoreInUseError';
  }
}
