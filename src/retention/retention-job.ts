import type { Text } from '../../machines/lib/intents.js';
import type { Renderer } from '../engine/render.js';
import type { Logger } from '../log/logger.js';
import type { Outbox } from '../messages.js';
import { inQuietHours } from '../reminders/local-time.js';
import { notifyPerson } from '../engine/send-unprompted.js';
import { queueHelpdeskErasure } from '../engine/handoff-effects.js';
import type { InactiveCase, Store } from '../store/ports.js';

export interface RetentionOptions {
  readonly store: Store;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly logger: Logger;
  /** A case nobody has used for this many months is erased. */
  readonly months: number;
  readonly timeZone: string;
  readonly quietHours: { readonly from: number; readonly to: number };
  /** The calendar day of an instant in `timeZone`. */
  readonly localDay: (epoch: number) => string;
  readonly batchSize?: number;
}

export interface RetentionReport {
  notified: number;
  purged: number;
  /** Cases someone had used after all (a member wrote): kept and marked active. */
  kept: number;
  quiet: boolean;
}

export const NOTICE_DAYS = 30;
const DAY_MS = 24 * 3600_000;

/** `now` minus whole calendar months (UTC is close enough for a limit counted in months). */
export function monthsBefore(now: number, months: number): number {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/**
 * Erases cases nobody has used for `months`, with a notice 30 days before to
 * the owner and every helper. "Used" means any member wrote to Guichet: the
 * case's own activity time is refreshed here from the members' last message,
 * so ordinary turns never pay for it. A person left with no case who has not
 * written for the whole period is erased too.
 */
export async function runRetention(options: RetentionOptions, now: number): Promise<RetentionReport> {
  const report: RetentionReport = { notified: 0, purged: 0, kept: 0, quiet: false };
  if (inQuietHours(now, options.quietHours, options.timeZone)) {
    report.quiet = true;
    return report;
  }
  const { store } = options;
  const purgeBefore = monthsBefore(now, options.months);
  const noticeBefore = purgeBefore + NOTICE_DAYS * DAY_MS;
  const seen = new Set<string>();
  for (;;) {
    const batch = (await store.cases.listInactive(noticeBefore, options.batchSize ?? 200)).filter((c) => !seen.has(c.id));
    if (batch.length === 0) return report;
    for (const inactive of batch) {
      seen.add(inactive.id);
      await reviewCase(options, inactive, now, noticeBefore, purgeBefore, report);
    }
  }
}

async function reviewCase(options: RetentionOptions, inactive: InactiveCase, now: number, noticeBefore: number, purgeBefore: number, report: RetentionReport): Promise<void> {
  const { store } = options;
  const members = [inactive.ownerId, ...(await store.cases.helpers(inactive.id)).map((h) => h.personId)];
  let lastUsed = inactive.lastActiveAt;
  for (const personId of members) lastUsed = Math.max(lastUsed, (await store.people.lastSeenAt(personId)) ?? 0);
  if (lastUsed >= noticeBefore) {
    await store.cases.touch(inactive.id, lastUsed);
    report.kept++;
    return;
  }
  if (inactive.purgeNoticeAt === null) {
    const erasedOn = options.localDay(now + NOTICE_DAYS * DAY_MS);
    let told = false;
    for (const personId of members) told = (await notify(options, personId, inactive.id, erasedOn)) || told;
    // Marked even if nobody could be reached: the case must not stay forever because its people left.
    await store.cases.markPurgeNotice(inactive.id, now);
    if (told) report.notified++;
    return;
  }
  if (inactive.purgeNoticeAt <= now - NOTICE_DAYS * DAY_MS && lastUsed < purgeBefore) {
    // The volunteers' copies of its conversations go too, through the erasure queue the service drains.
    for (const handoff of await store.handoffs.listForCase(inactive.id)) await queueHelpdeskErasure(store, handoff, now);
    await store.cases.deleteCase(inactive.id);
    report.purged++;
    const ownerSeen = (await store.people.lastSeenAt(inactive.ownerId)) ?? 0;
    if (ownerSeen < purgeBefore && (await store.cases.listForPerson(inactive.ownerId)).length === 0) await store.people.delete(inactive.ownerId);
  }
}

/** Tell one member, in their language, where they write from; false when they cannot be reached. */
async function notify(options: RetentionOptions, personId: string, caseId: string, erasedOn: string): Promise<boolean> {
  const summary = (await options.store.cases.listForPerson(personId)).find((c) => c.id === caseId);
  const text: Text =
    summary && !summary.own && summary.label
      ? { key: 'retention.notice_for', params: { label: summary.label, date: { date: erasedOn } } }
      : { key: 'retention.notice_own', params: { date: { date: erasedOn } } };
  try {
    return await notifyPerson(options, personId, text);
  } catch (error) {
    options.logger.warn({ err: error instanceof Error ? error.name : typeof error }, 'retention notice could not be sent');
    return false;
  }
}
