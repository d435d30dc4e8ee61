import { AWAITED_OFFER_NAME_MAX, cleanOfferName, sameOfferName, type AwaitedOfferInput } from './awaitedOffer';
import { offerForListing, otherPublisher, parseListingUrl } from './listingUrl';
import { checkMergeDetails, type MergeDetailsInput } from './mergeDetails';
import type {
  Actor,
  AuditEntry,
  AwaitedOffer,
  ConversationInfo,
  MigrationEvent,
  MigrationStatus,
  Offer,
  Solution,
  SolutionSummary,
  SupportAgent,
  SupportCase,
  SupportChannel,
  SupportRequest,
  UserIdentity,
} from './model';
import type { Clock } from './ports/clock';
import type { MigrationStore, NamedSolution, StatusChange } from './ports/migration';
import type { OutboxJob } from './ports/outbox';
import type { PartnerDataSource } from './ports/partners';
import { ok, refused, type Result } from './result';
import { MAX_TYPED_NAME, NAME_CANDIDATES, nameFragments, rankByName } from './solutionNames';
import { mayChange } from './roles';
import { nextStatus, TRANSITIONS } from './status';
import { INFO_NEEDED_MAX, newSupportRequestId, supportDueDate } from './supportRequests';

export const SOLUTIONS_PAGE_SIZE = 10;

export interface SolutionListPage {
  readonly items: readonly SolutionSummary[];
  /** 1-based, clamped to the pages that exist. */
  readonly page: number;
  readonly pageCount: number;
  readonly total: number;
  readonly counts: Readonly<Record<MigrationStatus, number>>;
  /** When the page was read: what "overdue" is judged against. */
  readonly asOf: Date;
}

export interface SolutionDetail {
  readonly solution: Solution;
  readonly lastChange?: AuditEntry;
  readonly asOf?: Date;
}

export interface Overview {
  readonly actor: Actor;
  readonly mayChange: boolean;
  readonly counts: Readonly<Record<MigrationStatus, number>>;
}

/** Action 1 of a merge: the solution and the partner's live offers it can be merged into. */
export interface MergeStart {
  readonly solution: Solution;
  readonly liveOffers: readonly Offer[];
}

/** The offer identified in Action 1 and the issue details it fills in for Action 2. */
export interface MergeDraft {
  readonly solution: Solution;
  readonly offer?: Offer;
  readonly details: MergeDetailsInput;
}

export interface MergeRequestOutcome {
  readonly request: SupportRequest;
  readonly solution: Solution;
  /** False when the request already existed: a second press, a retry or a race. */
  readonly created: boolean;
}

/** A solution awaiting a new offer, and the partner's offers that are not live yet, which it may wait for. */
export interface AwaitedOfferChoices {
  readonly solution: Solution;
  readonly offers: readonly Offer[];
}

export type OfferChoice = { readonly offerId: string } | { readonly listingUrl: string };

export interface MigrationServiceDeps {
  readonly store: MigrationStore;
  readonly partners: PartnerDataSource;
  readonly clock: Clock;
  /** How merge requests reach partner support; "stored" queues nothing. */
  readonly supportChannel?: SupportChannel;
  readonly newRequestId?: (now: Date) => string;
}

/** A concurrent change moved the solution on between our read and our write: decide again on the fresh state. */
const MAX_ATTEMPTS = 3;

export class MigrationService {
  private readonly store: MigrationStore;
  private readonly partners: PartnerDataSource;
  private readonly clock: Clock;
  private readonly supportChannel: SupportChannel;
  private readonly newRequestId: (now: Date) => string;

  constructor(deps: MigrationServiceDeps) {
    this.store = deps.store;
    this.partners = deps.partners;
    this.clock = deps.clock;
    this.supportChannel = deps.supportChannel ?? 'stored';
    this.newRequestId = deps.newRequestId ?? newSupportRequestId;
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
    let page = Math.max(1, Math.trunc(requestedPage));
    let read = await this.readPage(actor, page);
    // One read in the usual case; a page past the end (the list shrank since) is read again as the last.
    if (page > read.pageCount) {
      page = read.pageCount;
      read = await this.readPage(actor, page);
    }
    const { items, counts, total, pageCount } = read;
    return { items, page: Math.min(page, pageCount), pageCount, total, counts, asOf: this.clock.now() };
  }

