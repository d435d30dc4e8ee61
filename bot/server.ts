import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { TurnContext } from 'botbuilder';
import restify from 'restify';
import { serviceUrlProblem } from '../delivery/serviceUrlPolicy';
import type { NotificationService } from '../domain/notificationService';
import { noTelemetry, type Telemetry } from '../domain/ports/telemetry';
import { readActivity } from './activityRequest';
import { isAuthenticationFailure, type MigrationAdapter } from './adapter';
import type { AppConfig, ServerLimits } from './config';
import type { Logger } from './logger';
import { FAVICON_PNG } from './favicon';
import { homePage } from './homePage';
import { readJsonBody, refuseBody } from './requestBody';
import { certificationEndpoint } from './notificationEndpoint';
import { SigningKeysUnavailableError } from './openIdKeys';
import { StoreUnavailableError } from '../store/storeErrors';

export interface TurnHandler {
  run(context: TurnContext): Promise<void>;
}

/** A route's handler, answering on `res`; a throw is logged and answered 500. */
export type RouteHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerDeps {
  readonly config: AppConfig;
  /** POST /api/admin/import: files of an import, for a running bot that holds the store. */
  readonly importFiles?: RouteHandler;
  /** Whether the bot can serve now, and what /healthz adds: the store, the outbox's backlog, the sync. */
  readonly health?: () => Promise<Health>;
  readonly adapter: MigrationAdapter;
  readonly bot: TurnHandler;
  readonly notifications: NotificationService;
  readonly log: Logger;
  /** Where each request is recorded with the endpoint it came to and how it ended. */
  readonly telemetry?: Telemetry;
}

export interface Health {
  /** False while the store does not answer: /healthz is 503 then, for a load balancer to route around. */
  readonly available: boolean;
  readonly detail: Readonly<Record<string, unknown>>;
}

/** The largest JSON body of any endpoint, counted after decoding. */
export const MAX_BODY_BYTES = 256 * 1024;
/** What a 503 for a store that does not answer asks the caller to wait. */
const STORE_RETRY_AFTER_SECONDS = 5;

/** HTTP: the Bot Framework messaging endpoint and a health check. Handlers never throw to restify. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log, config, notifications } = deps;
  const telemetry = deps.telemetry ?? noTelemetry;
  const server = restify.createServer({ name: 'ocp-gtm-migration-bot', handleUncaughtExceptions: false });
  /** A route whose request is recorded with its endpoint, and an outcome read from the status it answered. */
  const recorded =
    (endpoint: string, route: string, handler: RouteHandler): RouteHandler =>
    async (req, res) => {
      telemetry.describe({ 'bot.endpoint': endpoint, 'http.route': route });
      try {
        await handler(req, res);
      } finally {
        telemetry.describe({ 'bot.outcome': outcomeOfStatus(res.statusCode) }, { failed: res.statusCode >= 500 });
      }
    };
  applyLimits(server, config.server);

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    log.info({ method: req.method, url: req.url, err: { name: err.name, message: err.message } }, 'request refused');
    callback();
  });

  // For a browser opened at the bot's address: where to point a Bot Framework client instead.
  server.get(
    '/',
    recorded('home', '/', async (req: restify.Request, res: restify.Response) => {
      const page = homePage(config, originOf(req.socket));
      res.sendRaw(200, page.body, { 'Content-Type': page.contentType, 'Cache-Control': 'no-store' });
    }),
  );

  server.get('/favicon.ico', async (_req: restify.Request, res: restify.Response) => {
    res.sendRaw(200, FAVICON_PNG, { 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' });
  });

  const startedAt = Date.now();
  server.get(
    '/healthz',
    recorded('health', '/healthz', async (_req: restify.Request, res: restify.Response) => {
      const health = deps.health
        ? await deps.health().catch((): Health => ({ available: false, detail: {} }))
        : { available: true, detail: {} };
      res.send(health.available ? 200 : 503, {
        status: health.available ? 'ok' : 'unavailable',
        mode: config.mode,
        uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
        ...health.detail,
      });
    }),
  );

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    telemetry.describe({ 'bot.endpoint': 'messages', 'http.route': '/api/messages' });
    // A request that does not become a turn: the turn's middleware records the outcome of one that does.
    const notATurn = (): void =>
      telemetry.describe({ 'bot.outcome': outcomeOfStatus(res.statusCode) }, { failed: res.statusCode >= 500 });
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (!body.ok) {
      refuseBody(res, body);
      notATurn();
      return;
    }
    const request = readActivity(body.value);
    if (!request.ok) {
      res.send(400, { error: 'BadRequest', problems: request.problems });
      notATurn();
      return;
    }
    const { activity } = request;
    const refusal = serviceUrlProblem(activity.serviceUrl, config.connector);
    if (refusal) {
      res.send(400, { error: 'BadRequest', problems: [`serviceUrl: ${refusal}`] });
      notATurn();
      return;
    }
    const ids = { conversationId: activity.conversation.id, activityId: activity.id, activityType: activity.type };
    try {
      const invokeResponse = await adapter.handle(req.header('authorization', ''), activity, (context) => bot.run(context));
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error: unknown) {
      if (error instanceof SigningKeysUnavailableError) {
        // Nothing can be verified until the keys can be fetched: the channel may retry after the backoff.
        log.warn({ ...ids, metadataUrl: error.metadataUrl }, 'request not verified: signing keys unavailable');
        res.header('Retry-After', String(error.retryAfterSeconds));
        res.send(503, { error: 'ServiceUnavailable' });
        notATurn();
      } else if (isAuthenticationFailure(error)) {
        log.warn({ ...ids, reason: error instanceof Error ? error.message : String(error) }, 'request not authenticated');
        res.send(401, { error: 'Unauthorized' });
        notATurn();
      } else if (error instanceof StoreUnavailableError) {
        // Logged by the turn's error handler; nothing of the activity was kept.
        res.header('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
        res.send(503, { error: 'ServiceUnavailable' });
      } else {
        log.error({ ...ids, err: error }, 'activity could not be processed');
        res.send(500, { error: 'InternalError' });
        notATurn();
      }
    }
  });

  const guarded = (handler: RouteHandler, failure: string) => async (req: restify.Request, res: restify.Response) => {
    try {
      await handler(req, res);
    } catch (error: unknown) {
      if (error instanceof StoreUnavailableError) {
        log.warn({ err: { name: error.name, message: error.message } }, failure);
        if (res.headersSent) return;
        res.header('Retry-After', String(STORE_RETRY_AFTER_SECONDS));
        res.send(503, { error: 'ServiceUnavailable' });
        return;
      }
      log.error({ err: error }, failure);
      if (!res.headersSent) res.send(500, { error: 'InternalError' });
    }
  };
  const postChange = certificationEndpoint(
    notifications,
    {
      ...(config.notifications.token && { token: config.notifications.token }),
      extraLinkHosts: config.extraLinkHosts,
      maxBodyBytes: MAX_BODY_BYTES,
    },
    log,
  );
  server.post(
    '/api/notifications/certification',
    recorded(
      'notifications',
      '/api/notifications/certification',
      guarded(postChange, 'certification change could not be stored'),
    ),
  );
  if (deps.importFiles)
    server.post('/api/admin/import', recorded('import', '/api/admin/import', guarded(deps.importFiles, 'import failed')));

  return server;
}

