import fs from 'node:fs';
import path from 'node:path';
import { HOST_VARIABLES, SETTING_NAMES, parseConfig, type AppConfig } from '../../bot/config';
import { appSettingsSection } from '../support/webAppSettings';

/**
 * The Web App's settings (infra/appSettings.json, and those infra/modules/webApp.bicep adds) against
 * the bot's configuration schema: every name is a setting the bot reads, every setting production
 * needs is there, every secret comes from the Key Vault, and bot/config.ts takes the lot. The
 * setting names come from the schema itself, so that this holds as settings are added.
 */
const INFRA = path.resolve(__dirname, '..', '..', 'infra');
const WEB_APP = fs.readFileSync(path.join(INFRA, 'modules', 'webApp.bicep'), 'utf8');
const KEY_VAULT = fs.readFileSync(path.join(INFRA, 'modules', 'keyVault.bicep'), 'utf8');
const FILE: unknown = JSON.parse(fs.readFileSync(path.join(INFRA, 'appSettings.json'), 'utf8'));
/** The text between the parentheses that open at `open`, with Bicep's strings (\' escapes) and // comments respected. */
function balanced(text: string, open: number): string {
  let depth = 0;
  let quoted = false;
  for (let at = open; at < text.length; at++) {
    const char = text[at];
    if (quoted && char === '\\') at++;
    else if (char === "'") quoted = !quoted;
    else if (!quoted && char === '/' && text[at + 1] === '/') at = text.indexOf('\n', at);
    else if (!quoted && char === '(') depth++;
    else if (!quoted && char === ')' && --depth === 0) return text.slice(open + 1, at);
  }
  throw new Error('unbalanced parentheses');
}

/** The comma-separated arguments of a call, split at depth 0 of Bicep's brackets, strings and comments respected. */
function topLevelArguments(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let at = 0; at < text.length; at++) {
    const char = text[at] ?? '';
    if (quoted && char === '\\') at++;
    else if (char === "'") quoted = !quoted;
    else if (!quoted && char === '/' && text[at + 1] === '/') at = text.indexOf('\n', at);
    else if (!quoted && '({['.includes(char)) depth++;
    else if (!quoted && ')}]'.includes(char)) depth--;
    else if (!quoted && depth === 0 && char === ',') {
      parts.push(text.slice(start, at));
      start = at + 1;
    }
  }
  return [...parts, text.slice(start)].map((part) => part.trim()).filter((part) => part !== '');
}

interface BicepSetting {
  /** The value's Bicep expression. */
  readonly value: string;
  /** The condition of a `condition ? {} : { ... }` argument: the setting is given only when it is false. */
  readonly unless?: string;
}

/**
 * The app settings the Bicep writes itself: the `KEY: value` lines of the object literals that the
 * `appsettings` resource's `properties: union(...)` takes besides the settings file, each with the
 * condition it is given under.
 */
function bicepSettings(): { readonly unionArguments: string; readonly settings: ReadonlyMap<string, BicepSetting> } {
  const resource = WEB_APP.indexOf("'Microsoft.Web/sites/config@");
  const union = WEB_APP.indexOf('properties: union(', resource);
  if (resource < 0 || union < 0) throw new Error('webApp.bicep: no appsettings resource with properties: union(...)');
  const unionArguments = balanced(WEB_APP, union + 'properties: union'.length);
  const settings = new Map<string, BicepSetting>();
  for (const argument of topLevelArguments(unionArguments)) {
    const conditional = /^([^?{]+)\?\s*\{\}\s*:\s*\{/.exec(argument);
    const unless = conditional?.[1]?.trim();
    for (const [, name, value] of argument.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*): (.+)$/gm)) {
      if (name && value) settings.set(name, { value: value.trim(), ...(unless && { unless }) });
    }
  }
  return { unionArguments, settings };
}

const BOT = appSettingsSection('bot');
const PLATFORM = appSettingsSection('platform');
const { unionArguments, settings: DEPLOYMENT } = bicepSettings();

/** What the deployment fills in, as its values would be once deployed and resolved. */
const IDENTITY_CLIENT_ID = '1b4e6f2a-3c5d-4e7f-8a9b-0c1d2e3f4a5b';
const TENANT_ID = '9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d';
const INTERPOLATED: Readonly<Record<string, string>> = {
  identityName: 'ocpgtm-identity',
  databaseHost: 'ocpgtm-pg-abc123.postgres.database.azure.com',
  databaseName: 'bot',
};
const IDENTIFIERS: Readonly<Record<string, string>> = {
  identityClientId: IDENTITY_CLIENT_ID,
  identityTenantId: TENANT_ID,
  appInsightsConnectionString:
    'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
};
/** A Key Vault reference as App Service resolves it: the secret, long enough for every setting that takes one. */
const RESOLVED_SECRET = 'resolved-secret-value-from-the-key-vault-0123456789';

