import type { Language } from '../../machines/lib/intents.js';
import type { ChannelName } from '../messages.js';

/**
 * Storage ports. Every method returns a promise; every adapter (embedded
 * SQLite, MongoDB) passes the same contract suite in test/store. Failures
 * throw a StoreError; they never pass silently.
 */

/** One running flow: which machine, which version of it, and its persisted XState snapshot. */
export interface Frame {
  readonly machineId: string;
  readonly machineVersion: number;
  readonly snapshot: unknown;
}

/** Where a person is: a stack of flows, the bottom one a route or the menu, above it an overlay. */
export interface ConversationState {
  readonly frames: readonly Frame[];
}

export interface StoredConversation {
  readonly personId: string;
  readonly state: ConversationState;
  /** Revision for optimistic concurrency: 1 after the first save, +1 on each save. */
  readonly rev: number;
  readonly updatedAt: number;
}

export interface ConversationStore {
  load(personId: string): Promise<StoredConversation | undefined>;
  /**
   * Save if the stored revision still equals `expectedRev` (0: none stored
   * yet). Returns the new revision; throws RevisionConflictError otherwise.
   */
  save(personId: string, state: ConversationState, expectedRev: number, now: number): Promise<number>;
}

export interface Person {
  readonly id: string;
  readonly language: Language | null;
  readonly createdAt: number;
}

export interface PeopleStore {
  /**
   * The person behind a channel identity, created on first contact. Safe when
   * two messages of a new person arrive at once: both get the same id.
   */
  resolveIdentity(channel: ChannelName, address: string, now: number): Promise<string>;
  get(personId: string): Promise<Person | undefined>;
  /** Returns false when the person does not exist. */
  setLanguage(personId: string, language: Language): Promise<boolean>;
  /**
   * The platform refused to deliver to this identity (the person blocked the
   * bot): nothing proactive is sent there until they write again.
   */
  markUnreachable(channel: ChannelName, address: string, now: number): Promise<void>;
  /** They wrote again: reachable. A no-op for identities never marked. */
  markReachable(channel: ChannelName, address: string): Promise<void>;
  isReachable(channel: ChannelName, address: string): Promise<boolean>;
  /** Erase the person and everything that belongs to them. Returns false when unknown. */
  delete(personId: string): Promise<boolean>;
}

export type CaseRecordKind = 'call-log' | 'letter-posted';

export interface CaseRecord {
  /** Chosen by the caller so that a retried write stores the record once. */
  readonly id: string;
  readonly caseId: string;
  readonly kind: CaseRecordKind;
  readonly data: unknown;
  readonly createdAt: number;
}

/** A case is one person's matter with the prefecture; records are what happened in it. */
export interface CaseStore {
  /** The case the person owns, created when first needed. */
  ensureOwnCase(personId: string, now: number): Promise<string>;
  /** Idempotent: a record whose id exists is left as it is. Returns false in that case. */
  addRecord(record: CaseRecord): Promise<boolean>;
  /** Oldest first. */
  listRecords(caseId: string, kind: CaseRecordKind): Promise<CaseRecord[]>;
}

export interface ProcessedMessageStore {
  /** Mark a platform message as being handled. False when it was already seen. */
  claim(key: string, now: number): Promise<boolean>;
  /** Forget a claim whose handling failed before anything was saved, so a redelivery is handled. */
  release(key: string): Promise<void>;
  /** Drop claims older than `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/**
 * Credentials a channel keeps to stay linked (WhatsApp's creds and signal
 * keys). Values are opaque text, serialised by the channel; a write is
 * durable when its promise resolves.
 */
export interface ChannelAuthStore {
  /** Values of the keys that exist; missing keys are absent from the map. */
  read(channel: string, keys: readonly string[]): Promise<Map<string, string>>;
  /** Set or, with null, delete several keys at once, all or nothing. */
  write(channel: string, entries: Readonly<Record<string, string | null>>): Promise<void>;
  /** Forget everything of one channel (after a logout). */
  clear(channel: string): Promise<void>;
}

/** Dates a person records for their case: one of each kind, replaced when changed. */
export type DateKind = 'permit-expiry' | 'provisional-expiry' | 'appointment' | 'letter-posted' | 'application-filed';

export interface CaseDate {
  readonly caseId: string;
  readonly kind: DateKind;
  readonly data: Readonly<Record<string, string | null>>;
  readonly updatedAt: number;
}

export type NudgeStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dropped';

/** A reminder to send: the truth is in the store, the pump only sends what is due. */
export interface Nudge {
  /** Also the idempotency key: the same reminder of the same date is never stored twice. */
  readonly id: string;
  readonly caseId: string;
  readonly personId: string;
  readonly dateKind: DateKind;
  /** Fingerprint of the date it was planned from; a changed date makes it stale. */
  readonly dateVersion: string;
  readonly dueAt: number;
  readonly channel: ChannelName;
  readonly address: string;
  readonly textKey: string;
  readonly params: Readonly<Record<string, string>>;
  readonly status: NudgeStatus;
  readonly attempts: number;
}

export type NewNudge = Omit<Nudge, 'status' | 'attempts'>;

export interface ReminderStore {
  setDate(date: CaseDate): Promise<void>;
  removeDate(caseId: string, kind: DateKind): Promise<boolean>;
  listDates(caseId: string): Promise<CaseDate[]>;
  getDate(caseId: string, kind: DateKind): Promise<CaseDate | undefined>;
  /**
   * Replace the reminders not yet sent for one date of a case. Reminders
   * already sent stay as they are and are not planned again.
   */
  replaceNudges(caseId: string, kind: DateKind, nudges: readonly NewNudge[]): Promise<void>;
  /**
   * Atomically take up to `limit` reminders that are due (or whose previous
   * claimer's lease ran out), leasing them until `leaseUntil`.
   */
  claimDue(now: number, leaseUntil: number, limit: number, claimer: string): Promise<Nudge[]>;
  finish(id: string, status: 'sent' | 'failed' | 'dropped'): Promise<void>;
  /** Put a claimed reminder back for another try at `retryAt`. */
  retry(id: string, retryAt: number): Promise<void>;
  /** The next pending reminder of a case, if any. */
  nextPending(caseId: string): Promise<Nudge | undefined>;
  setPaused(personId: string, paused: boolean): Promise<void>;
  isPaused(personId: string): Promise<boolean>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly conversations: ConversationStore;
  readonly people: PeopleStore;
  readonly cases: CaseStore;
  readonly processed: ProcessedMessageStore;
  readonly channelAuth: ChannelAuthStore;
  readonly reminders: ReminderStore;
  /** Throws when the store cannot be reached (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
