import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { CallerIdConstants } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { z } from 'zod';
import { SUPPORT_CHANNELS, type SupportChannel } from '../domain/model';
import type { ManagedIdentitySettings } from '../delivery/managedIdentity';
import { isTimeZone } from '../locales/i18n';
import type { PartnerCenterSettings } from '../sources/partnerCenter/sync';
import type { RetentionPolicy } from '../store/retention';

/** The one place that reads the environment. Everything else gets an AppConfig. */

export const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type AppType = (typeof APP_TYPES)[number];

export interface BotIdentity {
  readonly appId: string;
  readonly appType: AppType;
  readonly password?: string;
  readonly tenantId?: string;
  /** Where tokens are verified and fetched: the public cloud unless the settings name another. */
  readonly cloud: CloudSettings;
}

/**
 * botbuilder's own authentication settings, under its own names, as ConfigurationBotFrameworkAuthentication
 * takes them. Each defaults to the public cloud's value; README has those of the US Government and China clouds.
 */
export interface CloudSettings {
  readonly ToBotFromChannelOpenIdMetadataUrl: string;
  readonly ToBotFromEmulatorOpenIdMetadataUrl: string;
  readonly ToBotFromChannelTokenIssuer: string;
  readonly ToChannelFromBotLoginUrl: string;
  readonly ToChannelFromBotOAuthScope: string;
  readonly OAuthUrl: string;
  /** False trusts ToChannelFromBotLoginUrl as given, without asking Microsoft's instance discovery about it. */
  readonly ValidateAuthority: boolean;
  readonly CallerId: string;
}

/** Posts to the Bot Connector: turn replies and the outbox. */
export interface ConnectorSettings {
  /** Development mode without DEV_ALLOW_REMOTE: only loopback service URLs, where the Emulator listens. */
  readonly loopbackOnly: boolean;
  /** A send, retries included, gives up after this long, so that a dead connector does not hold a turn. */
  readonly timeoutMs: number;
}

/** Node's HTTP server limits, so that slow or idle clients cannot hold connections. */
export interface ServerLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxConnections: number;
  /** Connections one client address may hold at once; below maxConnections, so that others still get in. */
  readonly maxConnectionsPerClient: number;
}

/** How merge requests reach partner support, and who on the support side may act on them. */
export interface SupportSettings {
  readonly delivery: SupportChannel;
  readonly webhook?: { readonly url: string; readonly secret: string };
  /** The partner support team's channel: where request cards go, and where the team acts on them. */
  readonly teams?: { readonly channelId: string; readonly serviceUrl: string; readonly tenantId?: string };
  /** When set, only these users (Entra object ids or channel user ids) of that channel may act. */
  readonly agentIds: readonly string[];
}

/** Certification status notifications: who may post changes, the development simulator, pacing. */
export interface NotificationSettings {
  /** The bearer token release pipelines post with; without one the endpoint refuses every post. */
  readonly token?: string;
  /** Development mode only: moves demo offers through certification every so often. */
  readonly simulator?: { readonly intervalMs: number };
  /** Added to every Teams rate window; the pacer needs none on one clock, see delivery/pacer.ts. */
  readonly pacingMarginMs: number;
}

export interface DatabaseSettings {
  readonly url: string;
  /** The schema the bot's tables live in, created when missing. */
  readonly schema: string;
  /** How long an instance holds an outbox job it claimed, or the sending for a tenant, before another may take it. */
  readonly leaseMs: number;
  /** How long a tenant whose sending lease lapsed waits before another instance takes it: CONNECTOR_TIMEOUT_MS. */
  readonly takeoverGraceMs: number;
  /** DATABASE_AUTH=entra: each connection's password is a managed identity token for this resource. */
  readonly entra?: { readonly resource: string };
}

/** The admin endpoint that `npm run import` posts to while the bot holds the store. */
export interface AdminSettings {
  /** A token of the operator's; without one the bot makes one per start and answers loopback only. */
  readonly token?: string;
  /** The files of one import together, in bytes, as uploaded: beyond this the upload is refused (413). */
  readonly maxImportBytes: number;
}

