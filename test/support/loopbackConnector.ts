import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { activityCardProblems } from './cardValidation';
import { TeamsLimits } from './teamsLimits';

export interface ConnectorActivity {
  readonly type?: string;
  readonly id?: string;
  readonly text?: string;
  readonly textFormat?: string;
  readonly replyToId?: string;
  readonly locale?: string;
  readonly conversation?: { readonly id?: string };
  readonly attachments?: readonly { readonly contentType?: string; readonly content?: unknown }[];
  readonly [key: string]: unknown;
}

export interface Delivery {
  /** 'send' for a new message (POST), 'update' for a replaced one (PUT). */
  readonly kind: 'send' | 'update';
  readonly conversationId: string;
  /** The id the connector gave the message, or the id of the message replaced. */
  readonly activityId: string;
  readonly activity: ConnectorActivity;
}

/**
 * A Bot Connector on loopback, as the Emulator runs one: the bot posts its replies and card updates
 * here. Every Adaptive Card that arrives is validated; `cardProblems` collects what fails.
 */
export interface ConnectorOptions {
  /** Refuse posts over Teams' rate windows with 429 and Retry-After, as Teams does. */
  readonly teamsLimits?: boolean;
}

export class LoopbackConnector {
  readonly deliveries: Delivery[] = [];
  readonly cardProblems: string[] = [];
  /** Posts refused with 429 because they were over a Teams rate window. */
  throttled = 0;
  /** Text that users typed and that cards must show literally, even if it looks like a template. */
  literals: string[] = [];
  private nextId = 1;
  private readonly injected = new Map<string, number[]>();
  private readonly limits = new TeamsLimits();

  private constructor(
    private readonly server: http.Server,
    private readonly options: ConnectorOptions,
  ) {}

  static async start(options: ConnectorOptions = {}, port = 0): Promise<LoopbackConnector> {
    const server = http.createServer();
    const connector = new LoopbackConnector(server, options);
    server.on('request', (req, res) => connector.handle(req, res));
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return connector;
  }

  /** The next posts to a conversation are answered with these statuses instead of being taken. */
  failNext(conversationId: string, statuses: number[]): void {
    this.injected.set(conversationId, [...(this.injected.get(conversationId) ?? []), ...statuses]);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** Everything delivered after `mark`, where mark is a previous `deliveries.length`. */
  since(mark: number): Delivery[] {
    return this.deliveries.slice(mark);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!match || (req.method !== 'POST' && req.method !== 'PUT')) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{}');
        return;
      }
      const activity = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ConnectorActivity;
      const conversationId = decodeURIComponent(match[1] ?? '');
      const pathId = match[2] ? decodeURIComponent(match[2]) : undefined;
      const kind = req.method === 'PUT' ? 'update' : 'send';
      const injected = this.injected.get(conversationId)?.shift();
      if (injected !== undefined) {
        res.writeHead(injected, { 'content-type': 'application/json', ...(injected === 429 && { 'retry-after': '1' }) });
        res.end('{"error":{"code":"Injected"}}');
        return;
      }
      const tenant = (activity.conversation as { tenantId?: string } | undefined)?.tenantId ?? 'tenant';
      const waitMs = this.options.teamsLimits ? this.limits.admit(conversationId, tenant, Date.now()) : 0;
      if (waitMs > 0) {
        this.throttled++;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) });
        res.end('{"error":{"code":"Throttled"}}');
        return;
      }
      const activityId = kind === 'update' && pathId ? pathId : `bot-activity-${this.nextId++}`;
      this.cardProblems.push(...activityCardProblems(activity, this.literals).map((problem) => `${activityId}: ${problem}`));
      this.deliveries.push({ kind, conversationId, activityId, activity });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: activityId }));
    });
  }
}
