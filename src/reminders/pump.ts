import type { Language } from '../../machines/lib/intents.js';
import type { Renderer } from '../engine/render.js';
import type { Logger } from '../log/logger.js';
import type { ChannelName, OutboundMessage, Outbox } from '../messages.js';
import type { Nudge, Store } from '../store/ports.js';
import { inQuietHours, zonedMinutes } from './local-time.js';
import { textOnSendDay } from '../../machines/lib/reminder-plan.js';
import { sendPaced } from '../engine/send-unprompted.js';
import { packMessages } from '../engine/pack-messages.js';
import { FOR_CASE_PARAM, ReminderService } from './reminder-service.js';

export interface PumpOptions {
  readonly store: Store;
  readonly reminders: ReminderService;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly timeZone: string;
  /** Minutes since midnight; `from` may be after `to` (21:00–09:00). */
  readonly quietHours: { readonly from: number; readonly to: number };
  /** Who is claiming: a process id, for the lease. */
  readonly claimer: string;
  /** The channels this process can send on; reminders to others are left to the process that has them. */
  readonly channels?: readonly ChannelName[];
  readonly leaseMs?: number;
  readonly batchSize?: number;
  readonly maxAttempts?: number;
  readonly retryBaseMs?: number;
}

/** The pump as Guichet runs it: its service built from the store, Guichet's time zone and quiet hours. */
export function pumpFor(parts: {
  readonly store: Store;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly logger: Logger;
  readonly config: { readonly timeZone: string; readonly quietHours: PumpOptions['quietHours'] };
  readonly claimer: string;
  readonly channels?: readonly ChannelName[];
}): PumpOptions {
  const { store, renderer, outbox, logger, config, claimer, channels } = parts;
  return {
    store,
    reminders: new ReminderService(store, config.timeZone),
    renderer,
    outbox,
    logger,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    claimer,
    ...(channels ? { channels } : {}),
  };
}

export interface PumpReport {
  sent: number;
  dropped: number;
  retried: number;
  failed: number;
  quiet: boolean;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** When a channel's daily cap is reached, try again a few hours later. */
const CAPPED_RETRY_MS = 6 * 3600_000;

/**
 * Sends the reminders that are due at `now`, once each. The store is the
 * truth: a reminder is claimed atomically with a lease, checked against the
 * current data (date changed or removed, reminders paused, person gone,
 * recipient unreachable: dropped), rendered in the person's language, sent,
 * and marked. A failed send is retried later with back-off, then marked
 * failed. During quiet hours nothing is claimed: due reminders wait for the
 * morning. node-cron only calls this every minute.
 */
export async function runPump(options: PumpOptions, now: number): Promise<PumpReport> {
  const report: PumpReport = { sent: 0, dropped: 0, retried: 0, failed: 0, quiet: false };
  if (inQuietHours(now, options.quietHours, options.timeZone)) {
    report.quiet = true;
    return report;
  }
  const leaseMs = options.leaseMs ?? 5 * 60_000;
  // The same for every reminder of this run: read the clock of the time zone once.
  const sendTime: SendTime = { day: options.reminders.localDay(now), minutes: zonedMinutes(now, options.timeZone) };
  const batch = options.batchSize ?? 500;
  for (;;) {
    const claimed = await options.store.reminders.claimDue(now, now + leaseMs, batch, options.claimer, options.channels);
    const sent: SentNotRecorded = { id: undefined };
    try {
      for (const nudge of claimed) await deliver(options, nudge, now, sendTime, report, sent);
    } finally {
      // The last one sent is recorded on its own.
      if (sent.id !== undefined) await options.store.reminders.finish(sent.id, 'sent');
    }
    if (claimed.length < batch) return report;
  }
}

/**
 * The reminder just handed to the channel, marked "sent" together with the
 * next one's "sending" (one write each instead of two). Until then it stays
 * "sending", which is never retried: a crash in between cannot repeat it.
 */
interface SentNotRecorded {
  id: string | undefined;
}

function takeSent(sent: SentNotRecorded): { id: string; status: 'sent' } | undefined {
  const id = sent.id;
  sent.id = undefined;
  return id === undefined ? undefined : { id, status: 'sent' };
}

/** The local day and time (minutes since midnight) of a pump run. */
interface SendTime {
  readonly day: string;
  readonly minutes: number;
}

async function deliver(options: PumpOptions, nudge: Nudge, now: number, sendTime: SendTime, report: PumpReport, sent: SentNotRecorded): Promise<void> {
  const { store, logger } = options;
  const person = await store.people.get(nudge.personId);
  const stale =
    !person ||
    // Removed from the case since the batch was claimed (the owner's reminders always pass).
    (await store.cases.role(nudge.caseId, nudge.personId)) === undefined ||
    (await store.reminders.isPaused(nudge.personId)) ||
    !(await store.people.isReachable(nudge.channel, nudge.address)) ||
    !(await options.reminders.isCurrent(nudge));
  // Held back past its day (quiet hours, a stopped server): reworded, or dropped once pointless.
  const textKey = stale ? null : textOnSendDay(nudge.textKey, nudge.params, sendTime.day, sendTime.minutes);
  if (stale || textKey === null) {
    await store.reminders.finish(nudge.id, 'dropped');
    report.dropped++;
    return;
  }
  // From here on a crash leaves it "sending": never retried, so never sent twice.
  if (!(await store.reminders.markSending(nudge.id, options.claimer, takeSent(sent)))) return;
  try {
    const to = { channel: nudge.channel, address: nudge.address };
    const messages = render(options, { ...nudge, textKey }, person.language ?? 'fr');
    const delivered = await sendPaced(options.outbox, to, messages);
    if (!delivered) {
      await store.reminders.retry(nudge.id, now + CAPPED_RETRY_MS);
      report.retried++;
      return;
    }
    sent.id = nudge.id;
    report.sent++;
  } catch (error) {
    const maxAttempts = options.maxAttempts ?? 5;
    if (nudge.attempts >= maxAttempts) {
      await store.reminders.finish(nudge.id, 'failed');
      report.failed++;
      logger.error({ nudge: nudge.id, attempts: nudge.attempts, err: error instanceof Error ? error.name : typeof error }, 'reminder failed for good');
      return;
    }
    await store.reminders.retry(nudge.id, now + (options.retryBaseMs ?? 60_000) * 2 ** (nudge.attempts - 1));
    report.retried++;
  }
}

function render(options: PumpOptions, nudge: Nudge, lang: Language): OutboundMessage[] {
  const { [FOR_CASE_PARAM]: forCase, ...rest } = nudge.params;
  // A value named `month` is a month planned (the filing month), shown without its day.
  const params = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, DATE.test(v) ? (k === 'month' ? { month: v } : { date: v }) : v]));
  // A helper hears whose case it is about.
  const header = options.renderer.text(lang, forCase ? { key: 'reminders.header_for', params: { label: forCase } } : { key: 'reminders.header' });
  const body = options.renderer.text(lang, { key: nudge.textKey, params });
  return packMessages([{ kind: 'text', text: `${header}\n${body}`, direction: lang === 'ar' ? 'rtl' : 'ltr' }]);
}