export interface AppConfig {
  /** Development: no bot identity, anonymous auth as the Emulator expects, loopback only, demo data. */
  readonly mode: 'development' | 'production';
  /** Development mode's demo partner, and guests acting as its Manager; never in production. */
  readonly demoData: boolean;
  readonly admin: AdminSettings;
  /** The sync of offers and certification from Partner Center, when its credentials are set. */
  readonly partnerCenter?: PartnerCenterSettings;
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** The shared store, when several instances serve the bot; otherwise SQLite in `dataDir`. */
  readonly database?: DatabaseSettings;
  readonly logLevel: LogLevel;
  /** JSON lines, or lines for people to read; auto picks the latter when stdout is a terminal. */
  readonly logFormat: LogFormat;
  /** For dates when the channel does not say the user's time zone. */
  readonly timeZone: string;
  readonly bot?: BotIdentity;
  /** The host's managed identity: the bot's own with UserAssignedMSI, and the database's with DATABASE_AUTH=entra. */
  readonly managedIdentity?: ManagedIdentitySettings;
  readonly support: SupportSettings;
  readonly notifications: NotificationSettings;
  /** Entra tenants whose users may use the bot; empty lets every tenant in. */
  readonly allowedTenants: readonly string[];
  readonly connector: ConnectorSettings;
  readonly server: ServerLimits;
  /** Hosts a link on a card may point to besides Partner Center, Microsoft Learn and the storefronts. */
  readonly extraLinkHosts: readonly string[];
  /** How long the store keeps sent jobs, certification changes and, unless for ever, the audit trail. */
  readonly retention: RetentionPolicy;
  /** Where traces and metrics go, when APPLICATIONINSIGHTS_CONNECTION_STRING names an Application Insights resource. */
  readonly telemetry?: TelemetrySettings;
}

export interface TelemetrySettings {
  readonly connectionString: string;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

const LOOPBACK_HOSTS = ['127.0.0.1', '::1', 'localhost'];

const flag = z
  .string()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' }))
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));

const hostName = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$/i, { error: 'must be host names, separated by commas' });

const hostList = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== ''),
  )
  .pipe(z.array(hostName));

/** An OpenID metadata or OAuth service URL: https, or plain http to loopback (tests, local emulators). */
const serviceUrl = z
  .url({ protocol: /^https?$/, error: 'must be a URL' })
  // A URL that does not parse is named by the check above; zod runs refinements after a failed one too.
  .refine((url) => !URL.canParse(url) || isHttpsOrLoopback(url), {
    error: 'must be https (plain http only to a loopback address)',
  });

