import { randomInt } from 'node:crypto';
import { addBusinessDays } from './businessDays';
import type { MergeRequestSummary } from './model';

/** Partner support contacts the requester within this many business days. */
export const SUPPORT_ANSWER_BUSINESS_DAYS = 2;

export const INFO_NEEDED_MAX = 1000;

export function supportDueDate(requestedAt: Date): Date {
  return addBusinessDays(requestedAt, SUPPORT_ANSWER_BUSINESS_DAYS);
}

/** Past its due date without an answer from partner support. */
export function isOverdue(request: MergeRequestSummary, now: Date): boolean {
  return request.state === 'open' && request.dueAt.getTime() < now.getTime();
}

/** Letters that cannot be misread for one another when read out on a support call. */
const ID_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A request id people can read and say: MR-20261121-7K3Q9. */
export function newSupportRequestId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  const suffix = Array.from({ length: 5 }, () => ID_ALPHABET[randomInt(ID_ALPHABET.length)]).join('');
  return `MR-${day}-${suffix}`;
}
