import type { TurnContext } from 'botbuilder';
import restify from 'restify';
import { readActivity } from './activityRequest';
import { isAuthenticationFailure, type MigrationAdapter } from './adapter';
import { certificationEndpoint } from './notificationEndpoint';
import type { NotificationService } from '../domain/notificationService';
import type { AppConfig } from './config';
import type { Logger } from './logger';

export interface TurnHandler {
  run(context: TurnContext): Promise<void>;
}

/** A route's handler, answering on `res`; a throw is logged and answered 500. */
export type RouteHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerDeps {
  readonly config: AppConfig;
  /** POST /api/admin/import: files of an import, for a running bot that holds the store. */
  readonly importFiles?: RouteHandler;
  /** What /healthz adds to its answer: how the Partner Center sync stands. */
  readonly health?: () => Promise<Record<string, unknown>>;
  readonly adapter: MigrationAdapter;
  readonly bot: TurnHandler;
  readonly notifications: NotificationService;
  readonly log: Logger;
}

const MAX_BODY_BYTES = 256 * 1024;

/** HTTP: the Bot Framework messaging endpoint and a health check. Handlers never throw to restify. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log, config, notifications } = deps;
  const server = restify.createServer({ name: 'ocp-gtm-migration-bot', handleUncaughtExceptions: false });
  // Per route: an import's upload streams to disk and must not be read into memory first.
  const jsonBody = [
    restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }),
    restify.plugins.jsonBodyParser({ mapParams: false }),
  ];

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    log.info({ method: req.method, url: req.url, err: { name: err.name, message: err.message } }, 'request refused');
    callback();
  });

  const startedAt = Date.now();
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const detail = (await deps.health?.()) ?? {};
    res.send(200, { status: 'ok', mode: config.mode, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000), ...detail });
  });

  server.post('/api/messages', ...jsonBody, async (req: restify.Request, res: restify.Response) => {
    const request = readActivity(req.body);
    if (!request.ok) {
      res.send(400, { error: 'BadRequest', problems: request.problems });
      return;
    }
    const { activity } = request;
    const ids = { conversationId: activity.conversation.id, activityId: activity.id, activityType: activity.type };
    try {
      const invokeResponse = await adapter.handle(req.header('authorization', ''), activity, (context) => bot.run(context));
      res.send(invokeResponse?.status ?? 200, invokeResponse?.body);
    } catch (error: unknown) {
      if (isAuthenticationFailure(error)) {
        log.warn({ ...ids, reason: error instanceof Error ? error.message : String(error) }, 'request not authenticated');
        res.send(401, { error: 'Unauthorized' });
      } else {
        log.error({ ...ids, err: error }, 'activity could not be processed');
        res.send(500, { error: 'InternalError' });
      }
    }
  });

  const guarded = (handler: RouteHandler, failure: string) => async (req: restify.Request, res: restify.Response) => {
    try {
      await handler(req, res);
    } catch (error: unknown) {
      log.error({ err: error }, failure);
      if (!res.headersSent) res.send(500, { error: 'InternalError' });
    }
  };
  const postChange = certificationEndpoint(notifications, config.notifications.token, log);
  server.post('/api/notifications/certification', ...jsonBody, guarded(postChange, 'certification change could not be stored'));
  if (deps.importFiles) server.post('/api/admin/import', guarded(deps.importFiles, 'import failed'));

  return server;
}
