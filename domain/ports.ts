import type {
  AuditEntry,
  Member,
  MigrationEvent,
  MigrationStatus,
  Offer,
  PartnerAccount,
  PublishingState,
  Solution,
  UserIdentity,
} from './model';

export interface Clock {
  now(): Date;
}

export interface SolutionSlice {
  readonly items: readonly Solution[];
  readonly counts: Readonly<Record<MigrationStatus, number>>;
}

export interface StatusChange {
  readonly partnerAccountId: string;
  readonly solutionId: string;
  /** The change applies only if the solution is still at this version. */
  readonly expectedVersion: number;
  readonly event: MigrationEvent;
  readonly from: MigrationStatus;
  readonly to: MigrationStatus;
  readonly actorUserId: string;
  readonly actorName: string;
  readonly at: Date;
}

/** Where migration state lives. Every write is atomic together with its audit entry. */
export interface MigrationStore {
  getSolution(partnerAccountId: string, solutionId: string): Promise<Solution | undefined>;
  /** One page in list order, with the partner's counts per status. */
  listSolutions(partnerAccountId: string, offset: number, limit: number): Promise<SolutionSlice>;
  countByStatus(partnerAccountId: string): Promise<Readonly<Record<MigrationStatus, number>>>;
  /** False when the solution moved on since expectedVersion; nothing is written then. */
  applyStatusChange(change: StatusChange): Promise<boolean>;
  latestAuditEntry(partnerAccountId: string, solutionId: string): Promise<AuditEntry | undefined>;
}

/** Who the partners are and what they publish: the demo data today, the Partner Center APIs next. */
export interface PartnerDataSource {
  getAccount(partnerAccountId: string): Promise<PartnerAccount | undefined>;
  findMember(identity: UserIdentity): Promise<Member | undefined>;
  listOffers(partnerAccountId: string, publishingState?: PublishingState): Promise<readonly Offer[]>;
  getOffer(partnerAccountId: string, offerId: string): Promise<Offer | undefined>;
}
