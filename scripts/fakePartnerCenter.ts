import type { PublishingState } from '../domain/model';
import { FakePartnerCenter } from '../test/support/fakePartnerCenter';

/**
 * npm run fake-partner-center [-- --port 4100 --step-seconds 20]: Partner Center's token endpoint
 * and publishing APIs on loopback, holding the example partner's offers, with one of them moving
 * through certification step by step; for trying the sync by hand. It prints the settings that
 * point the bot at it.
 */
const MOVES: readonly PublishingState[] = ['inCertification', 'certificationFailed', 'inCertification', 'previewReady', 'live'];

function option(args: readonly string[], name: string, fallback: number): number {
  const index = args.indexOf(`--${name}`);
  const value = index >= 0 ? Number(args[index + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

async function main(args: readonly string[]): Promise<void> {
  const fake = await FakePartnerCenter.start({}, option(args, 'port', 4100));
  const stepMs = option(args, 'step-seconds', 20) * 1000;
  fake.addProduct({
    api: 'productIngestion',
    offerId: 'route-optimizer',
    name: 'Fabrikam Route Optimizer',
    type: 'softwareAsAService',
    state: 'live',
  });
  fake.addProduct({
    api: 'partnerIngestion',
    offerId: 'insights',
    name: 'Fabrikam Insights',
    type: 'AzurePowerBIApp',
    state: 'inCertification',
  });
  const moving = fake.addProduct({
    api: 'partnerIngestion',
    offerId: 'azure-connector',
    name: 'Fabrikam Azure Connector',
    type: 'AzureApplication',
    state: 'draft',
  });
  const settings = Object.entries({ ...fake.settings('fabrikam'), PARTNER_CENTER_SYNC_SECONDS: '10' })
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
  process.stdout.write(
    `Fake Partner Center at ${fake.url}, for the example partner (npm run import -- sources/import/examples/*.csv).\n`,
  );
  process.stdout.write(`Start the bot with these settings (in .env, say):\n\n${settings}\n\n`);
  process.stdout.write(
    `Once the bot has read it, "Fabrikam Azure Connector" moves one step every ${stepMs / 1000} s: ${MOVES.join(' → ')}. Ctrl+C stops.\n`,
  );
  // Moves made before the bot's first read would be taken as they stand, without a card.
  while (fake.requests.submissions === 0) await new Promise((resolve) => setTimeout(resolve, 500));
  process.stdout.write('The bot has read the offers.\n');
  let step = 0;
  const timer = setInterval(() => {
    const state = MOVES[step++];
    if (!state) {
      clearInterval(timer);
      process.stdout.write('The offer is live; nothing more moves.\n');
      return;
    }
    fake.setState(moving, state);
    process.stdout.write(`${new Date().toISOString()}  Fabrikam Azure Connector: ${state}\n`);
  }, stepMs);
  const stop = (): void => {
    clearInterval(timer);
    void fake.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
});
