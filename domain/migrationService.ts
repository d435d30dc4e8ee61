import type { Actor, AuditEntry, MigrationEvent, MigrationStatus, Solution, UserIdentity } from './model';
import type { Clock, MigrationStore, PartnerDataSource, StatusChange } from './ports';
import { ok, refused, type Result } from './result';
import { mayChange } from './roles';
import { nextStatus, TRANSITIONS } from './status';

export const SOLUTIONS_PAGE_SIZE = 10;

export interface SolutionListPage {
  readonly items: readonly Solution[];
  /** 1-based, clamped to the pages that exist. */
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  readonly counts: Readonly<Record<MigrationStatus, number>>;
}

export interface SolutionDetail {
  readonly solution: Solution;
  readonly lastChange?: AuditEntry;
}

export interface Overview {
  readonly actor: Actor;
  readonly mayChange: boolean;
  readonly counts: Readonly<Record<MigrationStatus, number>>;
}

export interface MigrationServiceDeps {
  readonly store: MigrationStore;
  readonly partners: PartnerDataSource;
  readonly clock: Clock;
}

/** A concurrent change moved the solution on between our read and our write: decide again on the fresh state. */
const MAX_ATTEMPTS = 3;

export class MigrationService {
  private readonly store: MigrationStore;
  private readonly partners: PartnerDataSource;
  private readonly clock: Clock;

  constructor(deps: MigrationServiceDeps) {
    this.store = deps.store;
    this.partners = deps.partners;
    this.clock = deps.clock;
  }

  /** The member behind an identity, with their partner account; undefined for someone not registered. */
  async actorFor(identity: UserIdentity): Promise<Actor | undefined> {
    const member = await this.partners.findMember(identity);
    if (!member) return undefined;
    const account = await this.partners.getAccount(member.partnerAccountId);
    return account ? { member, account } : undefined;
  }

  async overview(actor: Actor): Promise<Overview> {
    const counts = await this.store.countByStatus(actor.account.id);
    return { actor, mayChange: mayChange(actor.member.role), counts };
  }

  async listSolutions(actor: Actor, requestedPage: number): Promise<SolutionListPage> {
    const counts = await this.store.countByStatus(actor.account.id);
    const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    const pageCount = Math.max(1, Math.ceil(total / SOLUTIONS_PAGE_SIZE));
    const page = Math.min(Math.max(1, Math.trunc(requestedPage)), pageCount);
    const slice = await this.store.listSolutions(actor.account.id, (page - 1) * SOLUTIONS_PAGE_SIZE, SOLUTIONS_PAGE_SIZE);
    return { items: slice.items, page, pageCount, total, counts: slice.counts };
  }

  async getSolution(actor: Actor, solutionId: string): Promise<Result<SolutionDetail>> {
    const solution = await this.store.getSolution(actor.account.id, solutionId);
    if (!solution) return refused({ code: 'solutionNotFound', solutionId });
    const lastChange = await this.store.latestAuditEntry(actor.account.id, solutionId);
    return ok(lastChange ? { solution, lastChange } : { solution });
  }

  /** The solution, if it waits for a migration decision and the actor may make it. */
  async solutionToDecide(actor: Actor, solutionId: string): Promise<Result<Solution>> {
    if (!mayChange(actor.member.role)) return refused({ code: 'notPermitted', role: actor.member.role });
    const solution = await this.store.getSolution(actor.account.id, solutionId);
    if (!solution) return refused({ code: 'solutionNotFound', solutionId });
    return solution.status === 'pendingAction' ? ok(solution) : refused({ code: 'notPending', solution });
  }

  /** Whether `event` would be accepted now: what a confirmation card is shown for. */
  async check(actor: Actor, solutionId: string, event: MigrationEvent): Promise<Result<Solution>> {
    if (!mayChange(actor.member.role)) return refused({ code: 'notPermitted', role: actor.member.role });
    const solution = await this.store.getSolution(actor.account.id, solutionId);
    if (!solution) return refused({ code: 'solutionNotFound', solutionId });
    return nextStatus(solution.status, event).ok ? ok(solution) : refused({ code: 'illegalTransition', event, solution });
  }

  discard(actor: Actor, solutionId: string): Promise<Result<SolutionDetail>> {
    return this.transition(actor, solutionId, 'discard');
  }

  undoDiscard(actor: Actor, solutionId: string): Promise<Result<SolutionDetail>> {
    return this.transition(actor, solutionId, 'undoDiscard');
  }

  private async transition(actor: Actor, solutionId: string, event: MigrationEvent): Promise<Result<SolutionDetail>> {
    for (let attempt = 1; ; attempt++) {
      const checked = await this.check(actor, solutionId, event);
      if (!checked.ok) return checked;
      const solution = checked.value;
      const change: StatusChange = {
        partnerAccountId: actor.account.id,
        solutionId,
        expectedVersion: solution.version,
        event,
        from: solution.status,
        to: TRANSITIONS[event].to,
        actorUserId: actor.member.userId,
        actorName: actor.member.displayName,
        at: this.clock.now(),
      };
      if (await this.store.applyStatusChange(change)) {
        return ok({
          solution: { ...solution, status: change.to, statusChangedAt: change.at, version: solution.version + 1 },
          lastChange: {
            solutionId,
            actorUserId: change.actorUserId,
            actorName: change.actorName,
            at: change.at,
            event,
            from: change.from,
            to: change.to,
          },
        });
      }
      if (attempt === MAX_ATTEMPTS) {
        const current = await this.store.getSolution(actor.account.id, solutionId);
        return current
          ? refused({ code: 'concurrentChange', event, solution: current })
          : refused({ code: 'solutionNotFound', solutionId });
      }
    }
  }
}
