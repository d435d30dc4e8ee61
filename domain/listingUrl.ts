import type { Offer, Storefront } from './model';

/** The customer-facing storefronts whose listings an OCP GTM solution can be merged into. */
export const LISTING_HOSTS: Readonly<Record<string, Storefront | undefined>> = {
  'appsource.microsoft.com': 'appSource',
  'azuremarketplace.microsoft.com': 'azureMarketplace',
  // The unified Microsoft Marketplace lists both kinds of offer.
  'marketplace.microsoft.com': undefined,
};

export const LISTING_URL_PROBLEMS = [
  'empty',
  'tooLong',
  'notAUrl',
  'notHttps',
  'notMarketplaceHost',
  'credentialsOrPort',
  'notAListing',
] as const;
export type ListingUrlProblem = (typeof LISTING_URL_PROBLEMS)[number];

export interface ListingUrl {
  /** https, host and path only: query and fragment dropped, no trailing slash. */
  readonly url: string;
  readonly host: string;
  /** Known from the host, except on the unified marketplace. */
  readonly storefront?: Storefront;
  /** From `{publisherId}.{offerId}` listings (and Business Central's PUBID/AID form). */
  readonly publisherId?: string;
  readonly offerId?: string;
  /** From store-id listings: Office add-ins, Teams apps, Power BI visuals (WA…). */
  readonly storeId?: string;
}

export type ListingUrlResult =
  { readonly ok: true; readonly listing: ListingUrl } | { readonly ok: false; readonly problem: ListingUrlProblem };

const MAX_LENGTH = 2048;
const LOCALE = '(?:[a-z]{2,3}(?:-[a-z0-9]{2,4}){0,2}/)?';
const CATEGORY = '[a-z0-9]+(?:-[a-z0-9]+)*';
const ID = '([^/]+)';
/** Listing paths in use on the three storefronts, with the id as the last segment. */
const LISTING_PATHS: readonly RegExp[] = [
  new RegExp(`^/${LOCALE}product/(?:${CATEGORY}/)?${ID}$`, 'i'),
  new RegExp(`^/${LOCALE}marketplace/apps/${ID}$`, 'i'),
  new RegExp(`^/${LOCALE}marketplace/consulting-services/${ID}$`, 'i'),
];
const PRODUCT_ID = /^([a-z0-9][a-z0-9_-]{0,99})\.([a-z0-9][a-z0-9_.-]{0,149})$/i;
const STORE_ID = /^(wa\d{9})$/i;
const ID_PART = /^([a-z0-9_-]{1,150})$/i;

/**
 * Reads a customer-facing listing address from Microsoft AppSource, Azure Marketplace or the
 * unified Microsoft Marketplace. Anything else (another host, plain http, credentials or a port,
 * a search or category page) is refused with the reason.
 */
export function parseListingUrl(input: string): ListingUrlResult {
  const raw = input.trim();
  if (raw === '') return { ok: false, problem: 'empty' };
  if (raw.length > MAX_LENGTH) return { ok: false, problem: 'tooLong' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, problem: 'notAUrl' };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'notHttps' };
  const host = url.hostname.toLowerCase();
  if (!Object.prototype.hasOwnProperty.call(LISTING_HOSTS, host)) return { ok: false, problem: 'notMarketplaceHost' };
  if (url.username || url.password || url.port) return { ok: false, problem: 'credentialsOrPort' };

  const path = url.pathname.replace(/\/+$/, '');
  const encodedId = LISTING_PATHS.map((pattern) => pattern.exec(path)?.[1]).find((id) => id !== undefined);
  if (encodedId === undefined) return { ok: false, problem: 'notAListing' };
  let id: string;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    return { ok: false, problem: 'notAListing' };
  }

  const storefront = LISTING_HOSTS[host];
  const base = { url: `https://${host}${path}`, host, ...(storefront && { storefront }) };
  const product = PRODUCT_ID.exec(id);
  if (product?.[1] && product[2]) return { ok: true, listing: { ...base, publisherId: product[1], offerId: product[2] } };
  const store = STORE_ID.exec(id);
  if (store?.[1]) return { ok: true, listing: { ...base, storeId: store[1].toUpperCase() } };
  const businessCentral = businessCentralIds(id);
  if (businessCentral) return { ok: true, listing: { ...base, ...businessCentral } };
  return { ok: false, problem: 'notAListing' };
}

