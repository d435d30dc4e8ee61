import fs from 'node:fs';
import path from 'node:path';

/**
 * The bot's folder and files hold partner data, members, dialog state, conversation references and
 * tokens: they are its own user's alone, 0700 and 0600, whatever the umask (which can only take bits
 * away on create, and leaves a folder made by an earlier version as it was).
 */
export const PRIVATE_DIRECTORY_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** A folder or file of the bot's that this process cannot make private: it belongs to another user. */
export class NotPrivateError extends Error {
  constructor(
    readonly target: string,
    reason: string,
  ) {
    super(`${target} cannot be made readable by this user only: ${reason}`);
    this.name = 'NotPrivateError';
  }
}

/** Makes `dir` (and any missing parents) and leaves `dir` itself 0700. Returns its absolute path. */
export function makePrivateDirectory(dir: string): string {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  chmodOwn(absolute, PRIVATE_DIRECTORY_MODE);
  return absolute;
}

export async function makePrivateDirectoryAsync(dir: string): Promise<string> {
  const absolute = path.resolve(dir);
  await fs.promises.mkdir(absolute, { recursive: true, mode: PRIVATE_DIRECTORY_MODE });
  await fs.promises.chmod(absolute, PRIVATE_DIRECTORY_MODE);
  return absolute;
}

/**
 * Makes `file` 0600, creating it empty when it is missing, and the same for those of `siblings`
 * (suffixes such as `-wal`) that exist: SQLite gives the journal files it creates the database
 * file's mode, but reuses ones an earlier run left as they were.
 */
export function makePrivateFile(file: string, siblings: readonly string[] = []): void {
  const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT, PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
  } finally {
    fs.closeSync(fd);
  }
  for (const suffix of siblings) {
    try {
      fs.chmodSync(`${file}${suffix}`, PRIVATE_FILE_MODE);
    } catch (error: unknown) {
      if (!isMissing(error)) throw error;
    }
  }
}

/** A new file, 0600, that must not exist yet (no link or file placed there is followed or reused), open for writing. */
export async function createPrivateFile(file: string): Promise<fs.promises.FileHandle> {
  const handle = await fs.promises.open(file, 'wx', PRIVATE_FILE_MODE);
  try {
    await handle.chmod(PRIVATE_FILE_MODE);
    return handle;
  } catch (error: unknown) {
    await handle.close();
    throw error;
  }
}

/** Writes `file` whole through a temporary file of its own, 0600, renamed into place. */
export function writePrivateFile(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.rmSync(temporary, { force: true });
  const fd = fs.openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    fs.fchmodSync(fd, PRIVATE_FILE_MODE);
    fs.writeFileSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

function chmodOwn(target: string, mode: number): void {
  try {
    fs.chmodSync(target, mode);
  } catch (error: unknown) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'EPERM') throw new NotPrivateError(target, 'it belongs to another user');
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT';
}
