import type { Text } from '../../machines/lib/intents.js';
import type { Store } from '../store/ports.js';

/**
 * What "delete" will erase, said before it asks to confirm: the person's own
 * things, each case they own (their own, and those they manage for someone
 * without a phone) with what it holds, and the cases they only help with,
 * from which they are unlinked while the owner keeps everything.
 */
export async function erasureSummary(store: Store, personId: string): Promise<Text[]> {
  const lines: Text[] = [{ key: 'delete.summary_title' }, { key: 'delete.summary_self' }];
  for (const c of await store.cases.listForPerson(personId)) {
    if (c.role !== 'owner') {
      lines.push({ key: 'delete.summary_helping', params: { label: c.label ?? '' } });
      continue;
    }
    const counts = {
      dates: (await store.reminders.listDates(c.id)).length,
      documents: (await store.vault.list(c.id)).length,
      calls: (await store.cases.listRecords(c.id, 'call-log')).length,
    };
    lines.push(c.own ? { key: 'delete.summary_case', params: counts } : { key: 'delete.summary_behalf', params: { ...counts, label: c.label ?? '' } });
  }
  return lines;
}
