import { randomUUID } from 'node:crypto';
import { seedDemoData } from '../../store/sqlite/sqliteSeed';
import { openDatabase } from '../../store/sqlite/database';
import type { LocalEntra } from './localEntra';
import type { LocalManagedIdentity } from './localManagedIdentity';
import type { LocalOpenIdProvider } from './localIdentity';
import { CHANNEL_ISSUER } from './localIdentity';
import type { Delivery, LoopbackConnector } from './loopbackConnector';
import { postJson } from './botClient';
import { temporaryDataDir } from './testApp';
import { waitFor } from './waitFor';

/** The bot registration the production-mode tests run as. */
export const APP_ID = '6f0c6a4e-5a0b-4f7e-9c1d-2b7d8f3e9a41';
export const APP_SECRET = 'local-test-secret-not-used-anywhere-else';
export const NOTIFY_TOKEN = 'local-notify-token-for-tests';

/** A store with the demo partner in it: production mode loads no demo data, so the tests bring it. */
export function seededDataDir(): string {
  const dataDir = temporaryDataDir();
  const db = openDatabase({ location: dataDir });
  seedDemoData(db, new Date());
  db.close();
  return dataDir;
}

/** The channel's side of production mode: metadata from the local OpenID provider, the issuer the tests sign with. */
function channelEnv(idp: LocalOpenIdProvider, dataDir: string): Record<string, string> {
  return {
    MicrosoftAppId: APP_ID,
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    NOTIFY_TOKEN,
    ToBotFromChannelOpenIdMetadataUrl: idp.channelMetadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: idp.emulatorMetadataUrl,
    ToBotFromChannelTokenIssuer: CHANNEL_ISSUER,
    ToChannelFromBotOAuthScope: 'https://api.botframework.test',
  };
}

/**
 * Production mode pointed at the loopback token services: channel and Emulator metadata from the
 * local OpenID provider, the channel issuer the tests sign with, outgoing tokens from the local
 * Entra (trusted through Node's NODE_EXTRA_CA_CERTS, as a private cloud's CA would be).
 */
export function productionEnv(
  idp: LocalOpenIdProvider,
  entra: LocalEntra,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...channelEnv(idp, dataDir),
    MicrosoftAppPassword: APP_SECRET,
    ToChannelFromBotLoginUrl: `${entra.url}/botframework.com`,
    ValidateAuthority: 'false',
    NODE_EXTRA_CA_CERTS: entra.caFile,
    ...extra,
  };
}

/** The tenant of the tests' user-assigned managed identity. */
export const IDENTITY_TENANT_ID = '5d2c8f3a-1b4e-4c6d-9e7f-0a1b2c3d4e5f';

/**
 * Production mode as a user-assigned managed identity on App Service: APP_ID is the identity's
 * client id, and its tokens come from the loopback identity endpoint named as App Service names its own.
 */
export function managedIdentityEnv(
  idp: LocalOpenIdProvider,
  identity: LocalManagedIdentity,
  dataDir: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...channelEnv(idp, dataDir),
    MicrosoftAppType: 'UserAssignedMSI',
    MicrosoftAppTenantId: IDENTITY_TENANT_ID,
    IDENTITY_ENDPOINT: identity.appServiceEndpoint,
    IDENTITY_HEADER: identity.secret,
    ...extra,
  };
}

export interface StoreSnapshot {
  /** id, status and version of every solution. */
  readonly solutions: readonly string[];
  readonly counts: Readonly<Record<string, number>>;
  /** Keys of stored dialog state: channel/conversations/{id}/users/{user}. */
  readonly dialogStateKeys: readonly string[];
  readonly conversationKeys: readonly string[];
}

const COUNTED = [
  'audit_entries',
  'support_requests',
  'outbox',
  'certification_changes',
  'subscriptions',
  'new_offer_watchers',
  'conversation_references',
  'user_preferences',
  'conversation_preferences',
  'bot_state',
] as const;

