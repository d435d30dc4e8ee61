import { guardLinks } from '../../cards/linkGuard';
import { LINKS, linkProblem } from '../../cards/links';

describe('the link rule', () => {
  test('every link the bot draws itself passes it', () => {
    for (const url of Object.values(LINKS)) expect(linkProblem(url)).toBeUndefined();
  });

  test.each([
    'https://partner.microsoft.com/dashboard/marketplace-offers/overview',
    'https://learn.microsoft.com/partner-center/marketplace/co-sell-migration',
    'https://go.microsoft.com/fwlink/?linkid=2165807',
    'https://appsource.microsoft.com/en-us/product/web-apps/contoso.crm-connect',
    'https://azuremarketplace.microsoft.com/en-us/marketplace/apps/contoso.managed-soc',
    'https://marketplace.microsoft.com/product/contoso.x',
    'https://PARTNER.microsoft.com/report#section',
  ])('%s may be a link', (url) => {
    expect(linkProblem(url)).toBeUndefined();
  });

  test.each<[string, string, RegExp]>([
    ['user info in front of the real host', 'https://partner.microsoft.com@evil.example/x', /user name or password/],
    ['a password', 'https://user:secret@partner.microsoft.com/x', /user name or password/],
    ['plain http', 'http://partner.microsoft.com/report', /https/],
    ['javascript', 'javascript:alert(1)', /https/],
    ['another host', 'https://evil.example/report', /must be on partner\.microsoft\.com/],
    ['an allowed host as a prefix', 'https://partner.microsoft.com.evil.example/x', /must be on/],
    ['an allowed host as a suffix', 'https://evilpartner.microsoft.com/x', /must be on/],
    ['a subdomain not listed', 'https://docs.partner.microsoft.com/x', /must be on/],
    ['a port', 'https://partner.microsoft.com:8443/x', /port/],
    ['a backslash that browsers read as a slash', 'https://evil.example\\@partner.microsoft.com/', /must be on/],
    ['a tab inside', 'https://partner.microsoft.com/\tx', /spaces or control/],
    ['a space in front', ' https://partner.microsoft.com/x', /spaces or control/],
    ['no URL at all', 'report', /must be a URL/],
    ['an IP address', 'https://20.190.1.1/x', /must be on/],
    ['far too long', `https://partner.microsoft.com/${'a'.repeat(2100)}`, /2048/],
    ['a right-to-left override in the path', 'https://partner.microsoft.com/report\u202Efdp.exe', /bidirectional control/],
    ['an encoded right-to-left override', 'https://partner.microsoft.com/report%E2%80%AEfdp.exe', /bidirectional control/],
    ['a left-to-right isolate in the query', 'https://learn.microsoft.com/x?q=\u2066a', /bidirectional control/],
    [
      'a punycode label that decodes to nothing',
      'https://xn--partner.microsoft.com/x',
      /xn--partner\.microsoft\.com is not a valid international/,
    ],
    ['a punycode host of look-alike letters', 'https://xn--prtner-3nf.microsoft.com/x', /must be on/],
  ])('%s is refused: %s', (_label, url, problem) => {
    expect(linkProblem(url)).toMatch(problem);
  });

  test('extra hosts are allowed as named, and no others', () => {
    expect(linkProblem('https://status.contoso.com/r', ['status.contoso.com'])).toBeUndefined();
    expect(linkProblem('https://evil.contoso.com/r', ['status.contoso.com'])).toMatch(/must be on/);
  });
});

describe('guardLinks', () => {
  const good = { type: 'Action.OpenUrl', title: 'Partner Center', url: 'https://partner.microsoft.com/x' };
  const bad = { type: 'Action.OpenUrl', title: 'Report', url: 'https://partner.microsoft.com@evil.example/x' };
  const submit = { type: 'Action.Submit', title: 'Go', data: { verb: 'help', url: 'https://evil.example/' } };

  test('a card whose links pass is returned as it is, not copied', () => {
    const card = Object.freeze({ type: 'AdaptiveCard', actions: Object.freeze([good, submit]) });
    const attachments = [{ contentType: 'x', content: card }];
    const guarded = guardLinks(attachments, []);
    expect(guarded.refused).toEqual([]);
    expect(guarded.value).toBe(attachments);
  });

  test('bad links are left off wherever they are, and named with why', () => {
    const card = {
      type: 'AdaptiveCard',
      body: [{ type: 'Container', selectAction: bad, items: [{ type: 'ActionSet', actions: [bad, good] }] }],
      actions: [good, bad, submit, { type: 'Action.ShowCard', title: 'More', card: { type: 'AdaptiveCard', actions: [bad] } }],
    };
    const frozen = JSON.parse(JSON.stringify(card)) as unknown;
    const guarded = guardLinks({ type: 'invokeResponse', value: { body: { value: card } } }, []);
    expect(guarded.refused).toHaveLength(4);
    expect(guarded.refused[0]).toEqual({ url: bad.url, problem: expect.stringMatching(/user name/) });
    expect(JSON.stringify(guarded.value)).not.toContain('evil.example/x');
    expect(JSON.stringify(guarded.value)).toContain(good.url);
    expect(JSON.stringify(guarded.value)).toContain('"verb":"help"');
    // What is kept stays in its order.
    expect(JSON.stringify(guarded.value)).toMatch(/"actions":\[\{[^\]]*"title":"Partner Center".*"title":"Go".*"title":"More"/);
    // The card given is not changed: templates keep their expansions frozen and shared.
    expect(card).toEqual(frozen);
  });
});