  private async readPage(actor: Actor, page: number) {
    const slice = await this.store.listSolutions(actor.account.id, (page - 1) * SOLUTIONS_PAGE_SIZE, SOLUTIONS_PAGE_SIZE);
    const total = Object.values(slice.counts).reduce((sum, n) => sum + n, 0);
    return { ...slice, total, pageCount: Math.max(1, Math.ceil(total / SOLUTIONS_PAGE_SIZE)) };
  }

  async getSolution(actor: Actor, solutionId: string): Promise<Result<SolutionDetail>> {
    const solution = await this.store.getSolution(actor.account.id, solutionId);
    if (!solution) return refused({ code: 'solutionNotFound', solutionId });
    const lastChange = await this.store.latestAuditEntry(actor.account.id, solutionId);
    return ok({ solution, ...(lastChange && { lastChange }), asOf: this.clock.now() });
  }

  /**
   * The partner's solutions a typed id or name stands for: the one with that id, or those whose
   * name it is or is close to, best first. None for what is no solution's.
   */
  async findSolutions(actor: Actor, typed: string): Promise<readonly NamedSolution[]> {
    const text = typed.trim();
    if (text === '' || [...text].length > MAX_TYPED_NAME) return [];
    const byId =
      (await this.store.getSolution(actor.account.id, text)) ??
      (await this.store.getSolution(actor.account.id, text.toUpperCase()));
    if (byId) return [{ id: byId.id, name: byId.name }];
    const fragments = nameFragments(text);
    if (fragments.length === 0) return [];
    return rankByName(text, await this.store.solutionsNamedLike(actor.account.id, fragments, NAME_CANDIDATES));
  }