/** The values one Bicep value expression can take once deployed: each branch of a condition. */
function deployedValues(name: string, expression: string): string[] {
  if (/^'@Microsoft\.KeyVault\(SecretUri=\$\{secretUris\.[A-Z_]+\}\)'$/.test(expression)) return [RESOLVED_SECRET];
  const identifier = IDENTIFIERS[expression];
  if (identifier !== undefined) return [identifier];
  const literals = [...expression.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map(([, literal]) => literal ?? '');
  if (literals.length === 0) throw new Error(`${name}: no value known for ${expression}; add one to this test`);
  return literals.map((literal) =>
    literal.replace(/\$\{([^}]+)\}/g, (_match, inner: string) => {
      const value = INTERPOLATED[inner];
      if (value === undefined) throw new Error(`${name}: no value known for \${${inner}}; add one to this test`);
      return value;
    }),
  );
}

/** What App Service sets for a Web App with a user-assigned identity. */
const HOST = { IDENTITY_ENDPOINT: 'http://169.254.129.3:8081/msi/token', IDENTITY_HEADER: 'a1b2c3' };

/** The Web App's environment: the file, then the deployment's settings, each conditional one when its condition holds. */
function environment(options: { database: boolean; secrets?: Record<string, string>; extra?: Record<string, string> }) {
  const given = (unless: string): boolean => {
    if (unless === 'empty(databaseHost)') return options.database;
    const secret = /^empty\(secretUris\.([A-Z_]+)\)$/.exec(unless)?.[1];
    if (secret) return secret in (options.secrets ?? {});
    throw new Error(`no case for the condition ${unless}; add one to this test`);
  };
  const env: Record<string, string> = { ...PLATFORM, ...BOT, ...HOST };
  for (const [name, { value: expression, unless }] of DEPLOYMENT) {
    if (unless && !given(unless)) continue;
    const values = deployedValues(name, expression);
    // A value that is a condition of its own (DATA_DIR): its first branch without the database, the other with it.
    env[name] = (values.length === 2 ? values[options.database ? 1 : 0] : values[0]) ?? '';
  }
  return { ...env, ...options.extra };
}

/** Settings holding a secret: the bot's tokens, secrets and passwords. */
const SECRET_SETTINGS = SETTING_NAMES.filter((name) => /_(TOKEN|SECRET)$|Password$/.test(name));
/** MicrosoftAppPassword is refused with UserAssignedMSI: the identity is the bot's only credential. */
const NOT_DEPLOYED_SECRETS = ['MicrosoftAppPassword'];

