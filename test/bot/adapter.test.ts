import { ActivityTypes, type Activity, type TurnContext } from 'botbuilder';
import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  UserTokenClient,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
} from 'botframework-connector';
import type { SignInUrlResponse, TokenResponse, TokenStatus } from 'botbuilder';
import { MigrationAdapter } from '../../bot/adapter';
import { BotConnector, type ConnectorOutcome, type ConversationTarget } from '../../delivery/botConnector';
import { HttpClient } from '../../delivery/http';
import { ConnectorAnswerError, isConnectorUnreachable } from '../../turn/replies';
import { personalMessage } from '../support/activities';
import { LoopbackConnector } from '../support/loopbackConnector';

const CHANNEL_SCOPE = AuthenticationConstants.ToChannelFromBotOAuthScope;

/** Authenticates every request for the audience the test names; the SDK's clients post to the loopback connector. */
class FixedAudienceAuthentication extends BotFrameworkAuthentication {
  constructor(private readonly audience: string) {
    super();
  }

  override authenticateRequest(): Promise<AuthenticateRequestResult> {
    const claimsIdentity = new ClaimsIdentity([], true);
    return Promise.resolve({
      claimsIdentity,
      audience: this.audience,
      callerId: '',
      connectorFactory: this.createConnectorFactory(),
    });
  }

  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }

  override createConnectorFactory(): ConnectorFactory {
    return new (class extends ConnectorFactory {
      create(serviceUrl: string): Promise<ConnectorClient> {
        return Promise.resolve(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: serviceUrl }));
      }
    })();
  }

  override createUserTokenClient(): Promise<UserTokenClient> {
    return Promise.resolve(new NoUserTokens());
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    throw new Error('not used');
  }
}

/** The bot signs no one in: every turn is given this, and nothing asks it. */
class NoUserTokens extends UserTokenClient {
  getUserToken(): Promise<TokenResponse> {
    return Promise.reject(new Error('not used'));
  }
  getSignInResource(): Promise<SignInUrlResponse> {
    return Promise.reject(new Error('not used'));
  }
  signOutUser(): Promise<void> {
    return Promise.reject(new Error('not used'));
  }
  getTokenStatus(): Promise<TokenStatus[]> {
    return Promise.reject(new Error('not used'));
  }
  getAadTokens(): Promise<Record<string, TokenResponse>> {
    return Promise.reject(new Error('not used'));
  }
  exchangeToken(): Promise<TokenResponse> {
    return Promise.reject(new Error('not used'));
  }
}

/** Says which messages went through the adapter's own replies rather than the SDK's client. */
class RecordingReplies extends BotConnector {
  readonly calls: string[] = [];
  override post(target: ConversationTarget, activity: object, replyToId?: string): Promise<ConnectorOutcome> {
    this.calls.push(`post ${replyToId ?? ''}`.trim());
    return super.post(target, activity, replyToId);
  }
  override update(target: ConversationTarget, activityId: string, activity: object): Promise<ConnectorOutcome> {
    this.calls.push(`update ${activityId}`);
    return super.update(target, activityId, activity);
  }
}

describe('MigrationAdapter replies', () => {
  let connector: LoopbackConnector;
  let http: HttpClient;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
    http = new HttpClient();
  });
  afterEach(async () => {
    http.close();
    await connector.close();
  });

  const incoming = (): Activity => personalMessage({ id: 'user-message-1', serviceUrl: connector.url });

  async function turn(audience: string, logic: (context: TurnContext) => Promise<void>): Promise<RecordingReplies> {
    const replies = new RecordingReplies({ timeoutMs: 2_000, serviceUrls: { loopbackOnly: true }, http });
    const adapter = new MigrationAdapter(new FixedAudienceAuthentication(audience), {
      connector: replies,
      channelScope: CHANNEL_SCOPE,
    });
    await adapter.handle('', incoming(), logic);
    return replies;
  }

  test.each<[string, string, string[]]>([
    ["the channel's turn: by the adapter itself", CHANNEL_SCOPE, ['post user-message-1', 'update bot-activity-2']],
    ["a skill caller's turn: by the SDK", 'api://skill-caller', []],
  ])('messages on %s', async (_label, audience, ownCalls) => {
    const replies = await turn(audience, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Typing });
      const sent = await context.sendActivity('해결 방법 3개');
      await context.updateActivity({ ...context.activity, type: ActivityTypes.Message, id: sent?.id, text: '해결 방법 2개' });
    });
    expect(replies.calls).toEqual(ownCalls);
    // Either way the connector has the typing indicator, the message, and the message replaced.
    expect(
      connector.deliveries.map((delivery) =>
        `${delivery.kind} ${delivery.activity.type ?? ''} ${delivery.activity.text ?? ''}`.trim(),
      ),
    ).toEqual(['send typing', 'send message 해결 방법 3개', 'update message 해결 방법 2개']);
  });

  test('a refusal reaches the turn as an error with the status the SDK would give', async () => {
    connector.failNext('conversation', [403]);
    let caught: unknown;
    await turn(CHANNEL_SCOPE, async (context) => {
      caught = await context.sendActivity('hello').catch((error: unknown) => error);
    });
    expect(caught).toBeInstanceOf(ConnectorAnswerError);
    expect(caught).toMatchObject({ statusCode: 403 });
    expect(isConnectorUnreachable(caught)).toBe(false);
  });

  test('a connector that cannot be reached reaches the turn as unreachable', async () => {
    let caught: unknown;
    await turn(CHANNEL_SCOPE, async (context) => {
      await connector.close();
      caught = await context.sendActivity('hello').catch((error: unknown) => error);
    });
    expect(isConnectorUnreachable(caught)).toBe(true);
    connector = await LoopbackConnector.start();
  });
});