/** Business Central listings name the offer as `TYPE.x|PUBID.{publisherId}|AID.{offerId}|…`. */
function businessCentralIds(id: string): { publisherId: string; offerId: string } | undefined {
  const parts = new Map<string, string>();
  for (const part of id.split('|')) {
    const dot = part.indexOf('.');
    if (dot > 0) parts.set(part.slice(0, dot).toUpperCase(), part.slice(dot + 1));
  }
  const publisherId = parts.get('PUBID');
  const offerId = parts.get('AID');
  return publisherId && offerId && ID_PART.test(publisherId) && ID_PART.test(offerId) ? { publisherId, offerId } : undefined;
}

/** The partner's publisher ids, from its offers (imported or read from Partner Center), each once. */
export function publishersOf(offers: readonly Offer[]): string[] {
  const seen = new Map<string, string>();
  for (const offer of offers) {
    const key = offer.publisherId.toLowerCase();
    if (!seen.has(key)) seen.set(key, offer.publisherId);
  }
  return [...seen.values()];
}

/**
 * The listing's publisher when it is none of the partner's: a solution is merged only into an offer
 * of its own partner. A listing that names no publisher (a store id) or a partner with no offers
 * known cannot be told apart, and passes.
 */
export function otherPublisher(
  listing: ListingUrl,
  offers: readonly Offer[],
): { readonly publisherId: string; readonly publishers: readonly string[] } | undefined {
  const { publisherId } = listing;
  const publishers = publishersOf(offers);
  if (!publisherId || publishers.length === 0) return undefined;
  if (publishers.some((known) => known.toLowerCase() === publisherId.toLowerCase())) return undefined;
  return { publisherId, publishers };
}

/** The partner's offer a listing points at, by publisher and offer id, or by its listing address. */
export function offerForListing(listing: ListingUrl, offers: readonly Offer[]): Offer | undefined {
  const same = (a: string | undefined, b: string | undefined): boolean => !!a && !!b && a.toLowerCase() === b.toLowerCase();
  return (
    offers.find((offer) => same(offer.publisherId, listing.publisherId) && same(offer.offerId, listing.offerId)) ??
    offers.find((offer) => {
      if (!offer.listingUrl) return false;
      const known = parseListingUrl(offer.listingUrl);
      return known.ok && (same(known.listing.url, listing.url) || same(known.listing.storeId, listing.storeId));
    })
  );
}

/** Where an offer is listed, by its storefront, type and ids: for an offer that went live without its URL given. */
export function listingUrlFor(offer: Offer): string {
  const id = `${offer.publisherId}.${offer.offerId}`;
  if (offer.storefront === 'azureMarketplace') {
    const section = offer.type === 'consultingService' ? 'consulting-services' : 'apps';
    return `https://azuremarketplace.microsoft.com/en-us/marketplace/${section}/${id}`;
  }
  const category: Partial<Record<Offer['type'], string>> = {
    dynamics365Dataverse: 'dynamics-365',
    dynamics365Operations: 'dynamics-365-for-operations',
    dynamics365BusinessCentral: 'dynamics-365-business-central',
    powerBiApp: 'power-bi',
    powerBiVisual: 'power-bi-visuals',
    microsoft365: 'office',
  };
  return `https://appsource.microsoft.com/en-us/product/${category[offer.type] ?? 'web-apps'}/${id}`;
}

/** Where an offer of a type is listed when nobody says: AppSource for business apps, else Azure Marketplace. */
export function storefrontFor(type: Offer['type']): Storefront {
  const appSource: readonly Offer['type'][] = [
    'dynamics365Dataverse',
    'dynamics365Operations',
    'dynamics365BusinessCentral',
    'powerBiApp',
    'powerBiVisual',
    'microsoft365',
  ];
  return appSource.includes(type) ? 'appSource' : 'azureMarketplace';
}
