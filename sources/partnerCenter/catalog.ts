import { z } from 'zod';
import type { OfferType, PublishingState } from '../../domain/model';
import type { CatalogOffer, CatalogRead, PartnerCenterCatalog } from '../../domain/ports/partnerCenter';
import type { ApiClient } from './http';

/**
 * The partner's offers as Partner Center's two publishing APIs give them. The Product Ingestion API
 * (Microsoft Graph) covers SaaS, virtual machine and container offers; the older Partner Center
 * ingestion API, every other type. Shapes follow Microsoft Learn's pages named at each schema, and
 * the requests Microsoft's own `az partnercenter` extension makes.
 */

export interface CatalogOptions {
  /** https://graph.microsoft.com/rp/product-ingestion */
  readonly productIngestionUrl: string;
  /** https://api.partner.microsoft.com/v1.0/ingestion */
  readonly partnerIngestionUrl: string;
  readonly productIngestion: ApiClient;
  readonly partnerIngestion: ApiClient;
  /** Products whose submissions are read at the same time. */
  readonly concurrency?: number;
}

/** Schema versions, as "Product Ingestion API for the commercial marketplace" lists them. */
const PRODUCT_VERSION = '2022-03-01-preview3';
const SUBMISSION_VERSION = '2022-03-01-preview2';
/** A paging loop that does not end is a fault of the other side; no partner has this many pages. */
const MAX_PAGES = 1000;

const PRODUCT_INGESTION_TYPES: Readonly<Record<string, OfferType>> = {
  softwareAsAService: 'saas',
  azureVirtualMachine: 'azureVirtualMachine',
  azureContainer: 'azureContainer',
};

/** The ingestion API's resource types, less those the Product Ingestion API covers. */
const PARTNER_INGESTION_TYPES: Readonly<Record<string, OfferType>> = {
  AzureApplication: 'azureApplication',
  AzureConsultingService: 'consultingService',
  AzureDynamics365ForCustomerEngagement: 'dynamics365Dataverse',
  AzureDynamics365ForOperations: 'dynamics365Operations',
  AzureDynamics365BusinessCentral: 'dynamics365BusinessCentral',
  AzureIoTEdgeModule: 'iotEdgeModule',
  AzureManagedService: 'managedService',
  AzurePowerBIApp: 'powerBiApp',
  AzurePowerBIVisual: 'powerBiVisual',
};
const COVERED_BY_PRODUCT_INGESTION = new Set(['SoftwareAsAService', 'AzureThirdPartyVirtualMachine', 'AzureContainer']);

/** "Product Ingestion API": GET product?$version=…; `externalId` is spelled `externalID` in newer pages. */
const productPage = z.object({
  value: z.array(
    z.looseObject({
      id: z.string().regex(/^product\/[0-9a-f-]+$/i),
      identity: z.looseObject({ externalId: z.string().optional(), externalID: z.string().optional() }),
      type: z.string(),
      alias: z.string(),
    }),
  ),
  '@nextLink': z.string().optional(),
});

/** "Product Ingestion API": GET submission/{productId}?$version=…; the draft (…/0) has no status. */
const submissionPage = z.object({
  value: z.array(
    z.looseObject({
      id: z.string(),
      target: z.looseObject({ targetType: z.string() }),
      status: z.string().optional(),
      result: z.string().optional(),
      created: z.string().optional(),
    }),
  ),
  '@nextLink': z.string().optional(),
});

/** "Partner Center submission API to onboard Azure apps": GET products; `nextLink` is relative to the host. */
const legacyProductPage = z.object({
  value: z.array(
    z.looseObject({
      id: z.string(),
      resourceType: z.string(),
      name: z.string(),
      externalIDs: z.array(z.looseObject({ type: z.string(), value: z.string() })).optional(),
    }),
  ),
  nextLink: z.string().optional(),
});

/** GET products/{id}/submissions: `state` InProgress or Published, `substate` where in it. */
const legacySubmissionPage = z.object({
  value: z.array(
    z.looseObject({
      id: z.string(),
      state: z.string(),
      substate: z.string(),
      targets: z.array(z.looseObject({ type: z.string(), value: z.string() })).optional(),
      releaseNumber: z.number().optional(),
    }),
  ),
  nextLink: z.string().optional(),
});

interface ProductEntry {
  readonly productId: string;
  readonly offerId: string;
  readonly name: string;
  readonly type: OfferType;
  readonly state: () => Promise<PublishingState>;
}

export class PartnerCenterApis implements PartnerCenterCatalog {
  constructor(private readonly options: CatalogOptions) {}

  async read(): Promise<CatalogRead> {
    const { productIngestion, partnerIngestion } = this.options;
    const before = productIngestion.requests + partnerIngestion.requests;
    const failures: string[] = [];
    const lists = await Promise.allSettled([this.productIngestionEntries(), this.partnerIngestionEntries()]);
    const entries: ProductEntry[] = [];
    for (const [index, list] of lists.entries()) {
      if (list.status === 'fulfilled') entries.push(...list.value);
      else failures.push(`the ${index === 0 ? 'Product Ingestion' : 'ingestion'} API's products (${reason(list.reason)})`);
    }
    if (failures.length === lists.length) throw new Error(`Partner Center could not be read: ${failures.join('; ')}`);
    const offers: CatalogOffer[] = [];
    const seen = new Set<string>();
    await eachLimited(entries, this.options.concurrency ?? 8, async (entry) => {
      if (seen.has(entry.productId)) return;
      seen.add(entry.productId);
      try {
        const { state, ...product } = entry;
        offers.push({ ...product, state: await state(), pageUrl: pageUrlOf(entry.productId) });
      } catch (error: unknown) {
        failures.push(`the submissions of ${entry.offerId} (${reason(error)})`);
      }
    });
    return { offers, failures, requests: productIngestion.requests + partnerIngestion.requests - before };
  }

