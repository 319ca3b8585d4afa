import { strToU8, zipSync } from 'fflate';
import type { Address } from '../messages.js';
import type { Store } from '../store/ports.js';

/**
 * Everything Guichet keeps about one person, as they have the right to get
 * it: their language, where they are in the conversation, their case's
 * records (calls, letters posted), dates and planned reminders. Zipped JSON,
 * so it travels as one file on every channel.
 */
export async function exportPersonData(store: Store, personId: string, from: Address, now: number): Promise<{ fileName: string; bytes: Uint8Array }> {
  const person = await store.people.get(personId);
  const conversation = await store.conversations.load(personId);
  const caseId = await store.cases.ensureOwnCase(personId, now);
  const data = {
    exportedAt: new Date(now).toISOString(),
    person: { language: person?.language ?? null, createdAt: person ? new Date(person.createdAt).toISOString() : null },
    identity: from,
    conversation: conversation ? { flows: conversation.state.frames.map((f) => f.machineId), updatedAt: new Date(conversation.updatedAt).toISOString() } : null,
    case: {
      calls: (await store.cases.listRecords(caseId, 'call-log')).map((r) => ({ ...(r.data as object), savedAt: new Date(r.createdAt).toISOString() })),
      lettersPosted: (await store.cases.listRecords(caseId, 'letter-posted')).map((r) => r.data),
      dates: (await store.reminders.listDates(caseId)).map((d) => ({ kind: d.kind, ...d.data })),
      nextReminder: await store.reminders.nextPending(caseId).then((n) => (n ? { due: new Date(n.dueAt).toISOString(), about: n.dateKind } : null)),
      remindersPaused: await store.reminders.isPaused(personId),
    },
  };
  const day = new Date(now).toISOString().slice(0, 10);
  return { fileName: `guichet-export-${day}.zip`, bytes: zipSync({ 'guichet-export.json': strToU8(JSON.stringify(data, null, 2)) }) };
}
