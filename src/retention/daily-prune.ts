import { describeError } from '../engine/engine.js';
import type { Logger } from '../log/logger.js';
import type { Store } from '../store/ports.js';

const DAY_MS = 24 * 3600 * 1000;
/** Message ids are remembered this long to drop platform redeliveries. */
const PROCESSED_RETENTION_MS = 30 * DAY_MS;
/** Link codes live a day and wrong tries count for a day: nothing older is needed. */
const LINK_RETENTION_MS = 2 * DAY_MS;
/** A reminder's lease lasts minutes; its claim record is needed only while it runs. */
const CLAIM_RETENTION_MS = 2 * DAY_MS;
/** A proof upload takes seconds; bytes no item names after a day were left by a stopped put. */
const ORPHAN_AGE_MS = DAY_MS;

export interface PruneReport {
  readonly messageIds: number;
  readonly linkCodes: number;
  readonly orphanFiles: number;
  readonly claimRecords: number;
}

/**
 * The daily clean-up of what only protects against redeliveries and races.
 * Each part runs even when another fails, and a failure is logged without
 * the data it concerns.
 */
export async function pruneDaily(store: Store, logger: Logger, now: number): Promise<PruneReport> {
  const part = async (what: string, run: () => Promise<number>): Promise<number> => {
    try {
      return await run();
    } catch (error) {
      logger.warn({ err: describeError(error) }, `pruning ${what} failed`);
      return 0;
    }
  };
  return {
    messageIds: await part('message ids', () => store.processed.prune(now - PROCESSED_RETENTION_MS)),
    linkCodes: await part('link codes', () => store.links.prune(now - LINK_RETENTION_MS)),
    orphanFiles: await part('orphan proof files', () => store.vault.pruneOrphans(now - ORPHAN_AGE_MS)),
    claimRecords: await part('reminder claim records', () => store.reminders.pruneClaims(now - CLAIM_RETENTION_MS)),
  };
}
