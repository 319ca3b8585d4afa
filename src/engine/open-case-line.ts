import type { Text } from '../../machines/lib/intents.js';
import type { Store } from '../store/ports.js';

/**
 * "Case open: the person you help («Fatima»)", for the main menu, when the
 * person works on someone else's case: what they record next goes there, so
 * they must see it. Nothing is said for their own case (one read when they
 * never switched).
 */
export async function openCaseLine(store: Store, personId: string, activeCaseId: () => Promise<string>): Promise<Text | undefined> {
  if (!(await store.people.activeCase(personId))) return undefined;
  const id = await activeCaseId();
  const open = (await store.cases.listForPerson(personId)).find((c) => c.id === id);
  if (!open || open.own) return undefined;
  const label = { key: open.role === 'owner' ? 'family.case_on_behalf' : 'family.case_helped', params: { label: open.label ?? '' } };
  return { key: 'family.case_open', params: { case: label } };
}
