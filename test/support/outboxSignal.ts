import type { OutboxSignal } from '../../domain/ports/outbox';

/** An outbox signal that counts how often a store rang it; for stores used without a sender. */
export class CountingSignal implements OutboxSignal {
  rung = 0;

  jobsQueued(): void {
    this.rung++;
  }
}
