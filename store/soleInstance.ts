import type { Leases } from '../domain/ports/leases';

/**
 * Leases for the embedded store, which one process holds exclusively: that process is the only
 * instance there is, and holds every lease.
 */
export class SoleInstanceLeases implements Leases {
  async acquire(): Promise<boolean> {
    return true;
  }

  async release(): Promise<void> {}
}
