import { format } from 'node:util';
import pino, { type Logger } from 'pino';
import type { LogFormat, LogLevel } from './config';

export type { Logger };

/** Fields every line gets from where it is written: the trace and span ids of the request under way. A new object each call: pino writes into it. */
export type LogContext = () => Record<string, string>;

/**
 * Logs on stdout, as JSON lines unless `destination` formats them otherwise (see logDestination). Message text never goes in at info level or above, and credentials are
 * redacted wherever they appear under these paths. With telemetry on, `context` adds each line's trace id.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream, context?: LogContext): Logger {
  const options: pino.LoggerOptions = {
    level,
    ...(context && { mixin: context }),
    base: { service: 'ocp-gtm-migration-bot' },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        '*.password',
        '*.MicrosoftAppPassword',
        'config.bot.password',
        '*.clientSecret',
        'config.database.url',
        'config.partnerCenter.clientSecret',
      ],
      censor: '[redacted]',
    },
    serializers: { err: pino.stdSerializers.err },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Where the process's logs go: stdout, or what `write`s like it; a terminal says what it is. */
export interface LogOutput {
  readonly isTTY?: boolean;
  hasColors?(): boolean;
  write(text: string): unknown;
}

/**
 * The destination for LOG_FORMAT: undefined for JSON lines (pino's own, on stdout), or lines for
 * people when asked, or for `auto` when stdout is a terminal.
 */
export function logDestination(format: LogFormat, stdout: LogOutput): pino.DestinationStream | undefined {
  const pretty = format === 'pretty' || (format === 'auto' && stdout.isTTY === true);
  if (!pretty) return undefined;
  const color = stdout.isTTY === true && (stdout.hasColors?.() ?? false);
  return { write: (line: string) => void stdout.write(formatLogLine(line, { color })) };
}

const LEVEL_NAMES: Readonly<Record<number, string>> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** ANSI colours of a level's name: red for errors, yellow for warnings, dim below info. */
const LEVEL_COLORS: Readonly<Record<number, string>> = { 10: '2', 20: '2', 30: '32', 40: '33', 50: '31', 60: '31;1' };
/** Written on every line, or by the line's layout itself. */
const OMITTED_FIELDS = new Set(['level', 'time', 'msg', 'service', 'pid', 'hostname']);

/**
 * One JSON log line as a line for a terminal: local time, level, message, then the fields as
 * key=value, and an error's stack below it. What is not a JSON object passes unchanged.
 */
export function formatLogLine(line: string, options: { readonly color: boolean }): string {
  const entry = parseObject(line);
  if (!entry) return line.endsWith('\n') ? line : `${line}\n`;
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const time = typeof entry.time === 'number' ? clockTime(new Date(entry.time)) : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !OMITTED_FIELDS.has(key))
    .map(([key, value]) => `${paint('2', `${key}=`)}${fieldText(value)}`);
  const stack = errorStack(entry.err);
  return (
    [
      [
        paint('2', time),
        paint(LEVEL_COLORS[level] ?? '0', (LEVEL_NAMES[level] ?? String(level)).padEnd(5)),
        typeof entry.msg === 'string' ? entry.msg : '',
        ...fields,
      ]
        .filter((part) => part !== '')
        .join(' '),
      ...(stack ? stack.split('\n').map((frame) => `    ${frame.trim()}`) : []),
    ].join('\n') + '\n'
  );
}

function parseObject(line: string): Readonly<Record<string, unknown>> | undefined {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? Object.fromEntries(Object.entries(parsed))
      : undefined;
  } catch {
    return undefined;
  }
}

function clockTime(at: Date): string {
  const two = (value: number): string => String(value).padStart(2, '0');
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/** Plain when it reads unambiguously so; otherwise as JSON. An error shows its message here, its stack below. */
function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (isRecord(value) && typeof value.message === 'string' && typeof value.stack === 'string') {
    return JSON.stringify(`${typeof value.type === 'string' ? `${value.type}: ` : ''}${value.message}`);
  }
  return JSON.stringify(value) ?? String(value);
}

function errorStack(err: unknown): string | undefined {
  if (!isRecord(err) || typeof err.stack !== 'string') return undefined;
  // The first line of a stack repeats the message, which the fields already show.
  const frames = err.stack.split('\n').slice(1).join('\n');
  return frames === '' ? undefined : frames;
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** PEM blocks and JWTs, which botbuilder prints when a token fails (its keys, the token's error). */
const KEY_MATERIAL = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----|\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/**
 * Sends what libraries print with console.* to the log at debug level, so that stdout carries the
 * log only. botbuilder's JwtTokenExtractor console.error()s a rejected token's error with its
 * stack and the PEM of the key it tried, and CloudAdapter prints some failures; neither is for info
 * level, and key material and tokens are cut out at any level. Done once, by the process entry point.
 */
export function routeConsoleTo(log: Logger): void {
  const library = log.child({ source: 'console' });
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]): void => {
      if (!library.isLevelEnabled('debug')) return;
      library.debug(
        {
          method,
          text: format(...args)
            .replace(KEY_MATERIAL, '[redacted]')
            .slice(0, 2000),
        },
        'library output',
      );
    };
  }
}
