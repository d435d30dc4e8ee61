import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { TeamsLimits } from '../test/support/teamsLimits';

/** What the bench needs from a message the bot posted. */
export interface Posted {
  readonly conversationId: string;
  readonly bytes: number;
  readonly at: number;
  readonly activity: PostedActivity;
}

export interface PostedActivity {
  readonly text?: string;
  readonly attachments?: readonly { readonly content?: unknown }[];
  readonly channelData?: { readonly tenant?: { readonly id?: string } };
  readonly conversation?: { readonly tenantId?: string };
}

/**
 * The Bot Connector the bots post their replies to, on loopback. It answers at once, keeps only the
 * last message of each conversation and the largest message size unless asked to record, and, with
 * Teams' limits on, refuses what goes over them with 429 and Retry-After as Teams does.
 */
export class BenchConnector {
  /** Messages taken, all conversations. */
  taken = 0;
  /** Posts refused with 429. */
  throttled = 0;
  maxBytes = 0;
  /** When set, every message taken is kept here. */
  recording: Posted[] | undefined;
  teamsLimits = false;
  private readonly last = new Map<string, PostedActivity>();
  private readonly limits = new TeamsLimits();
  private nextId = 1;

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<BenchConnector> {
    const server = http.createServer({ keepAliveTimeout: 60_000 });
    const connector = new BenchConnector(server);
    server.on('request', (req, res) => connector.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return connector;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  lastMessage(conversationId: string): PostedActivity | undefined {
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
      // v3/conversations/{conversationId}/activities[/{activityId}]
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/.exec(req.url ?? '');
      if (!match?.[1] || (req.method !== 'POST' && req.method !== 'PUT')) {
        respond(res, 404);
        return;
      }
      const conversationId = decodeURIComponent(match[1]);
      const body = Buffer.concat(chunks);
      const activity = parseActivity(body);
      if (!activity) {
        respond(res, 400);
        return;
      }
      if (this.teamsLimits) {
        const tenant = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? 'no-tenant';
        const waitMs = this.limits.admit(conversationId, tenant, at);
        if (waitMs > 0) {
          this.throttled++;
          respond(res, 429, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
          return;
        }
      }
      this.taken++;
      this.maxBytes = Math.max(this.maxBytes, body.length);
      this.last.set(conversationId, activity);
      this.recording?.push({ conversationId, bytes: body.length, at, activity });
      respond(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ id: `m${this.nextId++}` }));
    });
  }
}

function parseActivity(body: Buffer): PostedActivity | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Not chained: restify, loaded in the same process, replaces writeHead with one that returns nothing. */
function respond(res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders = {}, body?: string): void {
  res.writeHead(status, headers);
  res.end(body);
}
