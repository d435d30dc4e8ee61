import { addressOf } from '../../delivery/conversationAddress';
import { ConnectorSender } from '../../delivery/connectorSender';
import type { RefusedLink } from '../../cards/linkGuard';
import { LoopbackConnector } from '../support/loopbackConnector';

describe('ConnectorSender', () => {
  let connector: LoopbackConnector;
  beforeEach(async () => {
    connector = await LoopbackConnector.start();
  });
  afterEach(() => connector.close());

  const address = (serviceUrl: string): string =>
    addressOf({ serviceUrl, channelId: 'msteams', conversation: { id: 'c-1', tenantId: 'tenant-1' } });

  test.each<[string, (url: string) => string, boolean, RegExp]>([
    ['a remote service URL in development', () => 'https://smba.trafficmanager.net/amer/', true, /loopback/],
    ['a loopback-range address not named as loopback', (url) => url.replace('127.0.0.1', '127.0.0.2'), true, /loopback/],
    ['credentials in the service URL', (url) => url.replace('http://', 'http://user:secret@'), false, /user name or password/],
    ['credentials even in development', (url) => url.replace('http://', 'http://user@'), true, /user name or password/],
  ])('an address stored with %s is never posted to', async (_label, serviceUrl, loopbackOnly, why) => {
    const sender = new ConnectorSender({ serviceUrls: { loopbackOnly } });
    const outcome = await sender.send(address(serviceUrl(connector.url)), { text: 'hello' });
    expect(outcome).toEqual({ ok: false, status: 400, error: expect.stringMatching(why) });
    expect(connector.deliveries).toEqual([]);
  });

  test('a loopback address is posted to in development', async () => {
    const sender = new ConnectorSender({ serviceUrls: { loopbackOnly: true } });
    expect(await sender.send(address(connector.url), { text: 'hello' })).toMatchObject({ ok: true });
    expect(connector.deliveries).toHaveLength(1);
  });

  test('links that break the rule are left off the card, and reported', async () => {
    const refused: RefusedLink[] = [];
    const sender = new ConnectorSender({
      extraLinkHosts: ['status.contoso.com'],
      onRefusedLinks: (links) => refused.push(...links),
    });
    const card = {
      type: 'AdaptiveCard',
      version: '1.5',
      body: [{ type: 'TextBlock', text: 'Certification' }],
      actions: [
        { type: 'Action.OpenUrl', title: 'Report', url: 'https://partner.microsoft.com@evil.example/report' },
        { type: 'Action.OpenUrl', title: 'Status', url: 'https://status.contoso.com/offer' },
      ],
    };
    const outcome = await sender.send(address(connector.url), {
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
    });
    expect(outcome).toMatchObject({ ok: true });
    const sent = JSON.stringify(connector.deliveries[0]?.activity);
    expect(sent).not.toContain('evil.example');
    expect(sent).toContain('https://status.contoso.com/offer');
    expect(refused).toEqual([
      { url: 'https://partner.microsoft.com@evil.example/report', problem: expect.stringMatching(/user name/) },
    ]);
  });

  test('a token source that hangs is given up on after the timeout', async () => {
    const sender = new ConnectorSender({
      timeoutMs: 200,
      tokens: { token: () => new Promise<string>(() => undefined) },
    });
    const outcome = await sender.send(address(connector.url), { text: 'hello' });
    expect(outcome).toEqual({ ok: false, error: expect.stringMatching(/token endpoint timed out/) });
    expect(connector.deliveries).toEqual([]);
  });
});
