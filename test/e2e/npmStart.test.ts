import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import { temporaryDataDir } from '../support/testApp';

const ROOT = path.resolve(__dirname, '..', '..');
/** Generous: the bot closes its store and server in well under a second. */
const STOP_DEADLINE_MS = 15_000;

interface NpmStart {
  readonly npm: ChildProcess;
  readonly port: number;
  /** Every line npm and the bot wrote on stdout, which they share. */
  readonly lines: string[];
  /** When stdout closes: npm and every process holding its stdout, the bot included, have ended. */
  readonly closed: Promise<void>;
}

/**
 * `npm start` as a user runs it, without its prestart build (the tests' global setup built dist/),
 * in a process group of its own as a terminal's foreground job is.
 */
function npmStart(): Promise<NpmStart> {
  const npm = spawn('npm', ['start', '--ignore-scripts', '--silent'], {
    cwd: ROOT,
    detached: true,
    env: {
      // Where npm is, and its user configuration: the shell's, not bot settings.
      // eslint-disable-next-line no-restricted-properties -- see above
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // eslint-disable-next-line no-restricted-properties -- see above
      HOME: process.env.HOME ?? ROOT,
      npm_config_update_notifier: 'false',
      PORT: '0',
      DATA_DIR: temporaryDataDir(),
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      CERTIFICATION_SIMULATOR: 'off',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const closed = new Promise<void>((resolve) => npm.once('close', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not listen within 20 s:\n${lines.join('\n')}`)), 20_000);
    readline.createInterface({ input: npm.stdout }).on('line', (line) => {
      lines.push(line);
      const url = /"msg":"bot listening"/.test(line) ? /"url":"([^"]+)"/.exec(line)?.[1] : undefined;
      if (url) {
        clearTimeout(timer);
        resolve({ npm, port: Number(new URL(url).port), lines, closed });
      }
    });
    void closed.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start ended before listening:\n${lines.join('\n')}`));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function within(promise: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer));
}

describe('npm start', () => {
  let started: NpmStart | undefined;
  afterEach(() => {
    // A bot that outlived npm is still in npm's process group.
    if (started?.npm.pid) {
      try {
        process.kill(-started.npm.pid, 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
    started = undefined;
  });

  test.each<[string, 'npm' | 'group', NodeJS.Signals]>([
    ['SIGTERM to npm, as a service manager stops it', 'npm', 'SIGTERM'],
    ['SIGINT to npm', 'npm', 'SIGINT'],
    ['Ctrl-C in the terminal: SIGINT to npm and the bot alike', 'group', 'SIGINT'],
    ['the terminal closed: SIGHUP to npm and the bot alike', 'group', 'SIGHUP'],
  ])('%s stops the bot, which closes and frees its port', async (_label, target, signal) => {
    started = await npmStart();
    const { npm, port, lines, closed } = started;
    expect(await accepts(port)).toBe(true);

    process.kill(target === 'npm' ? npm.pid! : -npm.pid!, signal);

    expect(await within(closed, STOP_DEADLINE_MS)).toBe(true);
    expect(await accepts(port)).toBe(false);
    const said = lines.map((line) => /"msg":"([^"]+)"/.exec(line)?.[1]);
    expect(said).toContain('stopped');
    expect(lines.join('\n')).toContain(`"signal":"${signal}"`);
  });
});
