import { recordedPath, recordedUrl } from '../../bot/telemetryUrls';

describe('URLs as telemetry records them', () => {
  test.each([
    [
      'a webhook whose query carries its signature',
      'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?api-version=2016-10-01&sp=%2Ftriggers&sig=Zm9vYmFy',
      'https://prod-12.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke',
    ],
    [
      'a managed identity endpoint, its query and a fragment',
      'http://127.0.0.1:41823/msi/token?api-version=2019-08-01&resource=https://api.botframework.com&client_id=abc#x',
      'http://127.0.0.1:41823/msi/token',
    ],
    ['a user and password', 'https://user:hunter2@example.com/path', 'https://example.com/path'],
    [
      'a reply in a Teams thread',
      'https://smba.trafficmanager.net/emea/v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities/1731',
      'https://smba.trafficmanager.net/emea/v3/conversations/:id/activities/:id',
    ],
    [
      'a member lookup',
      'https://smba.trafficmanager.net/emea/v3/conversations/a%3A1xyz/members/29%3A1abc',
      'https://smba.trafficmanager.net/emea/v3/conversations/:id/members/:id',
    ],
    [
      'a new message to a conversation',
      'http://127.0.0.1:5000/v3/conversations/conv-1/activities',
      'http://127.0.0.1:5000/v3/conversations/:id/activities',
    ],
    ['what is not a URL, cut at its query', '/oauth2/v2.0/token?client_secret=x', '/oauth2/v2.0/token'],
  ])('%s', (_label, url, recorded) => {
    expect(recordedUrl(url)).toBe(recorded);
  });

  test('a path alone, as a client span carries it', () => {
    expect(recordedPath('/v3/conversations/a%3A1xyz/activities/17?x=1')).toBe('/v3/conversations/:id/activities/:id');
  });
});
