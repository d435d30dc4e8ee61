import type { CloudAdapter, TurnContext } from 'botbuilder';
import restify from 'restify';
import { activityProblems } from './activityRequest';
import type { AppConfig } from './config';
import type { Logger } from './logger';

export interface TurnHandler {
  run(context: TurnContext): Promise<void>;
}

export interface ServerDeps {
  readonly config: AppConfig;
  readonly adapter: CloudAdapter;
  readonly bot: TurnHandler;
  readonly log: Logger;
}

const MAX_BODY_BYTES = 256 * 1024;

/** HTTP: the Bot Framework messaging endpoint and a health check. Handlers never throw to restify. */
export function createServer(deps: ServerDeps): restify.Server {
  const { adapter, bot, log, config } = deps;
  const server = restify.createServer({ name: 'ocp-gtm-migration-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyReader({ maxBodySize: MAX_BODY_BYTES }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));

  server.on('restifyError', (req: restify.Request, _res: restify.Response, err: Error, callback: () => void) => {
    log.info({ method: req.method, url: req.url, err: { name: err.name, message: err.message } }, 'request refused');
    callback();
  });

  const startedAt = Date.now();
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok', mode: config.mode, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    const problems = activityProblems(req.body);
    if (problems.length > 0) {
      res.send(400, { error: 'BadRequest', problems });
      return;
    }
    try {
      await adapter.process(req, res, (context) => bot.run(context));
    } catch (error: unknown) {
      log.error({ err: error }, 'activity could not be processed');
      if (!res.headersSent) res.send(500, { error: 'InternalError' });
    }
  });

  return server;
}
