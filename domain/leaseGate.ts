import type { Leases } from './ports/leases';

/** Asked before each run of work that one instance at a time does. */
export interface WorkGate {
  /** Whether this instance is to do the work now. */
  held(): Promise<boolean>;
  /** Lets the work go, so that another instance takes it at once rather than after the lease. */
  release(): Promise<void>;
}

/**
 * A gate on a lease: each run takes or renews it, for long enough to reach the next run and then
 * some, so that the instance doing the work keeps it, and another takes over once it stops renewing.
 */
export class LeaseGate implements WorkGate {
  constructor(
    private readonly leases: Leases,
    private readonly name: string,
    private readonly holder: string,
    private readonly ttlMs: number,
  ) {}

  async held(): Promise<boolean> {
    try {
      return await this.leases.acquire(this.name, this.holder, this.ttlMs);
    } catch {
      // A store that cannot say who holds the lease: no run now, the next tick asks again.
      return false;
    }
  }

  async release(): Promise<void> {
    await this.leases.release(this.name, this.holder).catch(() => undefined);
  }
}
