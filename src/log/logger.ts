import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { Config } from '../config/config.js';

export type { Logger };

/**
 * Fields that may hold personal data. Code should not log them at all; this
 * list is the safety net for when it does by mistake (including inside `err`
 * objects and one level of nesting).
 */
export const REDACTED_FIELDS = [
  'text', 'name', 'agent', 'notes', 'phone', 'number', 'address', 'chatId', 'jid', 'date', 'time', 'caption', 'fileName',
  'firstName', 'lastName', 'username',
];
const REDACT_PATHS = REDACTED_FIELDS.flatMap((f) => [f, `*.${f}`]);

/**
 * Logs go to stderr so that the terminal chat on stdout stays readable and
 * scripts can capture the conversation alone.
 */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>, destination: NodeJS.WritableStream = process.stderr): Logger {
  const usePretty = config.logFormat === 'pretty' || (config.logFormat === 'auto' && (destination as NodeJS.WriteStream).isTTY === true);
  const options = {
    level: config.logLevel,
    base: { app: 'guichet' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  if (usePretty) return pino(options, pretty({ destination, sync: true, colorize: true, ignore: 'pid,hostname,app' }));
  return pino(options, destination);
}
