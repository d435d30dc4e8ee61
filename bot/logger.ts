import { format } from 'node:util';
import pino, { type Logger } from 'pino';
import type { LogLevel } from './config';

export type { Logger };

/**
 * JSON logs on stdout. Message text never goes in at info level or above, and credentials are
 * redacted wherever they appear under these paths.
 */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
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

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

/** PEM blocks and JWTs, which botbuilder prints when a token fails (its keys, the token's error). */
const KEY_MATERIAL = /-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----|\beyJ[\w-]+\.[\w-]+\.[\w-]*/g;

/**
 * Sends what libraries print with console.* to the JSON log at debug level, so that stdout carries
 * JSON lines only. botbuilder's JwtTokenExtractor console.error()s a rejected token's error with its
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
