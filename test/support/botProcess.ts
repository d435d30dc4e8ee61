import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');

/** One JSON log line: `msg`, `level` and the fields pino wrote. */
export type LogEntry = Readonly<Record<string, unknown>>;

function isLogEntry(value: unknown): value is LogEntry {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface BotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Every JSON line it wrote to stdout so far, parsed. */
  readonly log: LogEntry[];
  /** Lines on stdout that were not JSON (there should be none), and everything on stderr. */
  readonly otherLines: string[];
  readonly stderr: string[];
}

function parseLine(line: string): LogEntry | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return isLogEntry(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Where the bot runs from: the repository's dist/bot/main.js unless told. */
export interface BotProcessOptions {
  /** Its working directory, such as an unzipped bundle. */
  readonly cwd?: string;
  /** Node's arguments after `nodeFlags`: the script and its own flags, as a start command gives them. */
  readonly args?: readonly string[];
}

/**
 * Starts the compiled bot as `npm start` does, with only the given settings in its environment (and
 * the given Node flags, such as a heap smaller than `npm start` gives it), and resolves once it logs
 * that it listens.
 */
export function startBotProcess(
  env: Record<string, string>,
  nodeFlags: readonly string[] = [],
  options: BotProcessOptions = {},
): Promise<BotProcess> {
  const child = spawn(process.execPath, [...nodeFlags, ...(options.args ?? ['dist/bot/main.js'])], {
    cwd: options.cwd ?? ROOT,
    env: { PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // 'close', not 'exit': by then stdout and stderr are read to their end, every log line included.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const log: LogEntry[] = [];
  const otherLines: string[] = [];
  const stderr: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    // A bot that never says it listens (a log level that hides it, say) must not outlive the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bot did not say it listens within 20 s (it logs that at LOG_LEVEL info)'));
    }, 20_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = parseLine(line);
      if (!entry) {
        otherLines.push(line);
        return;
      }
      log.push(entry);
      if (entry.msg === 'bot listening' && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve({ url: entry.url, child, exited, log, otherLines, stderr });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${code} before listening: ${stderr.join('\n')}`));
    }, reject);
  });
}

/** Stops the bot as a service manager would, and waits for it to be gone. */
export async function stopBot(bot: BotProcess): Promise<number | null> {
  bot.child.kill('SIGTERM');
  return bot.exited;
}

/** Runs the compiled bot expecting it to refuse to start; returns its exit code and what it wrote. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['dist/bot/main.js'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

export async function killHard(bot: BotProcess): Promise<void> {
  bot.child.kill('SIGKILL');
  await bot.exited;
}
