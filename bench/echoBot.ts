import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import restify from 'restify';

/**
 * The floor: the smallest bot on the same botbuilder and restify, set up as the migration bot is in
 * development (anonymous auth, the same body limits). It echoes each message back.
 * Usage: node dist/bench/echoBot.js <port>
 */
function main(): void {
  const port = Number(process.argv[2] ?? '0');
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const bot = new ActivityHandler();
  bot.onMessage(async (context, next) => {
    await context.sendActivity({ type: 'message', text: `Echo: ${context.activity.text ?? ''}`, textFormat: 'plain' });
    await next();
  });

  const server = restify.createServer({ name: 'echo-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.bodyReader({ maxBodySize: 256 * 1024 }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false }));
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.send(200, { status: 'ok' });
  });
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });
  server.listen(port, '127.0.0.1', () => {
    process.stdout.write(`listening ${server.address().port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
  });
}

main();
