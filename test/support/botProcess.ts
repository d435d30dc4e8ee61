import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');

export interface BotProcess {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
}

/**
 * Starts the compiled bot as `npm start` does, with only the given settings in its environment, and
 * resolves once it logs that it listens.
 */
export function startBotProcess(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['dist/bot/main.js'], {
    cwd: ROOT,
    env: { PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    // A bot that never says it listens (a log level that hides it, say) must not outlive the test.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the bot did not say it listens within 20 s (it logs that at LOG_LEVEL info)'));
    }, 20_000);
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'bot listening' && entry.url) {
        clearTimeout(timer);
        resolve({ url: entry.url, child, exited });
      }
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the bot exited with ${code} before listening`));
    }, reject);
  });
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
