import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const DIST = path.resolve(__dirname, '..');
const ROOT = path.resolve(DIST, '..');

/**
 * The arguments `npm start` gives node, read from package.json, with the script's path made absolute.
 * The script may `exec` node, so that npm's shell hands its process over to the bot.
 */
function startCommand(): string[] {
  const packageJson = z
    .object({ scripts: z.object({ start: z.string() }) })
    .parse(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')));
  const words = packageJson.scripts.start.trim().split(/\s+/);
  const [program, ...args] = words[0] === 'exec' ? words.slice(1) : words;
  if (program !== 'node' || args.length === 0)
    throw new Error(`npm start is not "[exec] node … script": ${packageJson.scripts.start}`);
  return args.map((arg) => (arg.startsWith('-') ? arg : path.resolve(ROOT, arg)));
}

/** Node's flags in `npm start`: both bots run with them, so that they compare code, not settings. */
export function nodeFlags(): string[] {
  return startCommand().filter((arg) => arg.startsWith('-'));
}

/** A bot in its own process, on loopback, with its output in a file. */
export class BotProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly logFile: string,
  ) {}

  /**
   * The migration bot as `npm start` runs it, Node's flags included, in development mode on its
   * SQLite store in `dataDir`. Only these settings reach it: nothing of the shell's environment or a .env.
   */
  static migrationBot(dataDir: string, settings: Readonly<Record<string, string>>): Promise<BotProcess> {
    return BotProcess.start(
      startCommand(),
      dataDir,
      { PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info', CERTIFICATION_SIMULATOR: 'off', ...settings },
      (line) => /"msg":"bot listening"/.test(line) && /"url":"([^"]+)"/.exec(line)?.[1],
    );
  }

  /** The bare echo bot of bench/echoBot.ts, with the Node flags `npm start` gives the bot. */
  static echoBot(workDir: string): Promise<BotProcess> {
    return BotProcess.start([...nodeFlags(), path.join(DIST, 'bench', 'echoBot.js'), '0'], workDir, {}, (line) => {
      const port = /^listening (\d+)$/.exec(line)?.[1];
      return port !== undefined && `http://127.0.0.1:${port}`;
    });
  }

  private static async start(
    args: readonly string[],
    workDir: string,
    env: Readonly<Record<string, string>>,
    urlIn: (line: string) => string | false | undefined,
  ): Promise<BotProcess> {
    const script = args.find((arg) => !arg.startsWith('-')) ?? 'bot';
    fs.mkdirSync(workDir, { recursive: true });
    const logFile = path.join(workDir, `${path.basename(script, '.js')}-${Date.now()}.log`);
    const out = fs.openSync(logFile, 'w');
    // The working directory is the bench's own, where no .env is found.
    const child = spawn(process.execPath, args, { cwd: workDir, env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${script} exited: ${fs.readFileSync(logFile, 'utf8').slice(-2000)}`);
      const url = fs
        .readFileSync(logFile, 'utf8')
        .split('\n')
        .map(urlIn)
        .find((found): found is string => typeof found === 'string');
      if (url) return new BotProcess(child, url, logFile);
      if (Date.now() > deadline) throw new Error(`${script} did not start in 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Resident set size of the process, in MiB. */
  rssMb(): number {
    try {
      const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1]);
      if (Number.isFinite(kb)) return kb / 1024;
    } catch {
      // Not Linux: ask ps.
    }
    return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(this.pid)], { encoding: 'utf8' }).trim()) / 1024;
  }

  /** The largest resident set size the process has had so far, in MiB (Linux; NaN elsewhere). */
  peakRssMb(): number {
    try {
      const kb = Number(/^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'))?.[1]);
      return kb / 1024;
    } catch {
      return Number.NaN;
    }
  }

  /** CPU time the process has used so far, in seconds (Linux; NaN elsewhere). */
  cpuSeconds(): number {
    try {
      const fields = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      const ticks = Number(fields[11]) + Number(fields[12]);
      return ticks / 100;
    } catch {
      return Number.NaN;
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
