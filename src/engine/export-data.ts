import { strToU8, zip, type AsyncZippable } from 'fflate';
import type { Address } from '../messages.js';
import type { CaseSummary, Handoff, Store } from '../store/ports.js';
import { fileNameOf, type ProofEffectDeps } from './proof-effects.js';

type ExportParts = Pick<ProofEffectDeps, 'store' | 'vault' | 'localDay'>;

/** Activity entries read per case for an export: far more than any real case holds. */
const ACTIVITY_LIMIT = 10_000;
/**
 * Proof bytes one export carries at most: it must go out as one file (a
 * Telegram bot sends at most 50 MB) and be built in bounded memory. Files
 * past it are listed, with their fingerprints, and sent back one by one from
 * "My documents".
 */
export const EXPORT_MAX_FILE_BYTES = 45 * 1024 * 1024;

/** What an export holds: the zip, and how many proof files did not fit in it. */
export interface PersonExport {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly filesLeftOut: number;
}

/** Room left in one export, shared by the cases it holds. */
interface Budget {
  bytes: number;
  leftOut: number;
}

/**
 * Everything Guichet keeps about one person, as they have the right to get
 * it: their language and identities, where they are in the conversation,
 * every case they own (calls, letters posted, dates, planned reminders,
 * helpers and what they did, and the proof files themselves, decrypted), and
 * for cases they help with, their part in them. Zipped, so it travels as one
 * file on every channel.
 */
export async function exportPersonData(
  parts: ExportParts,
  personId: string,
  from: Address,
  now: number,
  maxFileBytes = EXPORT_MAX_FILE_BYTES,
): Promise<PersonExport> {
  const { store } = parts;
  const person = await store.people.get(personId);
  const conversation = await store.conversations.load(personId);
  await store.cases.ensureOwnCase(personId, now);
  const files: AsyncZippable = {};
  const budget: Budget = { bytes: maxFileBytes, leftOut: 0 };
  const cases = [];
  for (const summary of await store.cases.listForPerson(personId)) {
    cases.push(summary.role === 'owner' ? await ownedCase(parts, summary, files, cases.length + 1, budget) : await helpedCase(store, summary, personId));
  }
  const data = {
    exportedAt: new Date(now).toISOString(),
    person: { language: person?.language ?? null, createdAt: person ? new Date(person.createdAt).toISOString() : null },
    writingFrom: from,
    identities: await store.people.identities(personId),
    conversation: conversation ? { flows: conversation.state.frames.map((f) => f.machineId), updatedAt: new Date(conversation.updatedAt).toISOString() } : null,
    remindersPaused: await store.reminders.isPaused(personId),
    cases,
  };
  files['guichet-export.json'] = strToU8(JSON.stringify(data, null, 2));
  const day = new Date(now).toISOString().slice(0, 10);
  return { fileName: `guichet-export-${day}.zip`, bytes: await zipOffThread(files), filesLeftOut: budget.leftOut };
}

/** fflate's asynchronous zip runs in a worker thread: other people's turns go on meanwhile. */
function zipOffThread(files: AsyncZippable): Promise<Uint8Array> {
  return new Promise((resolve, reject) => zip(files, { level: 0 }, (error, bytes) => (error ? reject(error) : resolve(bytes))));
}

async function ownedCase(parts: ExportParts, summary: CaseSummary, files: AsyncZippable, index: number, budget: Budget) {
  const { store, vault } = parts;
  const caseId = summary.id;
  const helpers = await store.cases.helpers(caseId);
  const names = new Map(helpers.map((h) => [h.personId, h.name]));
  const documents = [];
  for (const item of await store.vault.list(caseId)) {
    const path = `case-${index}/${fileNameOf(parts, item)}`;
    const fits = item.size <= budget.bytes;
    if (!fits) budget.leftOut++;
    const bytes = fits ? await vault.open(item).catch(() => undefined) : undefined;
    if (bytes) {
      files[path] = [bytes, { level: 0 }];
      budget.bytes -= bytes.length;
    }
    documents.push({
      file: bytes ? path : null,
      ...(fits ? {} : { notIncluded: 'too large for one export file: send it back from My documents' }),
      kind: item.kind,
      documentDate: item.documentDate,
      type: item.mimeType,
      size: item.size,
      sha256: item.sha256,
      receivedAt: new Date(item.receivedAt).toISOString(),
      channel: item.channel,
    });
  }
  return {
    role: 'owner',
    own: summary.own,
    onBehalfOf: summary.onBehalf ? summary.label : null,
    createdAt: new Date(summary.createdAt).toISOString(),
    calls: (await store.cases.listRecords(caseId, 'call-log')).map((r) => ({ ...(r.data as object), savedAt: new Date(r.createdAt).toISOString() })),
    lettersPosted: (await store.cases.listRecords(caseId, 'letter-posted')).map((r) => r.data),
    dates: (await store.reminders.listDates(caseId)).map((d) => ({ kind: d.kind, ...d.data })),
    nextReminder: await store.reminders.nextPending(caseId).then((n) => (n ? { due: new Date(n.dueAt).toISOString(), about: n.dateKind } : null)),
    helpers: helpers.map((h) => ({ name: h.name, since: new Date(h.addedAt).toISOString() })),
    activity: (await store.cases.listActivity(caseId, ACTIVITY_LIMIT)).map((a) => ({ by: (a.personId && names.get(a.personId)) ?? null, action: a.action, at: new Date(a.at).toISOString() })),
    documents,
    conversationsWithVolunteers: await handoffsOf(store, await store.handoffs.listForCase(caseId)),
  };
}

/** Conversations with volunteers and their transcripts (the files are among the documents). */
async function handoffsOf(store: Store, handoffs: readonly Handoff[]) {
  const out = [];
  for (const h of handoffs) {
    out.push({
      pseudonym: h.pseudonym,
      status: h.status,
      openedAt: new Date(h.openedAt).toISOString(),
      closedAt: h.closedAt === null ? null : new Date(h.closedAt).toISOString(),
      helped: h.feedback,
      messages: (await store.handoffs.listMessages(h.id))
        .filter((m) => m.text !== null || m.vaultItemId !== null)
        .map((m) => ({ from: m.from === 'person' ? 'you' : (m.author ?? 'volunteer'), at: new Date(m.at).toISOString(), text: m.text, withFile: m.vaultItemId !== null })),
    });
  }
  return out;
}

/** Someone else's case: only this person's part in it (the case itself is its owner's). */
async function helpedCase(store: Store, summary: CaseSummary, personId: string) {
  return {
    role: 'helper',
    label: summary.label,
    since: new Date(summary.createdAt).toISOString(),
    myActivity: (await store.cases.listActivity(summary.id, ACTIVITY_LIMIT))
      .filter((a) => a.personId === personId)
      .map((a) => ({ action: a.action, at: new Date(a.at).toISOString() })),
    documentsISent: (await store.vault.list(summary.id))
      .filter((item) => item.senderId === personId)
      .map((item) => ({ kind: item.kind, documentDate: item.documentDate, sha256: item.sha256, receivedAt: new Date(item.receivedAt).toISOString() })),
    conversationsWithVolunteersIOpened: await handoffsOf(store, (await store.handoffs.listForCase(summary.id)).filter((h) => h.personId === personId)),
  };
}
