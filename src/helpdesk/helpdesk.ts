import type { Language } from '../../machines/lib/intents.js';
import type { HelpdeskKind } from '../store/ports.js';

/** What volunteers are shown when a person asks for them: never a name, a number or a chat id. */
export interface HelpdeskConversationStart {
  readonly handoffId: string;
  /** "Personne 4821". */
  readonly pseudonym: string;
  readonly language: Language;
  /** The person's département, when they gave a place. */
  readonly departement: string | null;
  /** The route and step they were on, in French ("Téléphone — appel noté"), or null. */
  readonly route: string | null;
  /** The case summary, in French, posted where only volunteers read it. */
  readonly summary: string;
}

export interface HelpdeskFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly bytes: Uint8Array;
}

/** A person's message, on its way to the volunteers. */
export interface ToVolunteers {
  readonly text: string | null;
  readonly file: HelpdeskFile | null;
}

/** A volunteer's message, on its way to the person. */
export interface FromVolunteer {
  /** The helpdesk's id for this message: it is relayed once, however often it is reported. */
  readonly messageId: string;
  /** The helpdesk's id for the conversation. */
  readonly conversationId: string;
  /** The volunteer's first name, which starts the message the person receives. */
  readonly firstName: string;
  readonly text: string | null;
  /** A file the volunteer attached, fetched by the adapter. */
  readonly file: HelpdeskFile | null;
  /** The volunteer attached a file that could not be fetched (too large, unreachable): they are told. */
  readonly fileLost?: boolean;
}

export interface HelpdeskEvents {
  volunteerMessage(message: FromVolunteer): Promise<void>;
  /** The volunteers closed the conversation. */
  closed(conversationId: string): Promise<void>;
}

export interface HelpdeskOpened {
  readonly conversationId: string;
  /** Kept with the handoff and given back on every later call. */
  readonly data: string | null;
}

/**
 * One helpdesk where volunteers read: a Chatwoot API inbox or a Telegram
 * group with topics. Calls throw when the helpdesk cannot be reached; the
 * handoff service keeps what was not delivered and tries again.
 */
export interface Helpdesk {
  readonly kind: HelpdeskKind;
  open(start: HelpdeskConversationStart): Promise<HelpdeskOpened>;
  /** Open again a conversation the volunteers or the person closed. */
  reopen(conversationId: string, data: string | null): Promise<void>;
  post(conversationId: string, data: string | null, message: ToVolunteers): Promise<void>;
  /** A note only volunteers read (delivery failures, a person waiting too long). */
  note(conversationId: string, data: string | null, text: string): Promise<void>;
  close(conversationId: string, data: string | null): Promise<void>;
  /** Remove the conversation and the contact from the helpdesk (the person erased their data). */
  erase(conversationId: string, data: string | null): Promise<void>;
  /** Whether the volunteers closed the conversation there (a lost closing is found when reading again). */
  isClosed(conversationId: string, data: string | null): Promise<boolean>;
  /** Volunteers' messages in the conversation, oldest first: what a lost webhook would have said. */
  volunteerMessages(conversationId: string, data: string | null): Promise<FromVolunteer[]>;
  start(events: HelpdeskEvents): Promise<void>;
  stop(): Promise<void>;
}
