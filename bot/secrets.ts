import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal-length digests, so that comparing them takes as long whatever the token is. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
