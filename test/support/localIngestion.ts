import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { generate } from 'selfsigned';

/** One telemetry item as the Azure Monitor exporter posts it (Application Insights' envelope). */
export interface Envelope {
  readonly name: string;
  readonly time?: string;
  readonly iKey?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly baseType: string;
  readonly baseData: Readonly<Record<string, unknown>>;
  /** baseData.properties: the custom dimensions. */
  readonly properties: Readonly<Record<string, string>>;
}

/** A metric item's values, one per metric in it. */
export interface MetricPoint {
  readonly name: string;
  readonly value: number;
  readonly count?: number;
  readonly properties: Readonly<Record<string, string>>;
}

function portOf(server: http.Server | https.Server): number {
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('the server is not listening');
  return address.port;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).flatMap(([key, entry]) => (typeof entry === 'string' ? [[key, entry]] : [])));
}

function envelopeOf(value: unknown): Envelope | undefined {
  if (!isRecord(value) || typeof value.name !== 'string' || !isRecord(value.data)) return undefined;
  const baseData = isRecord(value.data.baseData) ? value.data.baseData : {};
  return {
    name: value.name,
    ...(typeof value.time === 'string' && { time: value.time }),
    ...(typeof value.iKey === 'string' && { iKey: value.iKey }),
    tags: stringRecord(value.tags),
    baseType: typeof value.data.baseType === 'string' ? value.data.baseType : '',
    baseData,
    properties: stringRecord(baseData.properties),
  };
}

/** The envelopes of one post: a JSON array, or JSON lines. */
function envelopesIn(text: string): Envelope[] {
  const items: unknown[] = [];
  try {
    const parsed: unknown = JSON.parse(text);
    items.push(...(Array.isArray(parsed) ? parsed : [parsed]));
  } catch {
    for (const line of text.split('\n').filter((line) => line.trim() !== '')) items.push(JSON.parse(line));
  }
  return items.map(envelopeOf).filter((envelope): envelope is Envelope => envelope !== undefined);
}

/**
 * Application Insights' ingestion endpoint on loopback, over https with a certificate made for
 * 127.0.0.1 at start, as the exporter posts only to https: it takes every post to /v2.1/track (or
 * /v2/track), plain or gzipped, answers that it accepted everything, and keeps the decoded bodies and
 * their envelopes. Beside it, a proxy that refuses every request, named as the bot's HTTPS_PROXY:
 * what the SDK would send anywhere else (its configuration service, say) ends here, and is noted.
 */
export class LocalIngestion {
  /** Every post's decoded body, as it came. */
  readonly bodies: string[] = [];
  readonly envelopes: Envelope[] = [];
  /** Where the proxy was asked to connect to, or what it was asked for. */
  readonly refused: string[] = [];
  readonly instrumentationKey = randomUUID();

  private constructor(
    private readonly server: https.Server,
    private readonly proxy: http.Server,
    private readonly directory: string,
    readonly caFile: string,
  ) {}

  static async start(): Promise<LocalIngestion> {
    // A subject of its own: beside another loopback certificate in one bundle (a local Entra's, whose
    // subject is 127.0.0.1), the issuer is looked up by subject, and must not be the other one.
    const pems = await generate([{ name: 'commonName', value: 'local Application Insights ingestion' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-ingestion-'));
    const caFile = path.join(directory, 'ingestion-ca.pem');
    fs.writeFileSync(caFile, pems.cert);
    const server = https.createServer({ key: pems.private, cert: pems.cert });
    const proxy = http.createServer();
    const ingestion = new LocalIngestion(server, proxy, directory, caFile);
    server.on('request', (req, res) => ingestion.take(req, res));
    proxy.on('connect', (req: http.IncomingMessage, socket: Duplex) => {
      ingestion.refused.push(`CONNECT ${req.url ?? ''}`);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
    });
    proxy.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      ingestion.refused.push(`${req.method ?? ''} ${req.url ?? ''}`);
      res.writeHead(403).end();
    });
    await Promise.all([
      new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)),
      new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve)),
    ]);
    return ingestion;
  }

  get url(): string {
    return `https://127.0.0.1:${portOf(this.server)}`;
  }

  get connectionString(): string {
    return `InstrumentationKey=${this.instrumentationKey};IngestionEndpoint=${this.url}/`;
  }

  /**
   * What a bot process needs to send its telemetry here and nowhere else: the connection string;
   * the certificate trusted (with `extraCaFiles`, such as a local Entra's, in one bundle, which is
   * all NODE_EXTRA_CA_CERTS takes); the refusing proxy for anything else the SDK's clients would
   * reach; App Service's site name, so that the SDK does not probe a virtual machine's metadata
   * endpoint to find where it runs; for tests, metrics every second and spans every 200 ms, rather
   * than the SDK's minute and five seconds.
   */
  settings(options: { readonly extraCaFiles?: readonly string[]; readonly quickExports?: boolean } = {}): Record<string, string> {
    const { extraCaFiles = [], quickExports = true } = options;
    const bundle = path.join(this.directory, `ca-bundle-${randomUUID()}.pem`);
    fs.writeFileSync(bundle, [this.caFile, ...extraCaFiles].map((file) => fs.readFileSync(file, 'utf8')).join('\n'));
    const port = portOf(this.proxy);
    return {
      APPLICATIONINSIGHTS_CONNECTION_STRING: this.connectionString,
      NODE_EXTRA_CA_CERTS: bundle,
      HTTPS_PROXY: `http://127.0.0.1:${port}`,
      HTTP_PROXY: `http://127.0.0.1:${port}`,
      NO_PROXY: '127.0.0.1,localhost',
      WEBSITE_SITE_NAME: 'ocp-gtm-migration-bot-test',
      ...(quickExports && { OTEL_METRIC_EXPORT_INTERVAL: '1000', OTEL_BSP_SCHEDULE_DELAY: '200' }),
    };
  }

  /** Request items: the bot's HTTP requests and its operations of their own. */
  requests(): Envelope[] {
    return this.envelopes.filter((envelope) => envelope.baseType === 'RequestData');
  }

  dependencies(): Envelope[] {
    return this.envelopes.filter((envelope) => envelope.baseType === 'RemoteDependencyData');
  }

  /** Every metric value received, by name. */
  metrics(name?: string): MetricPoint[] {
    return this.envelopes
      .filter((envelope) => envelope.baseType === 'MetricData')
      .flatMap((envelope) => {
        const points = Array.isArray(envelope.baseData.metrics) ? envelope.baseData.metrics : [];
        return points.flatMap((point: unknown): MetricPoint[] =>
          isRecord(point) && typeof point.name === 'string' && typeof point.value === 'number'
            ? [
                {
                  name: point.name,
                  value: point.value,
                  ...(typeof point.count === 'number' && { count: point.count }),
                  properties: envelope.properties,
                },
              ]
            : [],
        );
      })
      .filter((point) => name === undefined || point.name === name);
  }

  close(): Promise<void> {
    const closed = (server: http.Server | https.Server): Promise<void> =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    return Promise.all([closed(this.server), closed(this.proxy)]).then(() =>
      fs.rmSync(this.directory, { recursive: true, force: true }),
    );
  }

  private take(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const pathname = new URL(req.url ?? '/', this.url).pathname;
      if (req.method !== 'POST' || !/^\/v2(\.1)?\/track$/.test(pathname)) {
        res.writeHead(404).end();
        return;
      }
      let text: string;
      try {
        text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      } catch {
        res.writeHead(400).end();
        return;
      }
      this.bodies.push(text);
      const envelopes = envelopesIn(text);
      this.envelopes.push(...envelopes);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
    });
  }
}