  private async productIngestionEntries(): Promise<ProductEntry[]> {
    const client = this.options.productIngestion;
    const start = withQuery(`${trimmed(this.options.productIngestionUrl)}/product`, { $version: PRODUCT_VERSION });
    const entries: ProductEntry[] = [];
    for await (const page of pages(client, start, productPage, '@nextLink')) {
      for (const product of page.value) {
        const type = PRODUCT_INGESTION_TYPES[product.type];
        const offerId = product.identity.externalId ?? product.identity.externalID;
        if (!type || !offerId) continue;
        const productId = product.id.slice('product/'.length);
        const url = withQuery(`${trimmed(this.options.productIngestionUrl)}/submission/${productId}`, {
          $version: SUBMISSION_VERSION,
        });
        entries.push({ productId, offerId, name: product.alias, type, state: () => this.productIngestionState(url) });
      }
    }
    return entries;
  }

  /** Where the latest submission stands: the newest one past the draft decides. */
  private async productIngestionState(url: string): Promise<PublishingState> {
    const submissions = [];
    for await (const page of pages(this.options.productIngestion, url, submissionPage, '@nextLink'))
      submissions.push(...page.value);
    const latest = submissions
      .filter((submission) => submission.target.targetType !== 'draft' && submission.created)
      .sort((a, b) => Date.parse(b.created ?? '') - Date.parse(a.created ?? ''))[0];
    if (!latest) return 'draft';
    if (latest.result === 'failed') return 'certificationFailed';
    if (latest.status !== 'completed' || latest.result !== 'succeeded') return 'inCertification';
    return latest.target.targetType === 'live' ? 'live' : 'previewReady';
  }

  private async partnerIngestionEntries(): Promise<ProductEntry[]> {
    const client = this.options.partnerIngestion;
    const base = trimmed(this.options.partnerIngestionUrl);
    const entries: ProductEntry[] = [];
    for await (const page of pages(client, `${base}/products`, legacyProductPage, 'nextLink')) {
      for (const product of page.value) {
        if (COVERED_BY_PRODUCT_INGESTION.has(product.resourceType)) continue;
        const type = PARTNER_INGESTION_TYPES[product.resourceType];
        const offerId = product.externalIDs?.find((id) => id.type.toLowerCase() === 'azureofferid')?.value;
        if (!type || !offerId) continue;
        const url = `${base}/products/${encodeURIComponent(product.id)}/submissions`;
        entries.push({ productId: product.id, offerId, name: product.name, type, state: () => this.partnerIngestionState(url) });
      }
    }
    return entries;
  }

  /** Where the latest submission (the highest release, else the last listed) stands. */
  private async partnerIngestionState(url: string): Promise<PublishingState> {
    const submissions = [];
    for await (const page of pages(this.options.partnerIngestion, url, legacySubmissionPage, 'nextLink'))
      submissions.push(...page.value);
    const latest = submissions.reduce<(typeof submissions)[number] | undefined>(
      (newest, submission) => (!newest || (submission.releaseNumber ?? 0) >= (newest.releaseNumber ?? 0) ? submission : newest),
      undefined,
    );
    if (!latest) return 'draft';
    const live = latest.targets?.some((target) => target.type.toLowerCase() === 'scope' && target.value.toLowerCase() === 'live');
    switch (latest.substate) {
      case 'InDraft':
        return 'draft';
      case 'Submitted':
        return 'inCertification';
      case 'Failed':
      case 'FailedInCertification':
        return 'certificationFailed';
      case 'ReadyToPublish':
      case 'Publishing':
        return 'previewReady';
      case 'Published':
      case 'InStore':
        return live ? 'live' : 'previewReady';
      default:
        return 'inCertification';
    }
  }
}

/**
 * The pages of a listing, following its next link: resolved against the page it came from (an
 * absolute link, or a path from the host's root as the ingestion API gives it), and refused when it
 * leads to another host, which would be given the bearer token.
 */
async function* pages<T extends z.ZodType>(
  client: ApiClient,
  first: string,
  schema: T,
  linkField: string,
): AsyncGenerator<z.output<T>> {
  const origin = new URL(first).origin;
  let url: string | undefined = first;
  for (let page = 0; url !== undefined; page++) {
    if (page >= MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages`);
    const body = await client.getJson(url);
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new Error(`an answer of an unexpected shape (${parsed.error.issues[0]?.path.join('.') ?? 'body'})`);
    yield parsed.data;
    const link: unknown = typeof body === 'object' && body !== null ? Reflect.get(body, linkField) : undefined;
    url = typeof link === 'string' && link !== '' ? nextUrl(link, url, origin) : undefined;
  }
}

function nextUrl(link: string, current: string, origin: string): string {
  // The ingestion API's links start with its path from the host ("v1.0/ingestion/…"), without a slash.
  const next = /^v\d+\.\d+\//.test(link) ? new URL(`/${link}`, origin) : new URL(link, current);
  if (next.origin !== origin) throw new Error(`a next link to another host (${next.origin})`);
  return next.toString();
}

/** Runs `work` for each item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let item = items[next++]; item !== undefined; item = items[next++]) await work(item);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** The offer's page in Partner Center's commercial marketplace dashboard. */
function pageUrlOf(productId: string): string {
  return `https://partner.microsoft.com/dashboard/commercial-marketplace/offers/${encodeURIComponent(productId)}/overview`;
}

function withQuery(url: string, query: Readonly<Record<string, string>>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(query)) parsed.searchParams.set(key, value);
  return parsed.toString();
}

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