describe('the Web App settings against the configuration schema', () => {
  test('the file has a "bot" and a "platform" section, and nothing else', () => {
    expect(Object.keys(FILE as object).sort()).toEqual(['bot', 'platform']);
  });

  test('the Bicep loads that file and puts both sections into the app settings', () => {
    expect(WEB_APP).toMatch(/var settingsFile = loadJsonContent\('\.\.\/appSettings\.json'\)/);
    expect(unionArguments).toMatch(/^\s*settingsFile\.platform,\s*settingsFile\.bot,/);
    expect(DEPLOYMENT.size).toBeGreaterThan(5);
  });

  test.each<[string, () => readonly string[]]>([
    ['the file', () => Object.keys(BOT)],
    ['the Bicep', () => [...DEPLOYMENT.keys()]],
  ])('every setting %s gives is one the bot reads', (_label, names) => {
    expect(names().filter((name) => !SETTING_NAMES.includes(name))).toEqual([]);
  });

  test("the platform's settings are App Service's own, not the bot's, and not what the host sets", () => {
    for (const name of Object.keys(PLATFORM)) {
      expect(name).toMatch(/^(WEBSITE|SCM)_/);
      expect([...SETTING_NAMES, ...HOST_VARIABLES]).not.toContain(name);
    }
    expect([...Object.keys(BOT), ...DEPLOYMENT.keys()].filter((name) => HOST_VARIABLES.includes(name))).toEqual([]);
  });

  test('no setting is given twice: the Bicep does not silently replace one of the file', () => {
    expect([...DEPLOYMENT.keys()].filter((name) => name in BOT)).toEqual([]);
  });

  test('every secret the bot reads comes from the Key Vault, by a reference the Key Vault module gives', () => {
    const references = [...DEPLOYMENT]
      .map(([name, { value }]) => [name, value] as const)
      .filter(([, value]) => value.startsWith("'@Microsoft.KeyVault(SecretUri="));
    const secrets = SECRET_SETTINGS.filter((name) => !NOT_DEPLOYED_SECRETS.includes(name));
    expect(references.map(([name]) => name).sort()).toEqual([...secrets].sort());
    for (const [name, value] of references) expect(value).toBe(`'@Microsoft.KeyVault(SecretUri=\${secretUris.${name}})'`);
    const output = /output secretUris object = \{([^}]*)\}/.exec(KEY_VAULT)?.[1] ?? '';
    const given = [...output.matchAll(/^\s*([A-Z_]+):/gm)].map(([, name]) => name);
    expect(given.sort()).toEqual([...secrets].sort());
    expect(Object.keys(BOT).filter((name) => SECRET_SETTINGS.includes(name))).toEqual([]);
  });

  test('every setting production needs is given: the identity as the bot, its tenant, the tokens, telemetry', () => {
    const all = { ...BOT, ...Object.fromEntries(DEPLOYMENT) };
    const value = (name: string): string | undefined => DEPLOYMENT.get(name)?.value;
    for (const name of [
      'MicrosoftAppId',
      'MicrosoftAppType',
      'MicrosoftAppTenantId',
      'NOTIFY_TOKEN',
      'ADMIN_TOKEN',
      'DATA_DIR',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'DATABASE_URL',
      'DATABASE_AUTH',
    ]) {
      expect(Object.keys(all)).toContain(name);
    }
    expect(BOT.MicrosoftAppType).toBe('UserAssignedMSI');
    expect(value('MicrosoftAppId')).toBe('identityClientId');
    expect(value('DATABASE_AUTH')).toBe("'entra'");
    expect(value('DATABASE_URL')).not.toMatch(/:[^/@]*@/);
    // Only the optional secrets, and the database's settings, depend on what is deployed.
    expect(
      [...DEPLOYMENT]
        .filter(([, setting]) => setting.unless)
        .map(([name]) => name)
        .sort(),
    ).toEqual(['DATABASE_AUTH', 'DATABASE_URL', 'PARTNER_CENTER_CLIENT_SECRET', 'SUPPORT_WEBHOOK_SECRET']);
  });

  test.each<[string, Parameters<typeof environment>[0], (config: AppConfig) => void]>([
    [
      'one instance, on SQLite in /home',
      { database: false },
      (config) => {
        expect(config.database).toBeUndefined();
        expect(config.dataDir).toBe('/home/data');
      },
    ],
    [
      'several instances, on PostgreSQL signed in to with the identity',
      { database: true },
      (config) => {
        expect(config.database).toMatchObject({
          url: 'postgres://ocpgtm-identity@ocpgtm-pg-abc123.postgres.database.azure.com:5432/bot?sslmode=verify-full',
          entra: { resource: 'https://ossrdbms-aad.database.windows.net' },
        });
        expect(config.dataDir).not.toBe('/home/data');
      },
    ],
    [
      'with the webhook and the Partner Center sync, as README says to add them to the file',
      {
        database: true,
        secrets: { SUPPORT_WEBHOOK_SECRET: 'given', PARTNER_CENTER_CLIENT_SECRET: 'given' },
        extra: {
          SUPPORT_DELIVERY: 'webhook',
          SUPPORT_WEBHOOK_URL: 'https://support.example.com/hook',
          PARTNER_CENTER_TENANT_ID: TENANT_ID,
          PARTNER_CENTER_CLIENT_ID: IDENTITY_CLIENT_ID,
          PARTNER_CENTER_ACCOUNT: 'contoso',
        },
      },
      (config) => {
        expect(config.support.webhook?.secret).toBe(RESOLVED_SECRET);
        expect(config.partnerCenter?.clientSecret).toBe(RESOLVED_SECRET);
      },
    ],
  ])('bot/config.ts takes the deployed settings: %s', (_label, options, check) => {
    const config = parseConfig(environment(options));
    expect(config.mode).toBe('production');
    expect(config.bot).toMatchObject({ appId: IDENTITY_CLIENT_ID, appType: 'UserAssignedMSI', tenantId: TENANT_ID });
    expect(config.bot?.password).toBeUndefined();
    expect(config.managedIdentity).toEqual({
      clientId: IDENTITY_CLIENT_ID,
      endpoint: { kind: 'appService', url: HOST.IDENTITY_ENDPOINT, secret: HOST.IDENTITY_HEADER },
      timeoutMs: 5000,
    });
    expect(config.notifications.token).toBe(RESOLVED_SECRET);
    expect(config.admin.token).toBe(RESOLVED_SECRET);
    expect(config.server.maxConnectionsPerClient).toBe(config.server.maxConnections);
    check(config);
  });
});
