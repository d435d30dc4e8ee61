import path from 'node:path';
import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants, GovernmentConstants } from 'botframework-connector';
import { ConfigError, parseConfig } from '../../bot/config';

const APP_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const DAY = 24 * 60 * 60 * 1000;

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
      server: {
        headersTimeoutMs: 10_000,
        requestTimeoutMs: 30_000,
        keepAliveTimeoutMs: 5000,
        maxConnections: 1000,
        maxConnectionsPerClient: 100,
      },
      extraLinkHosts: [],
      retention: { outboxMs: 30 * DAY, changesMs: 30 * DAY },
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

    test.each<[string, Record<string, string>, number]>([
      ['by default, 100', {}, 100],
      ['by default, a quarter of a lower HTTP_MAX_CONNECTIONS', { HTTP_MAX_CONNECTIONS: '50' }, 12],
      ['at least one', { HTTP_MAX_CONNECTIONS: '2' }, 1],
      ['as set', { HTTP_MAX_CONNECTIONS: '50', HTTP_MAX_CONNECTIONS_PER_CLIENT: '50' }, 50],
    ])('connections per client: %s', (_label, env, perClient) => {
      expect(parseConfig(env).server.maxConnectionsPerClient).toBe(perClient);
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
      [
        'more connections per client than in all',
        { HTTP_MAX_CONNECTIONS: '50', HTTP_MAX_CONNECTIONS_PER_CLIENT: '51' },
        ['HTTP_MAX_CONNECTIONS_PER_CLIENT'],
      ],
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

  describe('retention', () => {
    test.each<[string, Record<string, string>, object]>([
      ['sent jobs and changes 30 days, the audit trail for ever, by default', {}, { outboxMs: 30 * DAY, changesMs: 30 * DAY }],
      [
        'each as set, in days',
        { OUTBOX_RETENTION_DAYS: '7', CERTIFICATION_CHANGE_RETENTION_DAYS: '90', AUDIT_RETENTION_DAYS: '2555' },
        { outboxMs: 7 * DAY, changesMs: 90 * DAY, auditMs: 2555 * DAY },
      ],
      ['part of a day beyond the first', { OUTBOX_RETENTION_DAYS: '1.5' }, { outboxMs: 1.5 * DAY, changesMs: 30 * DAY }],
    ])('%s', (_label, env, retention) => {
      expect(parseConfig(env).retention).toEqual(retention);
    });

    test.each<[string, Record<string, string>, string[]]>([
      ['less than a day, which the pacer and retried posts need', { OUTBOX_RETENTION_DAYS: '0.5' }, ['OUTBOX_RETENTION_DAYS']],
      ['no days at all', { CERTIFICATION_CHANGE_RETENTION_DAYS: '0' }, ['CERTIFICATION_CHANGE_RETENTION_DAYS']],
      ['not a number', { AUDIT_RETENTION_DAYS: 'forever' }, ['AUDIT_RETENTION_DAYS']],
      ['more than ten years', { AUDIT_RETENTION_DAYS: '3651' }, ['AUDIT_RETENTION_DAYS']],
    ])('%s stops the start', (_label, env, settings) => {
      expect(problemsOf(env).map((problem) => problem.split(':')[0])).toEqual(settings);
    });
  });

  describe('telemetry', () => {
    const KEY = '00000000-0000-4000-8000-000000000001';

    test('off without a connection string', () => {
      expect(parseConfig({}).telemetry).toBeUndefined();
      expect(parseConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: ' ' }).telemetry).toBeUndefined();
    });

    test.each([
      `InstrumentationKey=${KEY}`,
      `InstrumentationKey=${KEY};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/;LiveEndpoint=https://westeurope.livediagnostics.monitor.azure.com/;ApplicationId=7e2e4a13-0e39-4b6e-9d8a-6d1b1f0d7b35`,
      `instrumentationkey=${KEY};ingestionendpoint=https://127.0.0.1:8443/;`,
    ])('on with an Application Insights connection string: %s', (connectionString) => {
      expect(parseConfig({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString }).telemetry).toEqual({ connectionString });
    });

    test.each([
      ['no instrumentation key', 'IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/'],
      ['a key that is not a GUID', 'InstrumentationKey=abc'],
      [
        'an ingestion endpoint over plain http to another host',
        `InstrumentationKey=${KEY};IngestionEndpoint=http://example.com/`,
      ],
      ['a part without a value', `InstrumentationKey=${KEY};IngestionEndpoint`],
      ['an instrumentation key alone, the old way', KEY],
    ])('%s stops the start', (_label, connectionString) => {
      expect(problemsOf({ APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString })).toEqual([
        expect.stringMatching(/^APPLICATIONINSIGHTS_CONNECTION_STRING: must be an Application Insights connection string/),
      ]);
    });
  });

  test('the error message lists every problem', () => {
    expect(() => parseConfig({ PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/PORT: .*\n.*LOG_LEVEL: /);
  });
});