/** MSAL takes https authorities only, with the tenant as the path: https://login.microsoftonline.com/botframework.com */
const loginUrl = z
  .url({ protocol: /^https$/, error: 'must be an https URL' })
  .refine((url) => !URL.canParse(url) || (/^\/[^/?#]+\/?$/.test(new URL(url).pathname) && !/[?#]/.test(url)), {
    error: 'must be an authority with its tenant, such as https://login.microsoftonline.com/botframework.com',
  });

const DATABASE_AUTHS = ['password', 'entra'] as const;

const milliseconds = (min: number, max: number, fallback: number) =>
  z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(min).max(max).default(fallback);

/**
 * At least a day: the pacer counts sends answered within the last hour (Teams' longest window), and
 * a release pipeline retries a post within hours.
 */
const days = z.coerce
  .number({ error: 'must be a number of days' })
  .min(1, { error: 'must be at least 1 day' })
  .max(3650, { error: 'must be at most 3650 days' });
const DAY_MS = 24 * 60 * 60 * 1000;

const environmentSchema = z.object({
  PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3978),
  HOST: z.string().trim().min(1).optional(),
  DEV_ALLOW_REMOTE: flag.default(false),
  DATA_DIR: z.string().trim().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .trim()
    .refine((url) => /^postgres(?:ql)?:\/\/[^\s]+$/.test(url) && URL.canParse(url), {
      error: 'must be a postgres:// URL, such as postgres://user:password@host:5432/database',
    })
    .optional(),
  DATABASE_AUTH: z.enum(DATABASE_AUTHS, { error: `must be one of ${DATABASE_AUTHS.join(', ')}` }).default('password'),
  DATABASE_ENTRA_RESOURCE: z.url({ error: 'must be a URL' }).default('https://ossrdbms-aad.database.windows.net'),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a lower-case SQL name: letters, digits and _' })
    .default('public'),
  OUTBOX_LEASE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(1).max(3600).default(60),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_FORMAT: z.enum(LOG_FORMATS, { error: `must be one of ${LOG_FORMATS.join(', ')}` }).default('auto'),
  TIME_ZONE: z.string().refine(isTimeZone, { error: 'must be an IANA time zone such as Asia/Seoul' }).default('UTC'),
  MicrosoftAppId: z.guid({ error: 'must be the GUID of the bot registration' }).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppType: z.enum(APP_TYPES, { error: `must be one of ${APP_TYPES.join(', ')}` }).default('MultiTenant'),
  MicrosoftAppTenantId: z.guid({ error: 'must be a tenant GUID' }).optional(),
  SUPPORT_DELIVERY: z.enum(SUPPORT_CHANNELS, { error: `must be one of ${SUPPORT_CHANNELS.join(', ')}` }).default('stored'),
  SUPPORT_WEBHOOK_URL: z.url({ error: 'must be a URL' }).optional(),
  SUPPORT_WEBHOOK_SECRET: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  SUPPORT_TEAMS_CHANNEL_ID: z.string().trim().min(1).optional(),
  SUPPORT_TEAMS_SERVICE_URL: z.url({ error: 'must be a URL' }).default('https://smba.trafficmanager.net/teams/'),
  SUPPORT_TEAMS_TENANT_ID: z.guid({ error: 'must be a tenant GUID' }).optional(),
  SUPPORT_AGENT_IDS: z.string().optional(),
  ALLOWED_TENANT_IDS: z
    .string()
    .transform((list) =>
      list
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    )
    .pipe(z.array(z.guid({ error: 'must list tenant GUIDs, separated by commas' })))
    .optional(),
  NOTIFY_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  CERTIFICATION_SIMULATOR: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  DEMO_DATA: z.enum(['on', 'off'], { error: 'must be on or off' }).optional(),
  ADMIN_TOKEN: z.string().min(32, { error: 'must be at least 32 characters' }).optional(),
  IMPORT_MAX_BYTES: z.coerce
    .number({ error: 'must be a number of bytes' })
    .int({ error: 'must be a number of bytes' })
    .min(1)
    .max(Number.MAX_SAFE_INTEGER)
    .default(512 * 1024 * 1024),
  PARTNER_CENTER_TENANT_ID: z
    .string()
    .trim()
    .regex(/^[\w.-]{1,256}$/, { error: 'must be a tenant id (GUID) or domain' })
    .optional(),
  PARTNER_CENTER_CLIENT_ID: z.guid({ error: 'must be the GUID of the Entra app' }).optional(),
  PARTNER_CENTER_CLIENT_SECRET: z.string().min(1).optional(),
  PARTNER_CENTER_ACCOUNT: z.string().trim().min(1).max(100).optional(),
  PARTNER_CENTER_PUBLISHER_ID: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,99}$/i, { error: 'must be a publisher id' })
    .optional(),
  ENTRA_AUTHORITY_URL: z.url({ error: 'must be a URL' }).default('https://login.microsoftonline.com'),
  PRODUCT_INGESTION_URL: z.url({ error: 'must be a URL' }).default('https://graph.microsoft.com/rp/product-ingestion'),
  PARTNER_INGESTION_URL: z.url({ error: 'must be a URL' }).default('https://api.partner.microsoft.com/v1.0/ingestion'),
  PARTNER_CENTER_SYNC_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(1).max(86_400).default(900),
  PARTNER_CENTER_TIMEOUT_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(1).max(300).default(30),
  CERTIFICATION_SIMULATOR_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).min(0.05).max(86_400).default(30),
  NOTIFY_PACING_MARGIN_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(5000).default(0),
  ToBotFromChannelOpenIdMetadataUrl: serviceUrl.default(AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl),
  ToBotFromEmulatorOpenIdMetadataUrl: serviceUrl.default(AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl),
  ToBotFromChannelTokenIssuer: z.string().trim().min(1).max(512).default(AuthenticationConstants.ToBotFromChannelTokenIssuer),
  ToChannelFromBotLoginUrl: loginUrl.default(AuthenticationConstants.ToChannelFromBotLoginUrl),
  ToChannelFromBotOAuthScope: z.string().trim().min(1).max(512).default(AuthenticationConstants.ToChannelFromBotOAuthScope),
  OAuthUrl: serviceUrl.default(AuthenticationConstants.OAuthUrl),
  ValidateAuthority: flag.default(true),
  CallerId: z.string().trim().min(1).max(512).default(CallerIdConstants.PublicAzureChannel),
  CONNECTOR_TIMEOUT_MS: milliseconds(100, 120_000, 5_000),
  HTTP_HEADERS_TIMEOUT_MS: milliseconds(100, 600_000, 10_000),
  HTTP_REQUEST_TIMEOUT_MS: milliseconds(100, 600_000, 30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(100, 600_000, 5_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number({ error: 'must be a number of connections' }).int().min(1).max(100_000).default(1000),
  HTTP_MAX_CONNECTIONS_PER_CLIENT: z.coerce
    .number({ error: 'must be a number of connections' })
    .int()
    .min(1)
    .max(100_000)
    .optional(),
  EXTRA_LINK_HOSTS: hostList.optional(),
  OUTBOX_RETENTION_DAYS: days.default(30),
  CERTIFICATION_CHANGE_RETENTION_DAYS: days.default(30),
  AUDIT_RETENTION_DAYS: days.optional(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .trim()
    .refine(isConnectionString, {
      error: 'must be an Application Insights connection string: InstrumentationKey=<GUID>;IngestionEndpoint=https://…',
    })
    .optional(),
});

/** Set by the host, not by an operator: App Service's local endpoint for the managed identity's tokens. */
const hostSchema = z.object({
  IDENTITY_ENDPOINT: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  IDENTITY_HEADER: z.string().min(1).optional(),
});

/** The names of the bot's settings, and of what the host sets for it: the Web App's settings are checked against them. */
export const SETTING_NAMES: readonly string[] = Object.keys(environmentSchema.shape);
export const HOST_VARIABLES: readonly string[] = Object.keys(hostSchema.shape);

/** Where a managed identity's tokens come from off App Service: virtual machines, scale sets, AKS nodes. */
const INSTANCE_METADATA_TOKEN_URL = 'http://169.254.169.254/metadata/identity/oauth2/token';
/** A token request to the identity endpoint gives up after this long. */
const MANAGED_IDENTITY_TIMEOUT_MS = 5000;

/** Connections one client address may hold by default: a quarter of HTTP_MAX_CONNECTIONS at most. */
const DEFAULT_CONNECTIONS_PER_CLIENT = 100;

/** Development mode's token for the certification endpoint, so that it can be tried at once. */
export const DEVELOPMENT_NOTIFY_TOKEN = 'dev-notify-token';

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`The configuration is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Environment = Readonly<Record<string, string | undefined>>;

/** The environment over the `.env` values; an empty value means "not set", as in the Emulator's MicrosoftAppId="". */
function mergeSources(env: Environment, dotenv: Environment): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const source of [dotenv, env]) {
    for (const [name, value] of Object.entries(source)) {
      if (value !== undefined && value.trim() !== '') merged[name] = value;
    }
  }
  return merged;
}

function readDotenv(file: string): Environment {
  return fs.existsSync(file) ? parseEnv(fs.readFileSync(file, 'utf8')) : {};
}

/** Parses settings from `env`, over those of a `.env` file when one is given. Throws ConfigError naming every problem. */
export function parseConfig(env: Environment, dotenv: Environment = {}): AppConfig {
  const merged = mergeSources(env, dotenv);
  const unresolved = unresolvedReferences(merged);
  const parsed = environmentSchema.extend(hostSchema.shape).safeParse(merged);
  if (!parsed.success) {
    throw new ConfigError([...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`), ...unresolved]);
  }
  const settings = parsed.data;
  const problems: string[] = [...unresolved];

  const production = settings.MicrosoftAppId !== undefined;
  if (production) {
    const needsPassword = settings.MicrosoftAppType !== 'UserAssignedMSI';
    const needsTenant = settings.MicrosoftAppType !== 'MultiTenant';
    if (needsPassword && !settings.MicrosoftAppPassword) {
      problems.push(`MicrosoftAppPassword: required for MicrosoftAppType ${settings.MicrosoftAppType}`);
    }
    if (!needsPassword && settings.MicrosoftAppPassword) {
      problems.push(
        'MicrosoftAppPassword: not used with UserAssignedMSI, which authenticates with the managed identity; remove it',
      );
    }
    if (needsTenant && !settings.MicrosoftAppTenantId) {
      problems.push(`MicrosoftAppTenantId: required for MicrosoftAppType ${settings.MicrosoftAppType}`);
    }
    if (settings.CERTIFICATION_SIMULATOR === 'on') {
      problems.push('CERTIFICATION_SIMULATOR: the simulator moves demo offers and runs in development mode only');
    }
    if (settings.DEMO_DATA === 'on') problems.push('DEMO_DATA: demo data is for development mode only');
  } else {
    if (settings.MicrosoftAppPassword || settings.MicrosoftAppTenantId) {
      problems.push('MicrosoftAppId: required when MicrosoftAppPassword or MicrosoftAppTenantId is set');
    }
    if (settings.DEMO_DATA === 'off' && settings.CERTIFICATION_SIMULATOR === 'on') {
      problems.push("CERTIFICATION_SIMULATOR: the simulator moves the demo partner's offers, which DEMO_DATA=off leaves out");
    }
    if (settings.HOST && !LOOPBACK_HOSTS.includes(settings.HOST) && !settings.DEV_ALLOW_REMOTE) {
      problems.push(
        'HOST: development mode (no MicrosoftAppId) has no authentication and listens on loopback only; set DEV_ALLOW_REMOTE=true to listen on another address',
      );
    }
  }
  problems.push(...supportProblems(settings), ...partnerCenterProblems(settings), ...managedIdentityProblems(settings));
  if ((settings.HTTP_MAX_CONNECTIONS_PER_CLIENT ?? 0) > settings.HTTP_MAX_CONNECTIONS) {
    problems.push('HTTP_MAX_CONNECTIONS_PER_CLIENT: must not be more than HTTP_MAX_CONNECTIONS');
  }
  if (settings.HTTP_HEADERS_TIMEOUT_MS > settings.HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS, which counts the headers too');
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const notifyToken = settings.NOTIFY_TOKEN ?? (production ? undefined : DEVELOPMENT_NOTIFY_TOKEN);
  const demoData = !production && settings.DEMO_DATA !== 'off';
  return {
    mode: production ? 'production' : 'development',
    demoData,
    admin: { ...(settings.ADMIN_TOKEN && { token: settings.ADMIN_TOKEN }), maxImportBytes: settings.IMPORT_MAX_BYTES },
    host: settings.HOST ?? (production ? '0.0.0.0' : '127.0.0.1'),
    port: settings.PORT,
    dataDir: path.resolve(settings.DATA_DIR),
    ...(settings.DATABASE_URL && {
      database: {
        url: settings.DATABASE_URL,
        schema: settings.DATABASE_SCHEMA,
        leaseMs: settings.OUTBOX_LEASE_SECONDS * 1000,
        // A send started just before a lease lapsed is over, answered or given up, by then.
        takeoverGraceMs: settings.CONNECTOR_TIMEOUT_MS,
        ...(settings.DATABASE_AUTH === 'entra' && { entra: { resource: settings.DATABASE_ENTRA_RESOURCE } }),
      },
    }),
    logLevel: settings.LOG_LEVEL,
    logFormat: settings.LOG_FORMAT,
    timeZone: settings.TIME_ZONE,
    ...(settings.MicrosoftAppId && {
      bot: {
        appId: settings.MicrosoftAppId,
        appType: settings.MicrosoftAppType,
        ...(settings.MicrosoftAppPassword && { password: settings.MicrosoftAppPassword }),
        ...(settings.MicrosoftAppTenantId && { tenantId: settings.MicrosoftAppTenantId }),
        cloud: {
          ToBotFromChannelOpenIdMetadataUrl: settings.ToBotFromChannelOpenIdMetadataUrl,
          ToBotFromEmulatorOpenIdMetadataUrl: settings.ToBotFromEmulatorOpenIdMetadataUrl,
          ToBotFromChannelTokenIssuer: settings.ToBotFromChannelTokenIssuer,
          ToChannelFromBotLoginUrl: settings.ToChannelFromBotLoginUrl,
          ToChannelFromBotOAuthScope: settings.ToChannelFromBotOAuthScope,
          OAuthUrl: settings.OAuthUrl,
          ValidateAuthority: settings.ValidateAuthority,
          CallerId: settings.CallerId,
        },
      },
    }),
    ...managedIdentitySettings(settings),
    support: supportSettings(settings),
    ...partnerCenterSettings(settings),
    allowedTenants: settings.ALLOWED_TENANT_IDS ?? [],
    connector: { loopbackOnly: !production && !settings.DEV_ALLOW_REMOTE, timeoutMs: settings.CONNECTOR_TIMEOUT_MS },
    server: {
      headersTimeoutMs: settings.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: settings.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: settings.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: settings.HTTP_MAX_CONNECTIONS,
      maxConnectionsPerClient:
        settings.HTTP_MAX_CONNECTIONS_PER_CLIENT ??
        Math.max(1, Math.min(DEFAULT_CONNECTIONS_PER_CLIENT, Math.floor(settings.HTTP_MAX_CONNECTIONS / 4))),
    },
    extraLinkHosts: (settings.EXTRA_LINK_HOSTS ?? []).map((host) => host.toLowerCase()),
    ...(settings.APPLICATIONINSIGHTS_CONNECTION_STRING && {
      telemetry: { connectionString: settings.APPLICATIONINSIGHTS_CONNECTION_STRING },
    }),
    retention: {
      outboxMs: settings.OUTBOX_RETENTION_DAYS * DAY_MS,
      changesMs: settings.CERTIFICATION_CHANGE_RETENTION_DAYS * DAY_MS,
      ...(settings.AUDIT_RETENTION_DAYS !== undefined && { auditMs: settings.AUDIT_RETENTION_DAYS * DAY_MS }),
    },
    notifications: {
      ...(notifyToken && { token: notifyToken }),
      ...(demoData &&
        settings.CERTIFICATION_SIMULATOR !== 'off' && {
          simulator: { intervalMs: settings.CERTIFICATION_SIMULATOR_SECONDS * 1000 },
        }),
      pacingMarginMs: settings.NOTIFY_PACING_MARGIN_MS,
    },
  };
}

