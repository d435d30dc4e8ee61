import type { InventoryImport, InventoryStore } from '../../domain/ports/inventory';
import type { PgDatabase } from './database';

// Being written on branch issue-15-inventory; replaced there.
export class PgInventory implements InventoryStore {
  constructor(private readonly db: PgDatabase) {}

  storedPartners(): Promise<ReadonlyMap<string, readonly string[]>> {
    throw new Error(`imports into PostgreSQL are not there yet (${this.db.schema})`);
  }

  partnerIdOwners(): Promise<ReadonlyMap<string, string>> {
    throw new Error('imports into PostgreSQL are not there yet');
  }

  owners(): Promise<ReadonlyMap<string, string>> {
    throw new Error('imports into PostgreSQL are not there yet');
  }

  beginImport(): Promise<InventoryImport> {
    throw new Error('imports into PostgreSQL are not there yet');
  }
}
