import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase, StoreInUseError } from '../../store/sqlite/database';

describe('the embedded store', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('held exclusively, it refuses a second opening, and opens again once closed', () => {
    const owner = openDatabase({ location: dir, exclusive: true });
    owner.prepare('INSERT INTO partner_accounts VALUES (?, ?, ?, 1, 1)').run('p1', 'Contoso', '[]');
    expect(() => openDatabase({ location: dir, exclusive: true, busyTimeoutMs: 50 })).toThrow(StoreInUseError);
    expect(() => openDatabase({ location: dir, busyTimeoutMs: 50 })).toThrow(StoreInUseError);
    owner.close();

    const next = openDatabase({ location: dir, exclusive: true, busyTimeoutMs: 50 });
    expect(next.prepare('SELECT name FROM partner_accounts').pluck().get()).toBe('Contoso');
    expect(next.pragma('journal_mode', { simple: true })).toBe('wal');
    next.close();
  });
});