type Settings = z.output<typeof environmentSchema> & z.output<typeof hostSchema>;

/**
 * App Service leaves a Key Vault reference it could not resolve in place, as the setting's value: a
 * secret that must not be taken for the secret itself.
 */
function unresolvedReferences(merged: Readonly<Record<string, string>>): string[] {
  return Object.entries(merged)
    .filter(([name, value]) => SETTING_NAMES.includes(name) && /^\s*@Microsoft\.KeyVault\(/i.test(value))
    .map(
      ([name]) =>
        `${name}: App Service did not resolve this Key Vault reference (does the secret exist, and may the Web App's identity read it as Key Vault Secrets User?)`,
    );
}

function managedIdentityProblems(settings: Settings): string[] {
  const problems: string[] = [];
  if (settings.IDENTITY_ENDPOINT && !settings.IDENTITY_HEADER) {
    problems.push('IDENTITY_HEADER: required with IDENTITY_ENDPOINT (App Service sets both)');
  }
  if (settings.DATABASE_AUTH === 'entra') {
    if (settings.MicrosoftAppType !== 'UserAssignedMSI' || !settings.MicrosoftAppId) {
      problems.push(
        "DATABASE_AUTH: entra signs in with the bot's managed identity, which needs MicrosoftAppType UserAssignedMSI and its MicrosoftAppId",
      );
    }
    if (!settings.DATABASE_URL) problems.push('DATABASE_URL: required with DATABASE_AUTH=entra');
    else {
      const url = new URL(settings.DATABASE_URL);
      if (url.username === '' || url.password !== '') {
        problems.push(
          "DATABASE_URL: with DATABASE_AUTH=entra, name the identity's database user and no password: postgres://identity-name@host:5432/database",
        );
      }
    }
  }
  return problems;
}

/** With UserAssignedMSI, the bot's tokens come from App Service's endpoint when it set one, else from the instance metadata service. */
function managedIdentitySettings(settings: Settings): { managedIdentity?: ManagedIdentitySettings } {
  const { MicrosoftAppId: clientId, IDENTITY_ENDPOINT: url, IDENTITY_HEADER: secret } = settings;
  if (settings.MicrosoftAppType !== 'UserAssignedMSI' || !clientId) return {};
  return {
    managedIdentity: {
      clientId,
      endpoint:
        url && secret ? { kind: 'appService', url, secret } : { kind: 'instanceMetadata', url: INSTANCE_METADATA_TOKEN_URL },
      timeoutMs: MANAGED_IDENTITY_TIMEOUT_MS,
    },
  };
}

function supportProblems(settings: Settings): string[] {
  const problems: string[] = [];
  if (settings.SUPPORT_DELIVERY === 'webhook') {
    if (!settings.SUPPORT_WEBHOOK_URL) problems.push('SUPPORT_WEBHOOK_URL: required when SUPPORT_DELIVERY is webhook');
    else if (!isHttpsOrLoopback(settings.SUPPORT_WEBHOOK_URL))
      problems.push('SUPPORT_WEBHOOK_URL: must be https (plain http only to a loopback address)');
    if (!settings.SUPPORT_WEBHOOK_SECRET) problems.push('SUPPORT_WEBHOOK_SECRET: required when SUPPORT_DELIVERY is webhook');
  }
  if (settings.SUPPORT_DELIVERY === 'teams' && !settings.SUPPORT_TEAMS_CHANNEL_ID) {
    problems.push('SUPPORT_TEAMS_CHANNEL_ID: required when SUPPORT_DELIVERY is teams');
  }
  return problems;
}

function supportSettings(settings: Settings): SupportSettings {
  const { SUPPORT_WEBHOOK_URL: url, SUPPORT_WEBHOOK_SECRET: secret, SUPPORT_TEAMS_CHANNEL_ID: channelId } = settings;
  return {
    delivery: settings.SUPPORT_DELIVERY,
    ...(settings.SUPPORT_DELIVERY === 'webhook' && url && secret && { webhook: { url, secret } }),
    ...(channelId && {
      teams: {
        channelId,
        serviceUrl: settings.SUPPORT_TEAMS_SERVICE_URL,
        ...(settings.SUPPORT_TEAMS_TENANT_ID && { tenantId: settings.SUPPORT_TEAMS_TENANT_ID }),
      },
    }),
    agentIds: (settings.SUPPORT_AGENT_IDS ?? '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== ''),
  };
}

const PARTNER_CENTER_CREDENTIALS = [
  'PARTNER_CENTER_TENANT_ID',
  'PARTNER_CENTER_CLIENT_ID',
  'PARTNER_CENTER_CLIENT_SECRET',
  'PARTNER_CENTER_ACCOUNT',
] as const;
const PARTNER_CENTER_URLS = ['ENTRA_AUTHORITY_URL', 'PRODUCT_INGESTION_URL', 'PARTNER_INGESTION_URL'] as const;

function partnerCenterProblems(settings: Settings): string[] {
  const given = PARTNER_CENTER_CREDENTIALS.filter((name) => settings[name] !== undefined);
  if (given.length === 0) return [];
  return [
    ...PARTNER_CENTER_CREDENTIALS.filter((name) => settings[name] === undefined).map(
      (name) => `${name}: required to sync from Partner Center, with ${given.join(', ')}`,
    ),
    ...PARTNER_CENTER_URLS.filter((name) => !isHttpsOrLoopback(settings[name])).map(
      (name) => `${name}: must be https (plain http only to a loopback address)`,
    ),
  ];
}

function partnerCenterSettings(settings: Settings): { partnerCenter?: PartnerCenterSettings } {
  const {
    PARTNER_CENTER_TENANT_ID: tenantId,
    PARTNER_CENTER_CLIENT_ID: clientId,
    PARTNER_CENTER_CLIENT_SECRET: clientSecret,
    PARTNER_CENTER_ACCOUNT: account,
  } = settings;
  if (!tenantId || !clientId || !clientSecret || !account) return {};
  return {
    partnerCenter: {
      tenantId,
      clientId,
      clientSecret,
      account,
      ...(settings.PARTNER_CENTER_PUBLISHER_ID && { publisherId: settings.PARTNER_CENTER_PUBLISHER_ID }),
      authorityUrl: settings.ENTRA_AUTHORITY_URL,
      productIngestionUrl: settings.PRODUCT_INGESTION_URL,
      partnerIngestionUrl: settings.PARTNER_INGESTION_URL,
      intervalMs: settings.PARTNER_CENTER_SYNC_SECONDS * 1000,
      timeoutMs: settings.PARTNER_CENTER_TIMEOUT_SECONDS * 1000,
    },
  };
}

/**
 * What the Azure Monitor exporter takes: `key=value` parts separated by `;`, an InstrumentationKey
 * that is a GUID, and endpoints that are https (plain http only to loopback).
 */
function isConnectionString(value: string): boolean {
  const parts = new Map(
    value
      .split(';')
      .filter((part) => part.trim() !== '')
      .map((part): [string, string | undefined] => {
        const at = part.indexOf('=');
        return at > 0
          ? [part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()]
          : [part.trim().toLowerCase(), undefined];
      }),
  );
  if ([...parts.values()].some((part) => part === undefined || part === '')) return false;
  if (!z.guid().safeParse(parts.get('instrumentationkey')).success) return false;
  return ['ingestionendpoint', 'liveendpoint'].every((name) => {
    const url = parts.get(name);
    return url === undefined || (URL.canParse(url) && isHttpsOrLoopback(url));
  });
}

function isHttpsOrLoopback(url: string): boolean {
  const parsed = new URL(url);
  return (
    parsed.protocol === 'https:' || (parsed.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname))
  );
}

/**
 * What the Azure Monitor SDK reads from the environment itself, set before it starts: off, its
 * statsbeat, the SDK's reports on itself, which go to Microsoft's own endpoints rather than to the
 * operator's resource; and the cloud role name, unless OTEL_SERVICE_NAME names another.
 */
export function prepareTelemetryEnvironment(serviceName: string): void {
  process.env.APPLICATION_INSIGHTS_NO_STATSBEAT = 'true';
  process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
  process.env.OTEL_SERVICE_NAME ??= serviceName;
}

/**
 * Where a command was run from: `npm run` starts scripts in the package's folder and says in
 * INIT_CWD where the user was, which is what file arguments are relative to.
 */
export function invocationDirectory(): string {
  return process.env.INIT_CWD ?? process.cwd();
}

/** The process's configuration: its environment over an optional `.env` in the working directory. */
export function loadConfig(dotenvFile = path.resolve('.env')): AppConfig {
  return parseConfig(process.env, readDotenv(dotenvFile));
}

/** What `npm run package` puts into the Teams app manifest. */
export interface TeamsAppSettings {
  readonly botId: string;
  /** The Teams app's own id; the bot's id unless TEAMS_APP_ID says otherwise. */
  readonly appId: string;
  readonly developerName: string;
  readonly websiteUrl: string;
  readonly privacyUrl: string;
  readonly termsUrl: string;
  readonly accentColor: string;
  /** Host names the app may open, the bot's own among them. */
  readonly validDomains: readonly string[];
  /** Settings left at a default that must be replaced before the app is published. */
  readonly placeholders: readonly string[];
}

const https = z.url({ protocol: /^https$/, error: 'must be an https URL' });

const teamsAppSchema = z.object({
  MicrosoftAppId: z.guid({ error: 'required to package the Teams app: the GUID of the bot registration' }),
  TEAMS_APP_ID: z.guid({ error: 'must be a GUID' }).optional(),
  APP_DEVELOPER_NAME: z.string().trim().min(1).max(32).optional(),
  APP_WEBSITE_URL: https.optional(),
  APP_PRIVACY_URL: https.optional(),
  APP_TERMS_URL: https.optional(),
  APP_ACCENT_COLOR: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i, { error: 'must be a color such as #0F6CBD' })
    .default('#0F6CBD'),
  BOT_DOMAIN: hostList.optional(),
});

