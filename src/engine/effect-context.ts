import type { FlowEvent, Text } from '../../machines/lib/intents.js';
import type { Address, OutboundFileType } from '../messages.js';
import type { ActivityAction, CaseRole } from '../store/ports.js';
import type { HelpdeskAction } from './handoff-effects.js';

/**
 * What an effect handler may do within one turn. Everything it says is
 * collected and sent only once the turn is saved; messages to other people
 * (a helper told that their link was accepted) likewise.
 */
export interface EffectContext {
  readonly personId: string;
  /** The platform message being handled: ids of anything stored derive from it. */
  readonly messageKey: string;
  readonly from: Address;
  /** The sender's public username where the platform shows one (Telegram), for the consent screen. */
  readonly username: string | null;
  readonly today: string;
  readonly now: number;
  /** The case the person is working on, created when first needed; always one they are linked to. */
  caseId(): Promise<string>;
  /** Their role in that case. */
  role(): Promise<CaseRole>;
  /** The active case changed: forget the one resolved earlier in this turn. */
  caseChanged(): void;
  say(text: Text): void;
  file(file: { readonly fileName: string; readonly bytes: Uint8Array; readonly mimeType: OutboundFileType }): void;
  /** Hand an answer back to the flow on top. */
  deliver(event: FlowEvent): Promise<void>;
  /** A message for another person, in their language, on their channel. */
  notify(personId: string, text: Text): void;
  /** Note in the case's activity log what a helper did (the owner's own acts are not logged). */
  activity(action: ActivityAction): Promise<void>;
  /** Something for the volunteers' helpdesk, done once the turn is saved. */
  helpdesk(action: HelpdeskAction): void;
}
