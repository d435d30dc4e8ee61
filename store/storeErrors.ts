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
