import { certificationAttachment, offerLiveAttachment, offerLiveQuestionAttachment } from '../cards/notice';
import { matchAwaited } from '../domain/awaitedOffer';
import type { MigrationService } from '../domain/migrationService';
import type { NotificationService } from '../domain/notificationService';
import type { NotificationSender } from '../domain/ports/notifications';
import type { JobHandler } from '../domain/ports/outbox';
import type { PartnerDataSource } from '../domain/ports/partners';
import { localeFromTag, type Translators } from '../locales/i18n';
import { languageAt, type ConversationLanguages } from './placeLanguage';

/** Teams answers these when the bot was removed from a conversation, or the conversation is gone. */
const GONE = new Set([403, 404]);

export interface CertificationJobDeps {
  readonly notifications: NotificationService;
  readonly migration: MigrationService;
  readonly partners: PartnerDataSource;
  readonly sender: NotificationSender;
  readonly translators: Translators;
  /** A channel's own language wins over the one its subscriber or waiting user had. */
  readonly conversationLanguages: ConversationLanguages;
  readonly log: { info(fields: Readonly<Record<string, unknown>>, message: string): void };
}

/** A change's card to one subscribed conversation, in the language it chose, else the one it subscribed in. */
export function certificationCardHandler(deps: CertificationJobDeps): JobHandler<'certificationCard'> {
  return async (job) => {
    const { conversationKey, changeId } = job.payload;
    const change = await deps.notifications.getChange(changeId);
    if (!change) return { ok: false, status: 404, error: `no change ${changeId}` };
    const subscription = (await deps.notifications.subscriptionsOf(conversationKey)).find(
      (candidate) => candidate.partnerAccountId === change.partnerAccountId,
    );
    if (!subscription) return { ok: false, status: 410, error: 'the conversation unsubscribed' };
    const offer = await deps.partners.findOffer(change.offerId);
    if (!offer) return { ok: false, status: 404, error: `no offer ${change.offerId}` };
    const chosen = await deps.conversationLanguages.language(conversationKey);
    const t = deps.translators.for(localeFromTag(chosen ?? subscription.locale));
    const outcome = await deps.sender.send(subscription.address, {
      summary: t.t('certification.heading', { offer: offer.name, status: t.t(`publishingState.${change.status}`) }),
      attachments: [certificationAttachment(change, offer, t)],
    });
    if (!outcome.ok && outcome.status !== undefined && GONE.has(outcome.status)) {
      const forgotten = await deps.notifications.forgetConversation(conversationKey);
      deps.log.info({ conversationKey, status: outcome.status, forgotten }, 'conversation gone; its subscriptions are removed');
    }
    return outcome;
  };
}

/** Solutions left open that one notice asks about, each on a card of its own; the rest are counted. */
const MAX_QUESTIONS = 5;

/**
 * An offer went live: tell a user waiting with solutions for a new offer. Those waiting for this
 * offer get a button to merge each; those waiting for none in particular, the question whether it is
 * theirs; those waiting for another offer, nothing. Where each stands is read when the notice goes
 * out, so that a merge, a discard or a change of the awaited offer in the meantime counts.
 */
export function offerLiveNoticeHandler(deps: CertificationJobDeps): JobHandler<'offerLiveNotice'> {
  return async (job) => {
    const { changeId, solutionIds, locale, address } = job.payload;
    const change = await deps.notifications.getChange(changeId);
    const offer = change && (await deps.partners.findOffer(change.offerId));
    if (!change || !offer) return { ok: false, status: 404, error: `no change or offer for ${changeId}` };
    const waiting = (await deps.migration.solutionsById(change.partnerAccountId, solutionIds)).filter(
      (solution) => solution.status === 'awaitingNewOffer',
    );
    const awaiting = waiting.filter((solution) => matchAwaited(offer, solution.awaitedOffer) === 'awaited');
    const open = waiting.filter((solution) => matchAwaited(offer, solution.awaitedOffer) === 'open');
    if (awaiting.length === 0 && open.length === 0) return { ok: true };
    const t = deps.translators.for(await languageAt(deps.conversationLanguages, address, locale));
    const asked = open.slice(0, MAX_QUESTIONS);
    const unasked = open.length - asked.length;
    return deps.sender.send(address, {
      summary: t.t('offerLive.heading', { offer: offer.name }),
      ...(unasked > 0 && { text: t.t('offerLive.more', { count: unasked }) }),
      attachments: [
        ...(awaiting.length > 0 ? [offerLiveAttachment(offer, awaiting, t)] : []),
        ...asked.map((solution) => offerLiveQuestionAttachment(offer, solution, t)),
      ],
    });
  };
}
