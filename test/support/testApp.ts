import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../bot/app';
import { parseConfig, type AppConfig } from '../../bot/config';
import { createLogger } from '../../bot/logger';
import type { RetryPolicy } from '../../delivery/outboxDispatcher';

export interface TestApp {
  readonly app: RunningApp;
  readonly config: AppConfig;
  readonly dataDir: string;
}

export function temporaryDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'migration-bot-test-'));
}

/** The real bot, in this process, on a free loopback port, with its own store unless `dataDir` is shared. */
export async function startTestApp(
  options: { dataDir?: string; env?: Record<string, string>; logLines?: string[]; retry?: RetryPolicy } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? temporaryDataDir();
  const lines = options.logLines;
  const config = parseConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: lines ? 'info' : 'silent', ...options.env });
  const log = lines ? createLogger(config.logLevel, { write: (line: string) => void lines.push(line) }) : createLogger('silent');
  const app = await startApp(config, log, { ...(options.retry && { retry: options.retry }) });
  return { app, config, dataDir };
}
