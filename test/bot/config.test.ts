import path from 'node:path';
import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';
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
      admin: { maxImportBytes: 512 * 1024 * 1024 },
      host: '127.0.0.1',
      port: 3978,
      dataDir: path.resolve('./data'),
      logLevel: 'info',
      logFormat: 'auto',
      timeZone: 'UTC',
      support: { delivery: 'stored', agentIds: [] },
      notifications: { token: 'dev-notify-token', simulator: { intervalMs: 30_000 }, pacingMarginMs: 0 },
      allowedTenants: [],
      connector: { loopbackOnly: true, timeoutMs: 5000 },
      server: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, maxConnections: 1000 },
      extraLinkHosts: [],
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
    ['an unknown log format', { LOG_FORMAT: 'xml' }, ['LOG_FORMAT']],
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

  describe('authentication settings (production mode)', () => {
    const production = { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret' };

    test('default to the public cloud, as botbuilder names them', () => {
      expect(parseConfig(production).bot?.cloud).toEqual({
        ToBotFromChannelOpenIdMetadataUrl: AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        ValidateAuthority: true,
        CallerId: CallerIdConstants.PublicAzureChannel,
      });
    });

    test('take the US Government cloud’s values', () => {
      const government = {
        ToBotFromChannelOpenIdMetadataUrl: GovernmentConstants.ToBotFromChannelOpenIdMetadataUrl,
        ToBotFromEmulatorOpenIdMetadataUrl: GovernmentConstants.ToBotFromEmulatorOpenIdMetadataUrl,
        ToBotFromChannelTokenIssuer: GovernmentConstants.ToBotFromChannelTokenIssuer,
        ToChannelFromBotLoginUrl: GovernmentConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: GovernmentConstants.ToChannelFromBotOAuthScope,
        OAuthUrl: GovernmentConstants.OAuthUrl,
        CallerId: CallerIdConstants.USGovChannel,
      };
      expect(parseConfig({ ...production, ...government, ValidateAuthority: 'false' }).bot?.cloud).toEqual({
        ...government,
        ValidateAuthority: false,
      });
    });

    test.each<[string, Record<string, string>, string[]]>([
      ['a metadata URL that is not one', { ToBotFromChannelOpenIdMetadataUrl: 'login' }, ['ToBotFromChannelOpenIdMetadataUrl']],
      [
        'metadata over plain http to another host',
        { ToBotFromEmulatorOpenIdMetadataUrl: 'http://login.example.com/.well-known/openid-configuration' },
        ['ToBotFromEmulatorOpenIdMetadataUrl'],
      ],
      [
        'a login URL over http',
        { ToChannelFromBotLoginUrl: 'http://127.0.0.1:4000/botframework.com' },
        ['ToChannelFromBotLoginUrl'],
      ],
      [
        'a login URL without its tenant',
        { ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/' },
        ['ToChannelFromBotLoginUrl'],
      ],
      ['ValidateAuthority that is not a flag', { ValidateAuthority: 'sometimes' }, ['ValidateAuthority']],
      ['an OAuthUrl that is not a URL', { OAuthUrl: 'token service' }, ['OAuthUrl']],
    ])('%s stops the start', (_label, env, settings) => {
      expect(problemsOf({ ...production, ...env }).map((problem) => problem.split(':')[0])).toEqual(settings);
    });

    test('plain http to loopback is taken for the metadata, as the tests and local emulators serve it', () => {
      const local = 'http://127.0.0.1:4100/channel/.well-known/openidconfiguration';
      expect(parseConfig({ ...production, ToBotFromChannelOpenIdMetadataUrl: local }).bot?.cloud).toMatchObject({
        ToBotFromChannelOpenIdMetadataUrl: local,
      });
    });
  });

  describe('limits and links', () => {
    test('connector timeout, server limits and extra link hosts are read', () => {
      expect(
        parseConfig({
          CONNECTOR_TIMEOUT_MS: '2500',
          HTTP_HEADERS_TIMEOUT_MS: '2000',
          HTTP_REQUEST_TIMEOUT_MS: '4000',
          HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
          HTTP_MAX_CONNECTIONS: '50',
          EXTRA_LINK_HOSTS: ' Docs.Contoso.com, status.contoso.com ',
        }),
      ).toMatchObject({
        connector: { loopbackOnly: true, timeoutMs: 2500 },
        server: { headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1000, maxConnections: 50 },
        extraLinkHosts: ['docs.contoso.com', 'status.contoso.com'],
      });
    });

    test.each([
      ['production', { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's3cret' }, false],
      ['development', {}, true],
      ['development with DEV_ALLOW_REMOTE', { DEV_ALLOW_REMOTE: 'true' }, false],
    ])('%s: answers only loopback service URLs: %#', (_label, env, loopbackOnly) => {
      expect(parseConfig(env).connector.loopbackOnly).toBe(loopbackOnly);
    });

    test.each<[string, Record<string, string>, string[]]>([
      ['a connector timeout of no time', { CONNECTOR_TIMEOUT_MS: '0' }, ['CONNECTOR_TIMEOUT_MS']],
      ['headers allowed longer than the request', { HTTP_HEADERS_TIMEOUT_MS: '60000' }, ['HTTP_HEADERS_TIMEOUT_MS']],
      ['no connections at all', { HTTP_MAX_CONNECTIONS: '0' }, ['HTTP_MAX_CONNECTIONS']],
      ['a keep-alive that is not a number', { HTTP_KEEP_ALIVE_TIMEOUT_MS: 'long' }, ['HTTP_KEEP_ALIVE_TIMEOUT_MS']],
      ['a link host that is a URL', { EXTRA_LINK_HOSTS: 'https://docs.contoso.com' }, ['EXTRA_LINK_HOSTS.0']],
      ['an import limit that is not a number of bytes', { IMPORT_MAX_BYTES: '1.5' }, ['IMPORT_MAX_BYTES']],
    ])('%s stops the start', (_label, env, settings) => {
      expect(problemsOf(env).map((problem) => problem.split(':')[0])).toEqual(settings);
    });

    test('the limit of an import upload is read', () => {
      expect(parseConfig({ IMPORT_MAX_BYTES: '1048576' }).admin).toEqual({ maxImportBytes: 1_048_576 });
    });
  });

  test('the error message lists every problem', () => {
    expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT: .*\n.*LOG_LEVEL: /);
  });
});
