/**
 * Work that one instance of the bot at a time does, such as the Partner Center sync: an instance
 * holds a lease on it until it lapses or is renewed; when the holder dies, another takes over
 * after the lease.
 */
export interface Leases {
  /** Takes or renews `name` for `holder` for `ttlMs`; false while another holder's lease runs. */
  acquire(name: string, holder: string, ttlMs: number): Promise<boolean>;
  release(name: string, holder: string): Promise<void>;
}
