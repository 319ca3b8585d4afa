import pino from 'pino';
import { Writable } from 'node:stream';

/** A real pino logger whose lines are kept in memory, so tests can read what was logged. */
export function memoryLogger(level = 'debug') {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level }, sink), lines };
}
