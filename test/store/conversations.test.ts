import type { ConversationInfo } from '../../domain/model';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

const T0 = new Date('2026-11-21T09:00:00Z');

const conversation = (key: string, teamId?: string): ConversationInfo => ({
  key,
  kind: teamId ? 'channel' : 'personal',
  address: JSON.stringify({ conversation: { id: key } }),
  locale: 'ko-KR',
  tenantId: 'tenant-1',
  ...(teamId && { teamId }),
});

describeEachStore('conversation references and language preferences', (kind) => {
  let stores: TestStores;
  beforeEach(async () => {
    stores = await openTestStores(kind);
  });
  afterEach(() => stores.close());

  test('a conversation is new once; read back as added; removed alone or with its team', async () => {
    expect(await stores.references.add(conversation('msteams:19:a', 'team-1'), T0)).toBe(true);
    expect(await stores.references.add(conversation('msteams:19:a', 'team-1'), T0)).toBe(false);
    await stores.references.add(conversation('msteams:19:b', 'team-1'), T0);
    await stores.references.add(conversation('msteams:a:personal'), T0);
    expect(await stores.references.get('msteams:19:a')).toEqual(conversation('msteams:19:a', 'team-1'));
    expect(await stores.references.get('msteams:a:personal')).toEqual(conversation('msteams:a:personal'));
    expect(await stores.references.removeTeam('team-1')).toBe(2);
    expect(await stores.references.remove('msteams:a:personal')).toBe(true);
    expect(await stores.references.remove('msteams:a:personal')).toBe(false);
    expect(await stores.references.get('msteams:19:a')).toBeUndefined();
  });

  test('a language chosen is kept per user, and replaced by the next choice', async () => {
    expect(await stores.preferences.language('msteams/u1')).toBeUndefined();
    await stores.preferences.setLanguage('msteams/u1', 'ko-KR', T0);
    await stores.preferences.setLanguage('msteams/u2', 'en-US', T0);
    await stores.preferences.setLanguage('msteams/u1', 'en-US', new Date(T0.getTime() + 1000));
    expect([await stores.preferences.language('msteams/u1'), await stores.preferences.language('msteams/u2')]).toEqual([
      'en-US',
      'en-US',
    ]);
  });

  test('a language chosen for a conversation is kept apart from its members’ own', async () => {
    const { conversationPreferences: conversations, preferences: users } = stores;
    expect(await conversations.language('msteams:19:a')).toBeUndefined();
    await conversations.setLanguage('msteams:19:a', 'ko-KR', T0);
    await users.setLanguage('msteams:u1', 'en-US', T0);
    await conversations.setLanguage('msteams:19:b', 'en-US', T0);
    await conversations.setLanguage('msteams:19:b', 'ko-KR', new Date(T0.getTime() + 1000));
    expect([
      await conversations.language('msteams:19:a'),
      await conversations.language('msteams:19:b'),
      await conversations.language('msteams:u1'),
      await users.language('msteams:u1'),
      await users.language('msteams:19:a'),
    ]).toEqual(['ko-KR', 'ko-KR', undefined, 'en-US', undefined]);
  });
});
