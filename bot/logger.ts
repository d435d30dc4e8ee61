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
