import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PublishingState } from '../../domain/model';

/**
 * Entra's token endpoint and Partner Center's two publishing APIs on loopback, answering in the
 * shapes Microsoft Learn documents (see sources/partnerCenter/catalog.ts): paged product lists,
 * each product's submissions, bearer tokens that expire. Faults can be queued per route.
 */

export type FakeApi = 'productIngestion' | 'partnerIngestion';

export interface FakeProduct {
  readonly id: string;
  readonly api: FakeApi;
  readonly offerId: string;
  readonly name: string;
  /** The API's own type: `softwareAsAService` (Product Ingestion), `AzureApplication` (ingestion API). */
  readonly type: string;
  state: PublishingState;
  /** Every submission so far, oldest first. */
  readonly submissions: Submission[];
}

interface Submission {
  readonly number: number;
  readonly state: PublishingState;
  readonly created: string;
}

export type FakeRoute = 'token' | 'products' | 'submissions';

export type Fault =
  | { readonly status: number; readonly retryAfter?: string; readonly body?: string }
  | { readonly delayMs: number }
  | { readonly malformed: true };

export interface FakeOptions {
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Products a page, in both APIs. */
  readonly pageSize?: number;
  /** Added to every answer: a real service's round trip. */
  readonly latencyMs?: number;
  readonly tokenLifetimeSeconds?: number;
}

export const FAKE_CLIENT_ID = '8a4e3c1f-2b7d-4e5a-9c6b-1d2e3f4a5b6c';
export const FAKE_CLIENT_SECRET = 'fake-partner-center-secret';
export const FAKE_TENANT = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';

export class FakePartnerCenter {
  readonly products = new Map<string, FakeProduct>();
  /** Requests answered, by route, faults included. */
  readonly requests: Record<FakeRoute, number> = { token: 0, products: 0, submissions: 0 };
  /** The scopes tokens were asked for. */
  readonly scopes: string[] = [];
  /** Every token it issued, expired ones included. */
  readonly issued: string[] = [];
  private readonly tokens = new Set<string>();
  private readonly faults: Record<FakeRoute, Fault[]> = { token: [], products: [], submissions: [] };
  private submissionNumber = 1_152_921_505_695_125_000;
  private clock = Date.parse('2026-11-01T00:00:00Z');

  private constructor(
    private readonly server: http.Server,
    private readonly options: FakeOptions,
  ) {}

