import { statSync } from 'node:fs';
import type { Logger } from './log/logger.js';

/**
 * DATA_DIR holds everything personal (the database, documents, the vault key
 * file): a folder other users of the machine can read is said at start-up,
 * with the command that fixes it. Guichet itself creates files owner-only.
 */
export function warnIfShared(dataDir: string, logger: Logger): boolean {
  if (process.platform === 'win32') return false;
  let mode: number;
  try {
    mode = statSync(dataDir).mode;
  } catch {
    return false; // Not created yet: it will be, owner-only.
  }
  if ((mode & 0o077) === 0) return false;
  logger.warn({ mode: (mode & 0o777).toString(8) }, `DATA_DIR can be read by other users of this computer; restrict it with: chmod 700 ${dataDir}`);
  return true;
}
