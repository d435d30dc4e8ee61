import { addressOf } from '../../delivery/conversationAddress';
import { languageAt } from '../../delivery/placeLanguage';

const address = (id: string, conversation: { conversationType?: string; isGroup?: boolean }) =>
  addressOf({ serviceUrl: 'https://smba.trafficmanager.net/amer/', channelId: 'msteams', conversation: { id, ...conversation } });

describe('the language a notification is posted in', () => {
  const chosen = new Map([
    ['msteams:19:channel@thread.tacv2', 'ko-KR'],
    ['msteams:19:group@thread.v2', 'en-US'],
    ['msteams:a:personal', 'ko-KR'],
  ]);
  const languages = { language: async (key: string) => chosen.get(key) };

  test.each([
    [
      'a channel that chose Korean, for an English subscriber',
      address('19:channel@thread.tacv2', { conversationType: 'channel' }),
      'en-US',
      'ko-KR',
    ],
    [
      'a group chat that chose English, for a Korean user',
      address('19:group@thread.v2', { conversationType: 'groupChat' }),
      'ko-KR',
      'en-US',
    ],
    ['a channel that chose nothing', address('19:other@thread.tacv2', { isGroup: true }), 'ko-KR', 'ko-KR'],
    [
      'a personal chat: the person’s own, whatever is kept under its key',
      address('a:personal', { conversationType: 'personal' }),
      'en-US',
      'en-US',
    ],
    ['an address not understood', 'not json', 'ko', 'ko-KR'],
  ])('in %s', async (_where, at, fallback, locale) => {
    expect(await languageAt(languages, at, fallback)).toBe(locale);
  });
});
