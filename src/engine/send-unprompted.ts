import type { Text } from '../../machines/lib/intents.js';
import type { Address, OutboundMessage, Outbox } from '../messages.js';
import type { Store } from '../store/ports.js';
import type { Renderer } from './render.js';

/**
 * A message nobody asked for just now (a reminder, a notice), through the
 * channel's paced path where it has one (WhatsApp's daily cap). False means
 * "not today": try later.
 */
export async function sendPaced(outbox: Outbox, to: Address, messages: readonly OutboundMessage[]): Promise<boolean> {
  if (outbox.sendProactive) return outbox.sendProactive(to, messages);
  await outbox.send(to, messages);
  return true;
}

/**
 * Tell a person who did not just write: at the identity they last wrote
 * from, in their language. False when they cannot be reached; a failed send
 * throws for the caller to log.
 */
export async function notifyPerson(parts: { readonly store: Store; readonly outbox: Outbox; readonly renderer: Renderer }, personId: string, text: Text): Promise<boolean> {
  const { store, outbox, renderer } = parts;
  const to = await store.people.preferredAddress(personId);
  if (!to) return false;
  const lang = (await store.people.get(personId))?.language ?? 'fr';
  return sendPaced(outbox, to, [renderer.message(lang, text)]);
}