  static async start(options: FakeOptions = {}, port = 0): Promise<FakePartnerCenter> {
    const server = http.createServer();
    const fake = new FakePartnerCenter(server, options);
    server.on('request', (req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The settings that point the bot at this fake. */
  settings(account: string): Record<string, string> {
    return {
      PARTNER_CENTER_TENANT_ID: FAKE_TENANT,
      PARTNER_CENTER_CLIENT_ID: this.options.clientId ?? FAKE_CLIENT_ID,
      PARTNER_CENTER_CLIENT_SECRET: this.options.clientSecret ?? FAKE_CLIENT_SECRET,
      PARTNER_CENTER_ACCOUNT: account,
      ENTRA_AUTHORITY_URL: this.url,
      PRODUCT_INGESTION_URL: `${this.url}/rp/product-ingestion`,
      PARTNER_INGESTION_URL: `${this.url}/v1.0/ingestion`,
    };
  }

  addProduct(product: { api: FakeApi; offerId: string; name: string; type: string; state: PublishingState }): string {
    const id = randomUUID();
    const added: FakeProduct = { ...product, id, submissions: [] };
    this.products.set(id, added);
    this.setState(id, product.state);
    return id;
  }

  /** A new submission of the product, in this state: how a partner's offer moves through certification. */
  setState(productId: string, state: PublishingState): void {
    const product = this.products.get(productId);
    if (!product) throw new Error(`no product ${productId}`);
    product.state = state;
    this.clock += 60_000;
    product.submissions.push({ number: this.submissionNumber++, state, created: new Date(this.clock).toISOString() });
  }

  /** The next requests on a route get these answers, one each, before the route answers normally again. */
  failNext(route: FakeRoute, ...faults: Fault[]): void {
    this.faults[route].push(...faults);
  }

  /** Every token handed out so far stops working: what the APIs do with an expired one. */
  expireTokens(): void {
    this.tokens.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    const url = new URL(req.url ?? '/', this.url);
    const route = routeOf(req.method ?? '', url.pathname);
    if (!route) return send(res, 404, { error: { code: 'notFound', message: 'no such resource' } });
    this.requests[route]++;
    const fault = this.faults[route].shift();
    if (fault && 'delayMs' in fault) await sleep(fault.delayMs);
    else if (fault && 'malformed' in fault) return sendText(res, 200, '{"value": [ {"id": ');
    else if (fault) {
      return sendText(res, fault.status, fault.body ?? JSON.stringify({ error: { code: 'fault', message: 'injected' } }), {
        ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }),
      });
    }
    if (route === 'token') return this.token(res, body);
    if (!this.tokens.has((req.headers.authorization ?? '').replace(/^Bearer /, ''))) {
      return send(res, 401, {
        error: { code: 'InvalidAuthenticationToken', message: 'Access token has expired or is not yet valid.' },
      });
    }
    return url.pathname.startsWith('/rp/') ? this.productIngestion(res, url) : this.partnerIngestion(res, url);
  }

  /** POST /{tenant}/oauth2/v2.0/token, client credentials. */
  private token(res: http.ServerResponse, body: string): void {
    const form = new URLSearchParams(body);
    const clientOk =
      form.get('client_id') === (this.options.clientId ?? FAKE_CLIENT_ID) &&
      form.get('client_secret') === (this.options.clientSecret ?? FAKE_CLIENT_SECRET);
    if (form.get('grant_type') !== 'client_credentials' || !clientOk) {
      return send(res, 401, {
        error: 'invalid_client',
        error_description: 'AADSTS7000215: Invalid client secret provided.',
        error_codes: [7000215],
      });
    }
    this.scopes.push(form.get('scope') ?? '');
    const token = `fake-${randomUUID()}`;
    this.tokens.add(token);
    this.issued.push(token);
    send(res, 200, {
      token_type: 'Bearer',
      expires_in: this.options.tokenLifetimeSeconds ?? 3599,
      ext_expires_in: 3599,
      access_token: token,
    });
  }

  private productIngestion(res: http.ServerResponse, url: URL): void {
    if (!url.searchParams.get('$version'))
      return send(res, 400, { error: { code: 'badRequest', message: '$version is required' } });
    const submission = /^\/rp\/product-ingestion\/submission\/([0-9a-f-]+)$/i.exec(url.pathname);
    if (submission?.[1]) {
      const product = this.products.get(submission[1]);
      if (!product || product.api !== 'productIngestion')
        return send(res, 404, { error: { code: 'notFound', message: 'no product' } });
      return send(res, 200, { value: productIngestionSubmissions(product) });
    }
    const start = Number(url.searchParams.get('continuationToken') ?? '0');
    const all = this.listed('productIngestion');
    const page = all.slice(start, start + this.pageSize);
    const next = start + this.pageSize < all.length ? new URL(url) : undefined;
    next?.searchParams.set('continuationToken', String(start + this.pageSize));
    send(res, 200, {
      value: page.map((product) => ({
        $schema: 'https://product-ingestion.azureedge.net/schema/product/2022-03-01-preview3',
        id: `product/${product.id}`,
        identity: { externalId: product.offerId },
        type: product.type,
        alias: product.name,
      })),
      ...(next && { '@nextLink': next.toString() }),
    });
  }

  private partnerIngestion(res: http.ServerResponse, url: URL): void {
    const submissions = /^\/v1\.0\/ingestion\/products\/([0-9a-f-]+)\/submissions$/i.exec(url.pathname);
    if (submissions?.[1]) {
      const product = this.products.get(submissions[1]);
      if (!product || product.api !== 'partnerIngestion') return sendText(res, 404, JSON.stringify('ICH50404 - Not found'));
      return send(res, 200, { value: partnerIngestionSubmissions(product) });
    }
    const start = Number(url.searchParams.get('$skipToken') ?? '0');
    const all = this.listed('partnerIngestion');
    const page = all.slice(start, start + this.pageSize);
    send(res, 200, {
      ...(start + this.pageSize < all.length && { nextLink: `v1.0/ingestion/products?$skipToken=${start + this.pageSize}` }),
      value: page.map((product) => ({
        resourceType: product.type,
        name: product.name,
        externalIDs: [{ type: 'AzureOfferId', value: product.offerId }],
        isModularPublishing: true,
        id: product.id,
      })),
    });
  }

  private get pageSize(): number {
    return this.options.pageSize ?? 50;
  }

  private listed(api: FakeApi): FakeProduct[] {
    return [...this.products.values()].filter((product) => product.api === api);
  }
}

/** What a Product Ingestion submission shows at each step: its target, status and result. */
const PRODUCT_INGESTION_STEPS: Readonly<
  Record<Exclude<PublishingState, 'draft'>, { target: string; status: string; result: string }>
> = {
  inCertification: { target: 'preview', status: 'running', result: 'pending' },
  certificationFailed: { target: 'preview', status: 'completed', result: 'failed' },
  previewReady: { target: 'preview', status: 'completed', result: 'succeeded' },
  live: { target: 'live', status: 'completed', result: 'succeeded' },
};

/** The Product Ingestion API's submissions: the draft reference, then each submission to preview or live. */
function productIngestionSubmissions(product: FakeProduct): unknown[] {
  const guid = product.id;
  const schema = 'https://product-ingestion.azureedge.net/schema/submission/2022-03-01-preview2';
  const draft = { $schema: schema, id: `submission/${guid}/0`, product: `product/${guid}`, target: { targetType: 'draft' } };
  const published = product.submissions.flatMap((submission) => {
    if (submission.state === 'draft') return [];
    const { target, status, result } = PRODUCT_INGESTION_STEPS[submission.state];
    return [
      {
        $schema: schema,
        id: `submission/${guid}/${submission.number}`,
        product: `product/${guid}`,
        target: { targetType: target },
        status,
        result,
        created: submission.created,
      },
    ];
  });
  return [draft, ...published];
}

/** The ingestion API's submissions, with the state and substate each step of certification shows. */
function partnerIngestionSubmissions(product: FakeProduct): unknown[] {
  const shapes: Record<PublishingState, { state: string; substate: string; target: string }> = {
    draft: { state: 'InProgress', substate: 'InDraft', target: 'Preview' },
    inCertification: { state: 'InProgress', substate: 'Submitted', target: 'Preview' },
    certificationFailed: { state: 'InProgress', substate: 'FailedInCertification', target: 'Preview' },
    previewReady: { state: 'Published', substate: 'ReadyToPublish', target: 'Preview' },
    live: { state: 'Published', substate: 'InStore', target: 'Live' },
  };
  return product.submissions.map((submission, index) => {
    const shape = shapes[submission.state];
    return {
      resourceType: 'Submission',
      state: shape.state,
      substate: shape.substate,
      targets: [{ type: 'Scope', value: shape.target }],
      releaseNumber: index + 1,
      friendlyName: `Submission ${index + 1}`,
      areResourcesReady: true,
      id: String(submission.number),
    };
  });
}

function routeOf(method: string, pathname: string): FakeRoute | undefined {
  if (method === 'POST' && /^\/[^/]+\/oauth2\/v2\.0\/token$/.test(pathname)) return 'token';
  if (method !== 'GET') return undefined;
  if (
    /^\/rp\/product-ingestion\/submission\//.test(pathname) ||
    /^\/v1\.0\/ingestion\/products\/[^/]+\/submissions$/.test(pathname)
  ) {
    return 'submissions';
  }
  if (pathname === '/rp/product-ingestion/product' || pathname === '/v1.0/ingestion/products') return 'products';
  return undefined;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  sendText(res, status, JSON.stringify(body));
}

function sendText(res: http.ServerResponse, status: number, body: string, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
