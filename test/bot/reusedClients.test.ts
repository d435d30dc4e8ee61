import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ClaimsIdentity,
  ConnectorClient,
  ConnectorFactory,
  MicrosoftAppCredentials,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type UserTokenClient,
} from 'botframework-connector';
import { ClientReusingAuthentication } from '../../bot/reusedClients';
import { personalMessage } from '../support/activities';

/** Counts what the SDK would build: one ConnectorClient per create call, and fails on request. */
class CountingAuthentication extends BotFrameworkAuthentication {
  created: string[] = [];
  failNext = false;

  override async authenticateRequest(): Promise<AuthenticateRequestResult> {
    const claimsIdentity = identity('app-1');
    return { claimsIdentity, audience: 'aud', callerId: 'caller', connectorFactory: this.createConnectorFactory(claimsIdentity) };
  }

  override authenticateStreamingRequest(): Promise<AuthenticateRequestResult> {
    throw new Error('not used');
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    const created = this.created;
    const failing = (): boolean => {
      const fail = this.failNext;
      this.failNext = false;
      return fail;
    };
    return new (class extends ConnectorFactory {
      async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        if (failing()) throw new Error('token endpoint unreachable');
        created.push(
          `${claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ?? ''} ${serviceUrl} ${audience ?? ''}`,
        );
        return new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: serviceUrl });
      }
    })();
  }

  override createUserTokenClient(): Promise<UserTokenClient> {
    throw new Error('not used');
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    throw new Error('not used');
  }
}

const ACTIVITY = personalMessage();

function identity(appId: string): ClaimsIdentity {
  return new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);
}

describe('connector clients reused across turns', () => {
  test('one client per app, service URL and audience, however many turns ask', async () => {
    const inner = new CountingAuthentication();
    const auth = new ClientReusingAuthentication(inner);
    const clientFor = async (appId: string, serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
      auth.createConnectorFactory(identity(appId)).create(serviceUrl, audience);

    const first = await clientFor('app-1', 'https://smba.trafficmanager.net/amer/');
    expect(await clientFor('app-1', 'https://smba.trafficmanager.net/amer/')).toBe(first);
    const turn = await auth.authenticateRequest(ACTIVITY, '');
    expect(await turn.connectorFactory?.create('https://smba.trafficmanager.net/amer/')).toBe(first);

    expect(await clientFor('app-1', 'https://smba.trafficmanager.net/emea/')).not.toBe(first);
    expect(await clientFor('app-2', 'https://smba.trafficmanager.net/amer/')).not.toBe(first);
    expect(await clientFor('app-1', 'https://smba.trafficmanager.net/amer/', 'other-audience')).not.toBe(first);
    expect(inner.created).toHaveLength(4);
  });

  test('a client that could not be made is tried again on the next turn', async () => {
    const inner = new CountingAuthentication();
    const auth = new ClientReusingAuthentication(inner);
    const factory = auth.createConnectorFactory(identity('app-1'));
    inner.failNext = true;
    await expect(factory.create('https://smba.trafficmanager.net/amer/')).rejects.toThrow('token endpoint unreachable');
    const client = await factory.create('https://smba.trafficmanager.net/amer/');
    expect(await factory.create('https://smba.trafficmanager.net/amer/')).toBe(client);
    expect(inner.created).toHaveLength(1);
  });

  test('keeps at most 64 clients, making the oldest again when it is needed', async () => {
    const inner = new CountingAuthentication();
    const factory = new ClientReusingAuthentication(inner).createConnectorFactory(identity('app-1'));
    for (let i = 0; i <= 64; i++) await factory.create(`https://service-${i}.example/`);
    await factory.create('https://service-64.example/');
    expect(inner.created).toHaveLength(65);
    await factory.create('https://service-0.example/');
    expect(inner.created).toHaveLength(66);
  });
});