  /** The merge request of the solution that partner support has still to complete, if there is one. */
  openMergeRequest(actor: Actor, solutionId: string): Promise<SupportRequest | undefined> {
    return this.store.openSupportRequest(actor.account.id, solutionId);
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

  /**
   * No similar offer yet: the solution waits until the partner has published one, the one named in
   * `awaited` when the user named it. The user is told in `notifyIn` when an offer of their partner
   * goes live: offered the merge when it is the awaited one, asked when none was named.
   */
  async awaitNewOffer(
    actor: Actor,
    solutionId: string,
    notifyIn?: ConversationInfo,
    awaited: AwaitedOfferInput = {},
  ): Promise<Result<SolutionDetail>> {
    if (!mayChange(actor.member.role)) return refused({ code: 'notPermitted', role: actor.member.role });
    const resolved = await this.resolveAwaitedOffer(actor, awaited);
    if (!resolved.ok) return resolved;
    const awaitedOffer = resolved.value;
    if (!notifyIn) return this.transition(actor, solutionId, 'awaitNewOffer', undefined, awaitedOffer);
    const watcher = {
      userId: actor.member.userId,
      address: notifyIn.address,
      conversationKey: notifyIn.key,
      locale: notifyIn.locale,
      ...(notifyIn.tenantId && { tenantId: notifyIn.tenantId }),
    };
    return this.transition(
      actor,
      solutionId,
      'awaitNewOffer',
      (change) => this.store.awaitNewOffer(change, watcher),
      awaitedOffer,
    );
  }

  /** A waiting solution, with the partner's offers that are not live yet to choose the awaited one from. */
  async awaitedOfferChoices(actor: Actor, solutionId: string): Promise<Result<AwaitedOfferChoices>> {
    const checked = await this.check(actor, solutionId, 'setAwaitedOffer');
    if (!checked.ok) return checked;
    const offers = await this.partners.listOffers(actor.account.id);
    return ok({ solution: checked.value, offers: offers.filter((offer) => offer.publishingState !== 'live') });
  }

  /**
   * Names, changes or clears (given neither an offer nor a name) the offer a waiting solution waits
   * for. Saying what is already recorded changes nothing.
   */
  async setAwaitedOffer(actor: Actor, solutionId: string, awaited: AwaitedOfferInput): Promise<Result<SolutionDetail>> {
    const checked = await this.check(actor, solutionId, 'setAwaitedOffer');
    if (!checked.ok) return checked;
    const resolved = await this.resolveAwaitedOffer(actor, changedPart(awaited, checked.value.awaitedOffer));
    if (!resolved.ok) return resolved;
    if (sameAwaitedOffer(checked.value.awaitedOffer, resolved.value)) {
      const lastChange = await this.store.latestAuditEntry(actor.account.id, solutionId);
      return ok({ solution: checked.value, ...(lastChange && { lastChange }), asOf: this.clock.now() });
    }
    return this.transition(actor, solutionId, 'setAwaitedOffer', undefined, resolved.value);
  }

  /**
   * What a user said the solution waits for, checked against the partner's offers: a chosen offer
   * must be theirs and not live yet; a typed name that is one of their offers becomes that offer.
   */
  private async resolveAwaitedOffer(actor: Actor, input: AwaitedOfferInput): Promise<Result<AwaitedOffer | undefined>> {
    const offerId = input.offerId?.trim() || undefined;
    const name = input.offerName === undefined ? undefined : cleanOfferName(input.offerName) || undefined;
    if (name !== undefined && [...name].length > AWAITED_OFFER_NAME_MAX) return refused({ code: 'invalidAwaitedOfferName' });
    if (offerId === undefined && name === undefined) return ok(undefined);
    const offers = await this.partners.listOffers(actor.account.id);
    if (offerId !== undefined) {
      const offer = offers.find((candidate) => candidate.id === offerId);
      if (!offer) return refused({ code: 'awaitedOfferNotFound', offerId });
      if (name !== undefined && !sameOfferName(name, offer.name)) return refused({ code: 'awaitedOfferAmbiguous', offer, name });
      if (offer.publishingState === 'live') return refused({ code: 'awaitedOfferLive', offer });
      return ok({ offerId: offer.id, name: offer.name });
    }
    const named = offers.filter((offer) => sameOfferName(offer.name, name ?? ''));
    const coming = named.find((offer) => offer.publishingState !== 'live');
    if (coming) return ok({ offerId: coming.id, name: coming.name });
    const live = named[0];
    if (live) return refused({ code: 'awaitedOfferLive', offer: live });
    return ok({ name: name ?? '' });
  }

  /** Action 1: a solution that can be merged, with the live offers to merge it into. */
  async startMerge(actor: Actor, solutionId: string): Promise<Result<MergeStart>> {
    const checked = await this.check(actor, solutionId, 'requestMerge');
    if (!checked.ok) return checked;
    const liveOffers = await this.partners.listOffers(actor.account.id, 'live');
    return ok({ solution: checked.value, liveOffers });
  }

  /** The offer chosen in Action 1, by id or by listing address, and the details it fills in. */
  async identifyOffer(actor: Actor, solutionId: string, choice: OfferChoice): Promise<Result<MergeDraft>> {
    const checked = await this.check(actor, solutionId, 'requestMerge');
    if (!checked.ok) return checked;
    const solution = checked.value;
    if ('offerId' in choice) {
      const offer = await this.partners.getOffer(actor.account.id, choice.offerId);
      if (!offer) return refused({ code: 'offerNotFound', offerId: choice.offerId });
      if (offer.publishingState !== 'live' || !offer.listingUrl) return refused({ code: 'offerNotLive', offer });
      return ok({ solution, offer, details: detailsFrom(solution, offer, offer.listingUrl) });
    }
    const parsed = parseListingUrl(choice.listingUrl);
    if (!parsed.ok) return refused({ code: 'invalidListingUrl', problem: parsed.problem });
    const offers = await this.partners.listOffers(actor.account.id);
    const foreign = otherPublisher(parsed.listing, offers);
    if (foreign) return refused({ code: 'otherPublisher', ...foreign });
    const offer = offerForListing(parsed.listing, offers);
    return ok({ solution, ...(offer && { offer }), details: detailsFrom(solution, offer, parsed.listing.url) });
  }

  /**
   * Action 2, "Save & Contact support": stores the request, due in two business days, and moves the
   * solution to merge requested. A solution that already has an open request gets that request
   * back, so a second press, a retried delivery or two clients at once make one request.
   */
  async requestMerge(
    actor: Actor,
    solutionId: string,
    input: MergeDetailsInput,
    options: { readonly requesterAddress?: string } = {},
  ): Promise<Result<MergeRequestOutcome>> {
    if (!mayChange(actor.member.role)) return refused({ code: 'notPermitted', role: actor.member.role });
    for (let attempt = 1; ; attempt++) {
      const solution = await this.store.getSolution(actor.account.id, solutionId);
      if (!solution) return refused({ code: 'solutionNotFound', solutionId });
      const existing = await this.store.openSupportRequest(actor.account.id, solutionId);
      if (existing) return ok({ request: existing, solution, created: false });
      const outcome = nextStatus(solution.status, 'requestMerge');
      if (!outcome.ok) return refused({ code: 'illegalTransition', event: 'requestMerge', solution });

      const details = checkMergeDetails(input, solution.id);
      if (!details.ok) return refused({ code: 'invalidMergeDetails', valid: details.valid, problems: details.problems });
      const offers = await this.partners.listOffers(actor.account.id);
      const parsed = parseListingUrl(details.details.listingUrl);
      const foreign = parsed.ok ? otherPublisher(parsed.listing, offers) : undefined;
      if (foreign) return refused({ code: 'otherPublisher', ...foreign });
      const offer = parsed.ok ? offerForListing(parsed.listing, offers) : undefined;

      const at = this.clock.now();
      const request: SupportRequest = {
        id: this.newRequestId(at),
        partnerAccountId: actor.account.id,
        solutionId,
        ...details.details,
        ...(offer && { offerId: offer.id }),
        requestedBy: { userId: actor.member.userId, name: actor.member.displayName },
        requestedAt: at,
        dueAt: supportDueDate(at),
        state: 'open',
        ...(options.requesterAddress && { requesterAddress: options.requesterAddress }),
      };
      const change = statusChange(memberOf(actor), solution, 'requestMerge', outcome.to, at);
      const jobs: OutboxJob[] =
        this.supportChannel === 'stored'
          ? []
          : [
              {
                kind: 'supportRequest',
                dedupeKey: `support:${request.id}`,
                orderingKey: 'support',
                payload: { requestId: request.id },
              },
            ];
      if (await this.store.createMergeRequest({ request, change, jobs })) {
        return ok({ request, solution: afterChange(solution, change, request), created: true });
      }
      if (attempt === MAX_ATTEMPTS) return refused({ code: 'concurrentChange', event: 'requestMerge', solution });
    }
  }

  /** Partner support merged the solution into the offer: it keeps its pipeline, collateral and co-sell status. */
  async completeMerge(agent: SupportAgent, requestId: string): Promise<Result<MergeRequestOutcome>> {
    for (let attempt = 1; ; attempt++) {
      const request = await this.store.getSupportRequest(requestId);
      if (!request) return refused({ code: 'requestNotFound', requestId });
      const solution = await this.store.getSolution(request.partnerAccountId, request.solutionId);
      if (!solution) return refused({ code: 'requestNotFound', requestId });
      if (request.state === 'completed') return ok({ request, solution, created: false });
      const outcome = nextStatus(solution.status, 'completeMerge');
      if (!outcome.ok) return refused({ code: 'illegalTransition', event: 'completeMerge', solution });

      const at = this.clock.now();
      const change = statusChange(agent, solution, 'completeMerge', outcome.to, at);
      const jobs = request.requesterAddress ? [noticeJob(request.id, 'merged', 'merged')] : [];
      if (await this.store.completeMerge({ requestId, change, agent, jobs })) {
        const completed: SupportRequest = { ...request, state: 'completed', completedAt: at };
        return ok({ request: completed, solution: afterChange(solution, change), created: true });
      }
      if (attempt === MAX_ATTEMPTS) return refused({ code: 'concurrentChange', event: 'completeMerge', solution });
    }
  }

  /** Partner support needs more from the requester, who is told what. */
  async requestMoreInfo(agent: SupportAgent, requestId: string, infoNeeded: string): Promise<Result<SupportRequest>> {
    const text = infoNeeded.trim();
    if (text === '' || [...text].length > INFO_NEEDED_MAX) return refused({ code: 'invalidInfoNeeded' });
    const request = await this.store.getSupportRequest(requestId);
    if (!request) return refused({ code: 'requestNotFound', requestId });
    if (request.state === 'completed') return refused({ code: 'requestCompleted', request });
    const at = this.clock.now();
    const jobs = request.requesterAddress ? [noticeJob(request.id, 'infoRequested', `info:${at.getTime()}`)] : [];
    if (!(await this.store.requestInfo({ requestId, infoNeeded: text, at, agent, jobs }))) {
      const current = await this.store.getSupportRequest(requestId);
      return current ? refused({ code: 'requestCompleted', request: current }) : refused({ code: 'requestNotFound', requestId });
    }
    return ok({ ...request, state: 'infoRequested', infoNeeded: text });
  }

  /** Solutions of a partner by id, for work done outside a user's turn; unknown ids are left out. */
  async solutionsById(partnerAccountId: string, solutionIds: readonly string[]): Promise<readonly Solution[]> {
    const found: Solution[] = [];
    for (const id of solutionIds) {
      const solution = await this.store.getSolution(partnerAccountId, id);
      if (solution) found.push(solution);
    }
    return found;
  }

  /** One of the actor's partner's offers. */
  offer(actor: Actor, offerId: string): Promise<Offer | undefined> {
    return this.partners.getOffer(actor.account.id, offerId);
  }

  /** A request with its solution and partner, as support and the notices about it need them. */
  async supportCase(requestId: string): Promise<SupportCase | undefined> {
    const request = await this.store.getSupportRequest(requestId);
    if (!request) return undefined;
    const solution = await this.store.getSolution(request.partnerAccountId, request.solutionId);
    const account = await this.partners.getAccount(request.partnerAccountId);
    return solution && account ? { request, solution, account } : undefined;
  }

  private async transition(
    actor: Actor,
    solutionId: string,
    event: MigrationEvent,
    apply: (change: StatusChange) => Promise<boolean> = (change) => this.store.applyStatusChange(change),
    awaitedOffer?: AwaitedOffer,
  ): Promise<Result<SolutionDetail>> {
    for (let attempt = 1; ; attempt++) {
      const checked = await this.check(actor, solutionId, event);
      if (!checked.ok) return checked;
      const solution = checked.value;
      const change = statusChange(memberOf(actor), solution, event, TRANSITIONS[event].to, this.clock.now(), awaitedOffer);
      if (await apply(change)) {
        return ok({ solution: afterChange(solution, change), lastChange: auditEntryOf(change), asOf: change.at });
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

/** Who made a change, as the audit trail records them. */
interface ChangedBy {
  readonly userId: string;
  readonly name: string;
}

function memberOf(actor: Actor): ChangedBy {
  return { userId: actor.member.userId, name: actor.member.displayName };
}

function statusChange(
  by: ChangedBy,
  solution: Solution,
  event: MigrationEvent,
  to: MigrationStatus,
  at: Date,
  awaitedOffer?: AwaitedOffer,
): StatusChange {
  return {
    partnerAccountId: solution.partnerAccountId,
    solutionId: solution.id,
    expectedVersion: solution.version,
    event,
    from: solution.status,
    to,
    actorUserId: by.userId,
    actorName: by.name,
    at,
    ...(awaitedOffer && { awaitedOffer }),
  };
}

function detailsFrom(solution: Solution, offer: Offer | undefined, listingUrl: string): MergeDetailsInput {
  return {
    ...(offer && { offerType: offer.type, offerName: offer.name }),
    ocpSolutionId: solution.id,
    listingUrl,
  };
}

function afterChange(solution: Solution, change: StatusChange, request?: SupportRequest): Solution {
  // What a solution waits for is the change's to say: a change that names none leaves none.
  return {
    ...withoutAwaitedOffer(solution),
    ...(change.awaitedOffer && { awaitedOffer: change.awaitedOffer }),
    status: change.to,
    statusChangedAt: change.at,
    version: solution.version + 1,
    ...(request && { mergeRequest: { id: request.id, state: request.state, dueAt: request.dueAt } }),
  };
}

function withoutAwaitedOffer({ awaitedOffer: _awaited, ...rest }: Solution): Omit<Solution, 'awaitedOffer'> {
  return rest;
}

function auditEntryOf(change: StatusChange): AuditEntry {
  const { solutionId, actorUserId, actorName, at, event, from, to, awaitedOffer } = change;
  return { solutionId, actorUserId, actorName, at, event, from, to, ...(awaitedOffer && { awaitedOffer }) };
}

/**
 * An offer chosen beside the name the solution waits for now is a change to that offer: the form
 * shows the current name, and choosing an offer leaves it there.
 */
function changedPart(input: AwaitedOfferInput, current: AwaitedOffer | undefined): AwaitedOfferInput {
  const { offerId, offerName } = input;
  const nameKept =
    current !== undefined && current.offerId === undefined && offerName !== undefined && sameOfferName(offerName, current.name);
  return offerId?.trim() && nameKept ? { offerId } : input;
}

function sameAwaitedOffer(a: AwaitedOffer | undefined, b: AwaitedOffer | undefined): boolean {
  if (!a || !b) return a === b;
  return a.offerId === b.offerId && sameOfferName(a.name, b.name);
}

function noticeJob(requestId: string, notice: 'merged' | 'infoRequested', key: string): OutboxJob {
  return {
    kind: 'requesterNotice',
    dedupeKey: `notice:${requestId}:${key}`,
    orderingKey: `requester:${requestId}`,
    payload: { requestId, notice },
  };
}