/** What the store holds that a turn could change; read with the bot stopped, since it owns the file. */
export function storeSnapshot(dataDir: string): StoreSnapshot {
  const db = openDatabase({ location: dataDir });
  try {
    const solutions = db
      .prepare<[], { id: string; status: string; version: number }>('SELECT id, status, version FROM solutions ORDER BY id')
      .all()
      .map((row) => `${row.id} ${row.status} v${row.version}`);
    const counts = Object.fromEntries(
      COUNTED.map((table) => [table, db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0]),
    );
    const dialogStateKeys = db
      .prepare<[], { key: string }>('SELECT key FROM bot_state ORDER BY key')
      .all()
      .map((row) => row.key);
    const conversationKeys = db
      .prepare<[], { conversation_key: string }>('SELECT conversation_key FROM conversation_references ORDER BY 1')
      .all()
      .map((row) => row.conversation_key);
    return { solutions, counts, dialogStateKeys, conversationKeys };
  } finally {
    db.close();
  }
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | null;
}

/** Posts a body to the messaging endpoint with a bearer token, as the Bot Connector does. */
export async function postActivity(botUrl: string, body: unknown, token?: string): Promise<Answer> {
  const response = await fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token !== undefined && { authorization: `Bearer ${token}` }) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
}

export interface PostedActivity {
  readonly body: Record<string, unknown>;
  readonly conversationId: string;
  readonly activityId: string;
}

/** A personal chat's message to the bot, as the connector at `serviceUrl` posts it, with ids the checks look for. */
export function personalMessage(
  serviceUrl: string,
  options: { readonly channelId?: string; readonly text?: string; readonly from?: Record<string, string> } = {},
): PostedActivity {
  const conversationId = `prod-${randomUUID()}`;
  const activityId = randomUUID();
  const body = {
    type: 'message',
    id: activityId,
    channelId: options.channelId ?? 'msteams',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale: 'en-US',
    from: options.from ?? { id: 'demo-manager', name: 'Demo Manager' },
    recipient: { id: `28:${APP_ID}`, name: 'Migration bot' },
    conversation: { id: conversationId, conversationType: 'personal' },
    text: options.text ?? 'help',
  };
  return { body, conversationId, activityId };
}

const TEAM = '19:launch-team@thread.tacv2';
/** The Teams channel `certificationCardInChannel` subscribes. */
export const SUBSCRIBED_CHANNEL = '19:launch@thread.tacv2';

/**
 * Subscribes a Teams channel with an @mention signed by `token`, posts a certification change for one
 * of the demo partner's offers, and resolves with the card the outbox sent the channel.
 */
export async function certificationCardInChannel(
  botUrl: string,
  connector: LoopbackConnector,
  token: string,
): Promise<Delivery | undefined> {
  const subscribe = {
    ...personalMessage(connector.url, { text: '<at>Migration bot</at> subscribe' }).body,
    conversation: { id: SUBSCRIBED_CHANNEL, conversationType: 'channel', isGroup: true, tenantId: 'tenant-1' },
    entities: [{ type: 'mention', text: '<at>Migration bot</at>', mentioned: { id: `28:${APP_ID}`, name: 'Migration bot' } }],
    channelData: { tenant: { id: 'tenant-1' }, team: { id: TEAM }, channel: { id: SUBSCRIBED_CHANNEL } },
  };
  const subscribed = await postActivity(botUrl, subscribe, token);
  if (subscribed.status !== 200) throw new Error(`the subscription was answered ${subscribed.status}`);
  const mark = connector.deliveries.length;
  const accepted = await postJson(
    `${botUrl}/api/notifications/certification`,
    { offerId: 'contoso.energy-analytics', status: 'live' },
    { authorization: `Bearer ${NOTIFY_TOKEN}` },
  );
  if (accepted.status !== 202) throw new Error(`the certification change was answered ${accepted.status}`);
  const inChannel = (delivery: Delivery): boolean => delivery.conversationId === SUBSCRIBED_CHANNEL;
  await waitFor(() => connector.since(mark).some(inChannel), 10_000);
  return connector.since(mark).find(inChannel);
}