/** Documented defaults: fine for trying the package, to be replaced before publishing. */
export const TEAMS_APP_DEFAULTS = {
  developerName: 'Contoso',
  websiteUrl: 'https://www.example.com/ocp-gtm-migration',
  privacyUrl: 'https://www.example.com/ocp-gtm-migration/privacy',
  termsUrl: 'https://www.example.com/ocp-gtm-migration/terms',
} as const;

export function parseTeamsAppConfig(env: Environment, dotenv: Environment = {}): TeamsAppSettings {
  const parsed = teamsAppSchema.safeParse(mergeSources(env, dotenv));
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const s = parsed.data;
  const placeholders = [
    ...(s.APP_DEVELOPER_NAME ? [] : [`APP_DEVELOPER_NAME (using "${TEAMS_APP_DEFAULTS.developerName}")`]),
    ...(s.APP_WEBSITE_URL ? [] : [`APP_WEBSITE_URL (using ${TEAMS_APP_DEFAULTS.websiteUrl})`]),
    ...(s.APP_PRIVACY_URL ? [] : [`APP_PRIVACY_URL (using ${TEAMS_APP_DEFAULTS.privacyUrl})`]),
    ...(s.APP_TERMS_URL ? [] : [`APP_TERMS_URL (using ${TEAMS_APP_DEFAULTS.termsUrl})`]),
    ...(s.BOT_DOMAIN?.length ? [] : ['BOT_DOMAIN (no valid domains listed; give the host of the messaging endpoint)']),
  ];
  return {
    botId: s.MicrosoftAppId,
    appId: s.TEAMS_APP_ID ?? s.MicrosoftAppId,
    developerName: s.APP_DEVELOPER_NAME ?? TEAMS_APP_DEFAULTS.developerName,
    websiteUrl: s.APP_WEBSITE_URL ?? TEAMS_APP_DEFAULTS.websiteUrl,
    privacyUrl: s.APP_PRIVACY_URL ?? TEAMS_APP_DEFAULTS.privacyUrl,
    termsUrl: s.APP_TERMS_URL ?? TEAMS_APP_DEFAULTS.termsUrl,
    accentColor: s.APP_ACCENT_COLOR,
    validDomains: s.BOT_DOMAIN ?? [],
    placeholders,
  };
}

/** The package settings of the process: its environment over an optional `.env`, as for the bot. */
export function loadTeamsAppConfig(dotenvFile = path.resolve('.env')): TeamsAppSettings {
  return parseTeamsAppConfig(process.env, readDotenv(dotenvFile));
}
