import { createHash, timingSafeEqual } from 'node:crypto';

/** Equal-length digests, so that comparing them takes as long whatever the token is. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Whether an Authorization header is exactly `Bearer <expected>`: the scheme in any case, one space,
 * the token, nothing after it. Compared in constant time, whatever was sent.
 */
export function bearerMatches(header: string | undefined, expected: string | undefined): boolean {
  const given = /^bearer (\S+)$/i.exec(header ?? '')?.[1];
  return expected !== undefined && given !== undefined && sameSecret(given, expected);
}
