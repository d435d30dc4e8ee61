import path from 'node:path';
import { ConfigError, parseConfig } from '../../bot/config';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    parseConfig(env);
    return [];
  } catch (error: unknown) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('configuration', () => {
  test('with nothing set: development mode on loopback port 3978 with ./data', () => {
    expect(parseConfig({})).toEqual({
      mode: 'development',
      demoData: true,
      admin: {},
      host: '127.0.0.1',
      port: 3978,
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      timeZone: 'UTC',
      support: { delivery: 'stored', agentIds: [] },
      notifications: { token: 'dev-notify-token', simulator: { intervalMs: 30_000 }, pacingMarginMs: 0 },
      allowedTenants: [],
    });
  });

  test.each<[string, Record<string, string>, { demoData: boolean; simulator: boolean }]>([
    ['development', {}, { demoData: true, simulator: true }],
    ['development with DEMO_DATA=off', { DEMO_DATA: 'off' }, { demoData: false, simulator: false }],
    ['production', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's' }, { demoData: false, simulator: false }],
  ])('demo data and its simulator in %s', (_label, env, expected) => {
    const config = parseConfig(env);
    expect({ demoData: config.demoData, simulator: config.notifications.simulator !== undefined }).toEqual(expected);
  });

  test('an empty MicrosoftAppId, as the Emulator leaves it, is development mode', () => {
    expect(parseConfig({ MicrosoftAppId: '', MicrosoftAppPassword: '' }).mode).toBe('development');
  });

  test('.env values are used, and the environment wins over them', () => {
    expect(parseConfig({ PORT: '4000' }, { PORT: '5000', LOG_LEVEL: 'debug' })).toMatchObject({ port: 4000, logLevel: 'debug' });
  });

  test.each([
    ['MultiTenant', { MicrosoftAppPassword: 's3cret' }],
    ['SingleTenant', { MicrosoftAppPassword: 's3cret', MicrosoftAppTenantId: TENANT }],
    ['UserAssignedMSI', { MicrosoftAppTenantId: TENANT }],
  ])('%s with its credentials is production mode, listening on all interfaces', (appType, credentials) => {
    const config = parseConfig({ MicrosoftAppId: APP_ID, MicrosoftAppType: appType, ...credentials });
    expect(config).toMatchObject({ mode: 'production', host: '0.0.0.0', bot: { appId: APP_ID, appType } });
  });

  test.each<[string, Record<string, string>, string[]]>([
    ['a bad port', { PORT: 'eighty' }, ['PORT']],
    ['a port out of range', { PORT: '70000' }, ['PORT']],
    ['an unknown log level', { LOG_LEVEL: 'loud' }, ['LOG_LEVEL']],
    ['an unknown time zone', { TIME_ZONE: 'Mars/Olympus' }, ['TIME_ZONE']],
    ['an app id that is not a GUID', { MicrosoftAppId: 'my-bot' }, ['MicrosoftAppId']],
    [
      'several problems at once',
      { PORT: '-1', LOG_LEVEL: 'x', MicrosoftAppType: 'Bogus' },
      ['PORT', 'LOG_LEVEL', 'MicrosoftAppType'],
    ],
    ['MultiTenant without a password', { MicrosoftAppId: APP_ID }, ['MicrosoftAppPassword']],
    [
      'SingleTenant without password or tenant',
      { MicrosoftAppId: APP_ID, MicrosoftAppType: 'SingleTenant' },
      ['MicrosoftAppPassword', 'MicrosoftAppTenantId'],
    ],
    [
      'UserAssignedMSI with a password',
      { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT, MicrosoftAppPassword: 'x' },
      ['MicrosoftAppPassword'],
    ],
    ['a password without an app id', { MicrosoftAppPassword: 's3cret' }, ['MicrosoftAppId']],
    ['a non-loopback HOST in development', { HOST: '0.0.0.0' }, ['HOST']],
    ['demo data in production', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', DEMO_DATA: 'on' }, ['DEMO_DATA']],
    ['the simulator without demo data', { DEMO_DATA: 'off', CERTIFICATION_SIMULATOR: 'on' }, ['CERTIFICATION_SIMULATOR']],
    ['a short admin token', { ADMIN_TOKEN: 'short' }, ['ADMIN_TOKEN']],
  ])('%s stops the start, naming each setting', (_label, env, settings) => {
    const problems = problemsOf(env);
    expect(problems.map((problem) => problem.split(':')[0])).toEqual(settings);
  });

  test.each<[string, Record<string, string>, string[]]>([
    ['webhook without its URL and secret', { SUPPORT_DELIVERY: 'webhook' }, ['SUPPORT_WEBHOOK_URL', 'SUPPORT_WEBHOOK_SECRET']],
    [
      'webhook over plain http to another host',
      {
        SUPPORT_DELIVERY: 'webhook',
        SUPPORT_WEBHOOK_URL: 'http://support.example.com/hook',
        SUPPORT_WEBHOOK_SECRET: 's'.repeat(32),
      },
      ['SUPPORT_WEBHOOK_URL'],
    ],
    [
      'a short webhook secret',
      { SUPPORT_DELIVERY: 'webhook', SUPPORT_WEBHOOK_URL: 'https://support.example.com/hook', SUPPORT_WEBHOOK_SECRET: 'short' },
      ['SUPPORT_WEBHOOK_SECRET'],
    ],
    ['teams without the channel', { SUPPORT_DELIVERY: 'teams' }, ['SUPPORT_TEAMS_CHANNEL_ID']],
    ['an unknown delivery', { SUPPORT_DELIVERY: 'email' }, ['SUPPORT_DELIVERY']],
  ])('support delivery: %s stops the start', (_label, env, settings) => {
    expect(problemsOf(env).map((problem) => problem.split(':')[0])).toEqual(settings);
  });

  test.each([
    ['https', 'https://support.example.com/hook'],
    ['http on loopback', 'http://127.0.0.1:8080/hook'],
  ])('a webhook over %s is accepted', (_label, url) => {
    expect(
      parseConfig({ SUPPORT_DELIVERY: 'webhook', SUPPORT_WEBHOOK_URL: url, SUPPORT_WEBHOOK_SECRET: 's'.repeat(32) }).support,
    ).toEqual({
      delivery: 'webhook',
      webhook: { url, secret: 's'.repeat(32) },
      agentIds: [],
    });
  });

  test('the Teams support channel, with its agents listed', () => {
    expect(
      parseConfig({ SUPPORT_DELIVERY: 'teams', SUPPORT_TEAMS_CHANNEL_ID: '19:abc@thread.tacv2', SUPPORT_AGENT_IDS: ' a1, b2 ,,' })
        .support,
    ).toEqual({
      delivery: 'teams',
      teams: { channelId: '19:abc@thread.tacv2', serviceUrl: 'https://smba.trafficmanager.net/teams/' },
      agentIds: ['a1', 'b2'],
    });
  });

  test('the tenant allow-list is a list of tenant GUIDs', () => {
    expect(parseConfig({ ALLOWED_TENANT_IDS: ` ${TENANT}, 11111111-2222-3333-4444-555555555555 ` }).allowedTenants).toEqual([
      TENANT,
      '11111111-2222-3333-4444-555555555555',
    ]);
    expect(problemsOf({ ALLOWED_TENANT_IDS: 'contoso.onmicrosoft.com' }).map((problem) => problem.split(':')[0])).toEqual([
      'ALLOWED_TENANT_IDS.0',
    ]);
  });

  test('a non-loopback HOST in development needs the explicit opt-in', () => {
    expect(parseConfig({ HOST: '0.0.0.0', DEV_ALLOW_REMOTE: 'true' })).toMatchObject({ mode: 'development', host: '0.0.0.0' });
  });

  test('the error message lists every problem', () => {
    expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT: .*\n.*LOG_LEVEL: /);
  });
});
