import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CALL_OUTCOMES, type CallLog, type Text } from '../../machines/lib/intents.js';
import type { CaseRecordKind, Store } from '../store/ports.js';

/** What a stored call-log record must look like; anything else is skipped, never shown half-read. */
export const callLogSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  time: z.string().regex(/^\d{2}:\d{2}$/).nullable(),
  number: z.string().min(1).max(40),
  agent: z.string().max(80).nullable(),
  outcome: z.enum(CALL_OUTCOMES),
  notes: z.string().max(500).nullable(),
});

/**
 * Record ids derive from the message that produced them, so a turn retried
 * after a write conflict stores the record once.
 */
export function recordId(kind: CaseRecordKind | 'proof' | 'handoff' | 'handoff-message', personId: string, messageKey: string): string {
  return createHash('sha256').update(`${kind}\u0000${personId}\u0000${messageKey}`).digest('hex').slice(0, 32);
}

export async function saveCallLog(store: Store, caseId: string, personId: string, messageKey: string, log: CallLog, now: number): Promise<void> {
  await store.cases.addRecord({ id: recordId('call-log', personId, messageKey), caseId, kind: 'call-log', data: log, createdAt: now });
}

/** The calls saved in a case, checked against their shape; anything else is skipped. */
export async function callLogsOf(store: Store, caseId: string): Promise<CallLog[]> {
  return (await store.cases.listRecords(caseId, 'call-log'))
    .map((record) => callLogSchema.safeParse(record.data))
    .flatMap((parsed) => (parsed.success ? [parsed.data] : []));
}

/** The case's saved calls as sentences, oldest first. */
export async function callLogSummary(store: Store, caseId: string): Promise<Text[]> {
  const logs = await callLogsOf(store, caseId);
  if (logs.length === 0) return [{ key: 'phone.no_calls' }];
  const lines: Text[] = [{ key: 'phone.calls_count', params: { count: logs.length } }];
  for (const log of logs) {
    const outcome = { key: `phone.outcome.${log.outcome}` };
    lines.push(
      log.time
        ? { key: 'phone.call_line', params: { date: { date: log.date }, time: log.time, outcome } }
        : { key: 'phone.call_line_no_time', params: { date: { date: log.date }, outcome } },
    );
  }
  return lines;
}

