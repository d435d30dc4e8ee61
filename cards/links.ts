import { domainToUnicode } from 'node:url';

/** Where the bot sends people in Partner Center and the docs. */
export const LINKS = {
  partnerSupport: 'https://partner.microsoft.com/support',
  migrationPortal: 'https://go.microsoft.com/fwlink/?linkid=2165807',
  migrationGuide: 'https://learn.microsoft.com/partner-center/marketplace/co-sell-migration',
  publisherList: 'https://go.microsoft.com/fwlink/?linkid=2165704',
  addUsers: 'https://go.microsoft.com/fwlink/?linkid=2166003',
  userRoles: 'https://learn.microsoft.com/partner-center/marketplace/user-roles',
  joinCloudPartnerProgram: 'https://partner.microsoft.com/dashboard/account/v3/enrollment/introduction/partnership',
  enrollMarketplace: 'https://learn.microsoft.com/partner-center/marketplace/create-account',
  coSellRequirements: 'https://learn.microsoft.com/partner-center/referrals/co-sell-requirements',
  coSellConfigure: 'https://learn.microsoft.com/partner-center/referrals/co-sell-configure',
  reviewAndPublish: 'https://learn.microsoft.com/partner-center/marketplace/review-publish-offer',
  publishingGuide: 'https://learn.microsoft.com/partner-center/marketplace/publisher-guide-by-offer-type',
  listingBestPractices: 'https://learn.microsoft.com/partner-center/marketplace/gtm-offer-listing-best-practices',
  partnerCenterOffers: 'https://partner.microsoft.com/dashboard/marketplace-offers/overview',
  migrationFaq: 'https://partner.microsoft.com/resources/detail/co-sell-requirements-publish-commercial-marketplace-faq-pdf',
} as const;

/**
 * Hosts a link on a card may point to: Partner Center, Microsoft Learn, Microsoft's short links, and
 * the storefronts that list offers. EXTRA_LINK_HOSTS adds others; nothing else reaches a button.
 */
export const LINK_HOSTS: readonly string[] = [
  'partner.microsoft.com',
  'learn.microsoft.com',
  'go.microsoft.com',
  'appsource.microsoft.com',
  'azuremarketplace.microsoft.com',
  'marketplace.microsoft.com',
];

const MAX_LINK_LENGTH = 2048;

/**
 * Why a URL may not be a link on a card, or undefined when it may: https only, no user name or
 * password (`https://partner.microsoft.com@evil.example/` names evil.example), no port, and a host
 * on the allow-list, compared after the URL parser has normalised it.
 */
export function linkProblem(url: string, extraHosts: readonly string[] = []): string | undefined {
  if (url.length > MAX_LINK_LENGTH) return `must be at most ${MAX_LINK_LENGTH} characters`;
  // Browsers drop tabs and newlines inside URLs; a link that needs them to read right is not taken.
  if (/\s/u.test(url) || hasControlCharacter(url)) {
    return 'must not contain spaces or control characters';
  }
  // Right-to-left overrides and their kin make a link read as another (…/exe.pdf shown for …/fdp.exe).
  if (BIDI_CONTROLS.test(url) || (url.includes('%') && BIDI_CONTROLS.test(decodedOrSame(url)))) {
    return 'must not contain bidirectional control characters (such as U+202E), which make a link read as another';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return unparsedProblem(url);
  }
  // Node 22 refuses such a host when parsing; Node 24's parser passes it through.
  if (hasInvalidPunycode(parsed.hostname)) return invalidPunycode(parsed.hostname);
  if (parsed.protocol !== 'https:') return 'must be an https URL';
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user name or password';
  if (parsed.port !== '') return 'must not name a port';
  const host = parsed.hostname.toLowerCase();
  if (!LINK_HOSTS.includes(host) && !extraHosts.includes(host)) {
    return `must be on ${[...LINK_HOSTS, ...extraHosts].join(', ')}`;
  }
  return undefined;
}

const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

function decodedOrSame(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

/** Why a URL the parser refused is not one, when its host says so: an xn-- label that is no valid punycode. */
function unparsedProblem(url: string): string {
  const host = /^https?:\/\/(?:[^@/?#]*@)?([^/?#:]*)/i.exec(url)?.[1] ?? '';
  return /(?:^|\.)xn--/i.test(host) ? invalidPunycode(host) : 'must be a URL';
}

/** A label written as punycode (xn--…) that does not decode to the international name it claims to be. */
function hasInvalidPunycode(host: string): boolean {
  return host.split('.').some((label) => label.toLowerCase().startsWith('xn--') && domainToUnicode(label) === label);
}

function invalidPunycode(host: string): string {
  return `must have a valid host name: ${host.slice(0, 100)} is not a valid international (punycode) domain name`;
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
