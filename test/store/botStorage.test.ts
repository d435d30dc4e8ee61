import type { Storage } from 'botbuilder';
import { StateConflictError } from '../../store/concurrencyCheckedState';
import { describeEachStore, openTestStores, type TestStores } from '../support/stores';

describeEachStore('bot state storage (botbuilder Storage with eTags)', (kind) => {
  let stores: TestStores;
  let storage: Storage;
  beforeEach(async () => {
    stores = await openTestStores(kind);
    storage = stores.botStorage;
  });
  afterEach(() => stores.close());

  test('reads back what it wrote, with a fresh eTag per write', async () => {
    await storage.write({ a: { dialogStack: [1] } });
    const first = await storage.read(['a', 'missing']);
    expect(first).toEqual({ a: { dialogStack: [1], eTag: '1' } });
    await storage.write({ a: { dialogStack: [2], eTag: '1' } });
    expect((await storage.read(['a'])).a).toEqual({ dialogStack: [2], eTag: '2' });
  });

  test.each([
    ['no eTag', undefined],
    ["eTag '*'", '*'],
  ])('%s overwrites whatever is stored', async (_label, eTag) => {
    await storage.write({ a: { n: 1 } });
    await storage.write({ a: { n: 1 } });
    await storage.write({ a: { n: 2, ...(eTag && { eTag }) } });
    expect((await storage.read(['a'])).a).toEqual({ n: 2, eTag: '3' });
  });

  test('a write with a stale eTag is refused and changes nothing, in any item of the batch', async () => {
    await storage.write({ a: { n: 1 }, b: { n: 1 } });
    await storage.write({ a: { n: 2, eTag: '1' } });
    await expect(storage.write({ b: { n: 9, eTag: '1' }, a: { n: 3, eTag: '1' } })).rejects.toBeInstanceOf(StateConflictError);
    expect(await storage.read(['a', 'b'])).toEqual({ a: { n: 2, eTag: '2' }, b: { n: 1, eTag: '1' } });
  });

  test('of two writes racing with the same eTag, one wins and the other is refused', async () => {
    await storage.write({ a: { n: 1 } });
    const results = await Promise.allSettled([
      storage.write({ a: { n: 2, eTag: '1' } }),
      storage.write({ a: { n: 3, eTag: '1' } }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toBeInstanceOf(StateConflictError);
    expect((await storage.read(['a'])).a).toMatchObject({ eTag: '2' });
  });

  test('an eTag that no write gave is refused as a conflict', async () => {
    await storage.write({ a: { n: 1 } });
    await expect(storage.write({ a: { n: 2, eTag: 'not-a-version' } })).rejects.toBeInstanceOf(StateConflictError);
  });

  test('delete removes items', async () => {
    await storage.write({ a: { n: 1 }, b: { n: 2 } });
    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });
});