describe('configuration: the managed identity and the database signed in with it', () => {
  const MSI = { MicrosoftAppId: APP_ID, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: TENANT };
  const ENTRA_URL = 'postgres://ocp-bot-identity@ocp-bot.postgres.database.azure.com:5432/bot?sslmode=verify-full';

  test.each<[string, Record<string, string>, unknown]>([
    [
      "App Service's endpoint, when it set one",
      { ...MSI, IDENTITY_ENDPOINT: 'http://169.254.129.3:8081/msi/token', IDENTITY_HEADER: 'h' },
      {
        clientId: APP_ID,
        endpoint: { kind: 'appService', url: 'http://169.254.129.3:8081/msi/token', secret: 'h' },
        timeoutMs: 5000,
      },
    ],
    [
      'the instance metadata service elsewhere',
      MSI,
      {
        clientId: APP_ID,
        endpoint: { kind: 'instanceMetadata', url: 'http://169.254.169.254/metadata/identity/oauth2/token' },
        timeoutMs: 5000,
      },
    ],
    [
      'none for a bot with a password, whatever App Service set',
      {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: 's',
        IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token',
        IDENTITY_HEADER: 'h',
      },
      undefined,
    ],
    ['none in development', { IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token', IDENTITY_HEADER: 'h' }, undefined],
  ])('UserAssignedMSI takes its tokens from %s', (_label, env, expected) => {
    expect(parseConfig(env).managedIdentity).toEqual(expected);
  });

  test.each<[string, Record<string, string>, unknown]>([
    ['a password in the URL, by default', { DATABASE_URL: 'postgres://u:p@db:5432/bot' }, undefined],
    [
      'Entra, for the public cloud',
      { ...MSI, DATABASE_URL: ENTRA_URL, DATABASE_AUTH: 'entra' },
      { resource: 'https://ossrdbms-aad.database.windows.net' },
    ],
    [
      "Entra, for another cloud's resource",
      {
        ...MSI,
        DATABASE_URL: ENTRA_URL,
        DATABASE_AUTH: 'entra',
        DATABASE_ENTRA_RESOURCE: 'https://ossrdbms-aad.database.usgovcloudapi.net',
      },
      { resource: 'https://ossrdbms-aad.database.usgovcloudapi.net' },
    ],
  ])('the database is signed in to with %s', (_label, env, entra) => {
    expect(parseConfig(env).database?.entra).toEqual(entra);
  });

  test.each<[string, Record<string, string>, string[]]>([
    [
      'IDENTITY_ENDPOINT without IDENTITY_HEADER',
      { ...MSI, IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token' },
      ['IDENTITY_HEADER'],
    ],
    [
      'an IDENTITY_ENDPOINT that is not an http URL',
      { ...MSI, IDENTITY_ENDPOINT: 'file:///etc/passwd', IDENTITY_HEADER: 'h' },
      ['IDENTITY_ENDPOINT'],
    ],
    ['an unknown DATABASE_AUTH', { DATABASE_URL: ENTRA_URL, DATABASE_AUTH: 'kerberos' }, ['DATABASE_AUTH']],
    [
      'entra without a managed identity',
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', DATABASE_URL: ENTRA_URL, DATABASE_AUTH: 'entra' },
      ['DATABASE_AUTH'],
    ],
    ['entra in development', { DATABASE_URL: ENTRA_URL, DATABASE_AUTH: 'entra' }, ['DATABASE_AUTH']],
    ['entra without a database', { ...MSI, DATABASE_AUTH: 'entra' }, ['DATABASE_URL']],
    [
      'entra with a password in the URL',
      { ...MSI, DATABASE_AUTH: 'entra', DATABASE_URL: 'postgres://id:pw@db:5432/bot' },
      ['DATABASE_URL'],
    ],
    [
      'entra with no user in the URL',
      { ...MSI, DATABASE_AUTH: 'entra', DATABASE_URL: 'postgres://db:5432/bot' },
      ['DATABASE_URL'],
    ],
  ])('%s stops the start, naming the setting', (_label, env, settings) => {
    expect(problemsOf(env).map((problem) => problem.split(':')[0])).toEqual(settings);
  });
});

describe('configuration: Key Vault references App Service could not resolve', () => {
  const reference = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/notify-token)';

  test('a setting left as its reference stops the start, naming it and why', () => {
    const problems = problemsOf({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 's', NOTIFY_TOKEN: reference });
    expect(problems).toEqual([expect.stringMatching(/^NOTIFY_TOKEN: App Service did not resolve this Key Vault reference/)]);
  });

  test('named with the problems of other settings too', () => {
    expect(problemsOf({ ADMIN_TOKEN: reference, PORT: 'x' }).map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'ADMIN_TOKEN',
    ]);
  });

  test('a variable the bot does not read is left alone', () => {
    expect(problemsOf({ SOMEONE_ELSES: reference })).toEqual([]);
  });
});
