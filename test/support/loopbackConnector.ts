import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { activityCardProblems } from './cardValidation';

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
export class LoopbackConnector {
  readonly deliveries: Delivery[] = [];
  readonly cardProblems: string[] = [];
  /** Text that users typed and that cards must show literally, even if it looks like a template. */
  literals: string[] = [];
  private nextId = 1;

  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<LoopbackConnector> {
    const server = http.createServer();
    const connector = new LoopbackConnector(server);
    server.on('request', (req, res) => connector.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return connector;
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
      const activityId = kind === 'update' && pathId ? pathId : `bot-activity-${this.nextId++}`;
      this.cardProblems.push(...activityCardProblems(activity, this.literals).map((problem) => `${activityId}: ${problem}`));
      this.deliveries.push({ kind, conversationId, activityId, activity });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: activityId }));
    });
  }
}
