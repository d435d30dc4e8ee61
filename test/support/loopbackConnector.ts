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
  readonly conversation?: { readonly id?: string; readonly tenantId?: string };
  readonly channelData?: { readonly tenant?: { readonly id?: string } };
  readonly attachments?: readonly { readonly contentType?: string; readonly content?: unknown }[];
  readonly [key: string]: unknown;
}

export interface Delivery {
  /** 'send' for a new message (POST), 'update' for a replaced one (PUT). */
  readonly kind: 'send' | 'update';
  readonly conversationId: string;
  /** The id the connector gave the message, or the id of the message replaced. */
  readonly activityId: string;
  /** The message a new one was posted in reply to (POST .../activities/{id}). */
  readonly replyTo?: string;
  readonly activity: ConnectorActivity;
  /** When it was taken (ms since the epoch), and its size on the wire. */
  readonly at: number;
  readonly bytes: number;
  /** The Authorization header it came with: none in development mode, the bot's bearer token otherwise. */
  readonly authorization?: string;
}

export interface ConnectorOptions {
  /** Refuse posts over Teams' rate windows with 429 and Retry-After, as Teams does. */
  readonly teamsLimits?: boolean;
  /**
   * Tests keep every message and validate every Adaptive Card (the default); a load run keeps only
   * each conversation's last message, and validates nothing, so that the connector costs little.
   */
  readonly mode?: 'test' | 'load';
}

/**
 * A Bot Connector on loopback, as the Emulator runs one: the bots post their replies and card
 * updates here. It serves the tests and the bench alike.
 */
export class LoopbackConnector {
  /** Every message taken, while `keepAll` is on. */
  readonly deliveries: Delivery[] = [];
  /** Problems found in the Adaptive Cards that arrived (test mode). */
  readonly cardProblems: string[] = [];
  /** Text that users typed and that cards must show literally, even if it looks like a template. */
  literals: string[] = [];
  /** Users the connector knows by channel id, as Teams answers GET .../members/{id}; others are 404. */
  readonly members = new Map<string, { readonly name: string; readonly aadObjectId?: string }>();
  /** Every member lookup (GET .../members/{id}), with the Authorization header it came with. */
  readonly lookups: { readonly memberId: string; readonly authorization?: string }[] = [];
  keepAll: boolean;
  teamsLimits: boolean;
  /** Messages taken, and posts refused with 429 because they were over a Teams rate window. */
  taken = 0;
  throttled = 0;
  /** The largest message taken since `resetSizes`. */
  maxBytes = 0;
  private nextId = 1;
  private readonly validateCards: boolean;
  private readonly last = new Map<string, ConnectorActivity>();
  private readonly injected = new Map<string, number[]>();
  private readonly limits = new TeamsLimits();

  private constructor(
    private readonly server: http.Server,
    options: ConnectorOptions,
  ) {
    const load = options.mode === 'load';
    this.keepAll = !load;
    this.validateCards = !load;
    this.teamsLimits = options.teamsLimits ?? false;
  }

  static async start(options: ConnectorOptions = {}, port = 0): Promise<LoopbackConnector> {
    // Keep-alive beyond Node's 5 s default: a load generator holds one connection per conversation.
    const server = http.createServer({ keepAliveTimeout: 60_000 });
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

  /** The last message taken for a conversation, whatever is kept. */
  lastMessage(conversationId: string): ConnectorActivity | undefined {
    return this.last.get(conversationId);
  }

  resetSizes(): void {
    this.maxBytes = 0;
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
      const at = Date.now();
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
      if (member?.[1] && req.method === 'GET') {
        const id = decodeURIComponent(member[1]);
        const lookupAuthorization = req.headers.authorization;
        this.lookups.push({ memberId: id, ...(lookupAuthorization && { authorization: lookupAuthorization }) });
        const known = this.members.get(id);
        if (known) respond(res, 200, {}, JSON.stringify({ id, ...known }));
        else respond(res, 404, {}, '{"error":{"code":"MemberNotFound"}}');
        return;
      }
      // v3/conversations/{conversationId}/activities[/{activityId}]
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      if (!match?.[1] || (req.method !== 'POST' && req.method !== 'PUT')) {
        respond(res, 404, {}, '{}');
        return;
      }
      const body = Buffer.concat(chunks);
      const activity = parseActivity(body);
      if (!activity) {
        respond(res, 400, {}, '{}');
        return;
      }
      const conversationId = decodeURIComponent(match[1]);
      const injected = this.injected.get(conversationId)?.shift();
      if (injected !== undefined) {
        respond(res, injected, injected === 429 ? { 'retry-after': '1' } : {}, '{"error":{"code":"Injected"}}');
        return;
      }
      if (this.teamsLimits) {
        const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? 'no-tenant';
        const waitMs = this.limits.admit(conversationId, tenant, at);
        if (waitMs > 0) {
          this.throttled++;
          respond(res, 429, { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) }, '{"error":{"code":"Throttled"}}');
          return;
        }
      }
      const kind = req.method === 'PUT' ? 'update' : 'send';
      const pathId = match[2] && decodeURIComponent(match[2]);
      const activityId = kind === 'update' && pathId ? pathId : `bot-activity-${this.nextId++}`;
      const authorization = req.headers.authorization;
      this.take({
        kind,
        conversationId,
        activityId,
        ...(kind === 'send' && pathId && { replyTo: pathId }),
        activity,
        at,
        bytes: body.length,
        ...(authorization && { authorization }),
      });
      respond(res, 200, {}, JSON.stringify({ id: activityId }));
    });
  }

  private take(delivery: Delivery): void {
    this.taken++;
    this.maxBytes = Math.max(this.maxBytes, delivery.bytes);
    this.last.set(delivery.conversationId, delivery.activity);
    if (this.validateCards) {
      const problems = activityCardProblems(delivery.activity, this.literals);
      this.cardProblems.push(...problems.map((problem) => `${delivery.activityId}: ${problem}`));
    }
    if (this.keepAll) this.deliveries.push(delivery);
  }
}

function parseActivity(body: Buffer): ConnectorActivity | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Not chained: restify, loaded in the same process by some tests, replaces writeHead with one that returns nothing. */
function respond(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: string): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