const STATUS_OUTCOMES: ReadonlyMap<number, string> = new Map([
  [400, 'badRequest'],
  [401, 'unauthenticated'],
  [403, 'forbidden'],
  [404, 'notFound'],
  [409, 'conflict'],
  [413, 'tooLarge'],
  [415, 'encoded'],
  [503, 'unavailable'],
]);

/** How a request ended, by the status it was answered with. */
function outcomeOfStatus(status: number): string {
  if (status < 400) return 'ok';
  return STATUS_OUTCOMES.get(status) ?? (status < 500 ? 'refused' : 'failed');
}

/** The address a client reached, as this end of its connection says: never the Host header a client sends. */
function originOf(socket: Socket): string {
  const address = (socket.localAddress ?? '127.0.0.1').replace(/^::ffff:(?=\d+\.)/, '');
  return `http://${address.includes(':') ? `[${address}]` : address}:${socket.localPort ?? ''}`;
}

/**
 * Node's server limits, on the HTTP server restify made: a client must send its headers within
 * headersTimeoutMs and the whole request within requestTimeoutMs (408 and closed otherwise), an idle
 * keep-alive connection closes after keepAliveTimeoutMs, and beyond maxConnections new connections are
 * dropped, as are those of a client address beyond maxConnectionsPerClient, so that one client cannot
 * take every slot. Node checks the two request timeouts every connectionsCheckingInterval (30 s by default,
 * read when the server starts listening), so it is set to check often enough for them. A connection
 * that sends nothing at all is not a request to Node: it gets the headers timeout as an idle timeout,
 * lifted once a request arrives (Node then manages keep-alive itself).
 */
function applyLimits(server: restify.Server, limits: ServerLimits): void {
  const http = server.server;
  http.headersTimeout = limits.headersTimeoutMs;
  http.requestTimeout = limits.requestTimeoutMs;
  http.keepAliveTimeout = limits.keepAliveTimeoutMs;
  http.maxConnections = limits.maxConnections;
  // Not in @types/node 20, though Node 20 reads it when the server starts listening.
  Reflect.set(http, 'connectionsCheckingInterval', Math.max(50, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))));
  const perClient = new Map<string, number>();
  http.on('connection', (socket: Socket) => {
    // By the address the connection comes from: a header naming another is the client's to choose.
    const client = clientAddress(socket);
    const open = perClient.get(client) ?? 0;
    if (open >= limits.maxConnectionsPerClient) {
      socket.destroy();
      return;
    }
    perClient.set(client, open + 1);
    socket.once('close', () => {
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
    socket.setTimeout(limits.headersTimeoutMs);
  });
  http.on('request', (req: IncomingMessage) => req.socket.setTimeout(0));
}

/** The peer's address, an IPv4 one written the same whether it came over IPv4 or IPv6. */
function clientAddress(socket: Socket): string {
  return (socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '');
}
