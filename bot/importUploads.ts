import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makePrivateDirectoryAsync } from '../store/privateFiles';

/** Who receives an upload: the process, on its host. */
export interface UploadOwner {
  readonly host: string;
  readonly pid: number;
}

/** An upload folder older than this is a leftover, whoever made it: an upload and its import take minutes. */
const LEFTOVER_AGE_MS = 24 * 60 * 60 * 1000;

/**
 * The uploads of imports, in DATA_DIR/uploads (0700): a folder per upload (0700), named after the
 * process that receives it, removed when its import ends. Instances on the shared store may share
 * DATA_DIR: one starting removes what a process of its host that is gone left behind (a crash),
 * and what is older than a day, but never what a live process is importing.
 */
export class ImportUploads {
  constructor(
    private readonly root: string,
    private readonly owner: UploadOwner = { host: os.hostname(), pid: process.pid },
    private readonly alive: (pid: number) => boolean = processAlive,
  ) {}

  /** A new, empty, private folder for one upload. */
  async folder(): Promise<string> {
    await makePrivateDirectoryAsync(this.root);
    return makePrivateDirectoryAsync(path.join(this.root, folderName(this.owner, randomUUID())));
  }

  async remove(folder: string): Promise<void> {
    await fs.promises.rm(folder, { recursive: true, force: true });
  }

  /**
   * Removes the uploads a stopped process left, before this one takes any: its own host's whose
   * process is gone (or has this process's id, which it has taken over since), and any older than
   * a day. Answers what it removed.
   */
  async removeLeftovers(now: Date): Promise<string[]> {
    let entries: string[];
    try {
      entries = await fs.promises.readdir(this.root);
    } catch (error: unknown) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') return [];
      throw error;
    }
    const removed: string[] = [];
    for (const entry of entries) {
      const target = path.join(this.root, entry);
      if (!(await this.isLeftover(entry, target, now))) continue;
      await this.remove(target);
      removed.push(entry);
    }
    return removed;
  }

  private async isLeftover(entry: string, target: string, now: Date): Promise<boolean> {
    const owner = ownerOf(entry);
    if (owner && owner.host === this.owner.host && (owner.pid === this.owner.pid || !this.alive(owner.pid))) return true;
    const stat = await fs.promises.lstat(target).catch(() => undefined);
    return stat !== undefined && now.getTime() - stat.mtimeMs > LEFTOVER_AGE_MS;
  }
}

function folderName(owner: UploadOwner, id: string): string {
  return `${encodeURIComponent(owner.host)}+${owner.pid}+${id}`;
}

function ownerOf(entry: string): UploadOwner | undefined {
  const [host, pid, id] = entry.split('+');
  if (host === undefined || pid === undefined || id === undefined || !/^\d+$/.test(pid)) return undefined;
  try {
    return { host: decodeURIComponent(host), pid: Number(pid) };
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that a process exists; one of another user's (EPERM) exists too. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error: unknown) {
    return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPERM';
  }
}
