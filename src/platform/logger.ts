import pino, { type Logger } from 'pino';

/** JSON logs; tokens and signed URLs never reach them (headers and URLs are not logged). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'disputes-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['authorization', '*.authorization', 'url', '*.url', 'token', '*.token'],
      censor: '[redacted]',
    },
  });
}
