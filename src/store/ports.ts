import type { Language, ProofKind } from '../../machines/lib/intents.js';
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
  /** Fact ids stated by what the person last read, for "source". */
  readonly shownFacts?: readonly string[];
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
   * `handled` is the platform message this turn answered: it is recorded in
   * the same atomic write, so a message counts as handled exactly when its
   * turn is saved (a crash in between leaves neither). A message already
   * recorded makes the save fail with RevisionConflictError too.
   */
  save(personId: string, state: ConversationState, expectedRev: number, now: number, handled?: string): Promise<number>;
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
  /**
   * They wrote from this identity at `now`: it is reachable again (they
   * unblocked the bot) and becomes where proactive messages go.
   */
  markReachable(channel: ChannelName, address: string, now: number): Promise<void>;
  isReachable(channel: ChannelName, address: string): Promise<boolean>;
  /**
   * Where proactive messages to this person go: the identity they wrote from
   * most recently and that can still be reached. Undefined when none can.
   */
  preferredAddress(personId: string): Promise<{ readonly channel: ChannelName; readonly address: string } | undefined>;
  /** When the person last wrote, from any identity; null if never recorded. */
  lastSeenAt(personId: string): Promise<number | null>;
  /** Every identity of the person (for their data export). */
  identities(personId: string): Promise<{ readonly channel: ChannelName; readonly address: string }[]>;
  /** The case the person is working on; null until they switch to another than their own. */
  activeCase(personId: string): Promise<string | null>;
  setActiveCase(personId: string, caseId: string | null): Promise<void>;
  /**
   * Erase the person and everything that belongs to them: identities,
   * conversation, every case they own (with its records, dates, reminders,
   * vault items, helpers, activity and handoffs), the handoffs they opened in
   * other cases, their link codes and failed tries.
   * In other people's cases they are unlinked; what they added there stays
   * the owner's, with the author erased. Returns false when unknown.
   */
  delete(personId: string): Promise<boolean>;
}

export type CaseRecordKind = 'call-log' | 'letter-posted';

export type CaseRole = 'owner' | 'helper';

/** A case as one person sees it in their list. */
export interface CaseSummary {
  readonly id: string;
  readonly role: CaseRole;
  /** The person's own matter (they are its owner and it is not held on someone's behalf). */
  readonly own: boolean;
  /** Held by a helper for someone without a phone. */
  readonly onBehalf: boolean;
  /** What this person calls the case ("Mum"): the helper's label, or the on-behalf name. Null for one's own. */
  readonly label: string | null;
  readonly createdAt: number;
}

export interface CaseHelper {
  readonly personId: string;
  /** The name the helper gave, as the owner knows them. */
  readonly name: string;
  readonly addedAt: number;
}

/** What someone did in a case, for the owner's short activity log (no content, only the kind of act). */
export type ActivityAction = 'joined' | 'route' | 'date' | 'proof' | 'document' | 'call-log' | 'letter-posted' | 'proof-deleted' | 'date-removed';

export interface CaseActivity {
  readonly caseId: string;
  /** Null once the person who acted has erased their data. */
  readonly personId: string | null;
  readonly action: ActivityAction;
  readonly at: number;
}

/** A case nobody has touched for a long time, for the retention job. */
export interface InactiveCase {
  readonly id: string;
  readonly ownerId: string;
  readonly lastActiveAt: number;
  readonly purgeNoticeAt: number | null;
}

export interface CaseRecord {
  /** Chosen by the caller so that a retried write stores the record once. */
  readonly id: string;
  readonly caseId: string;
  readonly kind: CaseRecordKind;
  readonly data: unknown;
  readonly createdAt: number;
}

/**
 * A case is one person's matter with the prefecture; records are what
 * happened in it. A person owns their own case and may own cases held on
 * behalf of someone without a phone; helpers are linked to cases with the
 * owner's consent. Access is always checked through `role`.
 */
export interface CaseStore {
  /** The case the person owns for themselves, created when first needed. */
  ensureOwnCase(personId: string, now: number): Promise<string>;
  /** A case a helper holds for someone with no phone; `label` is what the helper calls them. */
  createOnBehalfCase(ownerId: string, label: string, now: number): Promise<string>;
  /** Every case the person owns or helps with: their own first, then by creation. */
  listForPerson(personId: string): Promise<CaseSummary[]>;
  /** The person's role in the case, or undefined when they are not linked to it (or it does not exist). */
  role(caseId: string, personId: string): Promise<CaseRole | undefined>;
  ownerOf(caseId: string): Promise<string | undefined>;
  /** Link a helper. False when they were already linked or the case is gone. */
  addHelper(caseId: string, helper: { readonly personId: string; readonly name: string; readonly label: string }, now: number): Promise<boolean>;
  /** Unlink a helper at once; their pending reminders for the case go too. False when not linked. */
  removeHelper(caseId: string, helperId: string): Promise<boolean>;
  /** Oldest first. */
  helpers(caseId: string): Promise<CaseHelper[]>;
  logActivity(entry: CaseActivity): Promise<void>;
  /** Newest first, at most `limit`. */
  listActivity(caseId: string, limit: number): Promise<CaseActivity[]>;
  /** Someone worked on the case: it is active again and any purge notice is withdrawn. */
  touch(caseId: string, now: number): Promise<void>;
  /** Cases not touched since `before`, oldest first. */
  listInactive(before: number, limit: number): Promise<InactiveCase[]>;
  markPurgeNotice(caseId: string, at: number): Promise<void>;
  /** Erase a case and everything in it (records, dates, reminders, vault items, helpers, activity, handoffs). */
  deleteCase(caseId: string): Promise<boolean>;
  /** Idempotent: a record whose id exists is left as it is. Returns false in that case. */
  addRecord(record: CaseRecord): Promise<boolean>;
  /** Oldest first. */
  listRecords(caseId: string, kind: CaseRecordKind): Promise<CaseRecord[]>;
}

export interface ProcessedMessageStore {
  /** Whether a platform message was handled: its turn saved (see ConversationStore.save) or claimed. */
  seen(key: string): Promise<boolean>;
  /** Record a platform message as handled outside a saved turn (an erasure). False when it was already seen. */
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
export type DateKind = 'permit-expiry' | 'provisional-expiry' | 'appointment' | 'letter-posted' | 'application-filed' | 'planned-filing';

export interface CaseDate {
  readonly caseId: string;
  readonly kind: DateKind;
  readonly data: Readonly<Record<string, string | null>>;
  readonly updatedAt: number;
}

/**
 * `claimed`: taken by a pump, not yet attempted (retaken if its lease runs
 * out). `sending`: handed to the channel; after a crash it may or may not
 * have arrived, so it is never sent again — a missed reminder is better than
 * the same one twice.
 */
export type NudgeStatus = 'pending' | 'claimed' | 'sending' | 'sent' | 'failed' | 'dropped';

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
   * claimer's lease ran out), leasing them until `leaseUntil`. With
   * `channels`, only reminders to those channels: a process takes only what
   * it can send (the WhatsApp number is connected in one process only).
   */
  claimDue(now: number, leaseUntil: number, limit: number, claimer: string, channels?: readonly ChannelName[]): Promise<Nudge[]>;
  /**
   * Just before handing a claimed reminder to the channel: false when this
   * claimer no longer holds it (its lease ran out and another pump took it,
   * or the date was replanned), and then it must not be sent. `previous`,
   * the reminder sent just before, is marked in the same write (one write
   * per reminder instead of two).
   */
  markSending(id: string, claimer: string, previous?: { readonly id: string; readonly status: 'sent' }): Promise<boolean>;
  finish(id: string, status: 'sent' | 'failed' | 'dropped'): Promise<void>;
  /** Put a claimed reminder back for another try at `retryAt`. */
  retry(id: string, retryAt: number): Promise<void>;
  /** Removes claim records whose lease ended before `before` (a store whose claims are the rows themselves has none). */
  pruneClaims(before: number): Promise<number>;
  /** The next pending reminder of a case, if any. */
  nextPending(caseId: string): Promise<Nudge | undefined>;
  setPaused(personId: string, paused: boolean): Promise<void>;
  isPaused(personId: string): Promise<boolean>;
}

/** A single-use code a helper gives the person they help, who sends it to Guichet to link them. */
export interface LinkCode {
  readonly id: string;
  /** HMAC of the code: the code itself is never stored. */
  readonly codeHash: string;
  readonly helperId: string;
  /** The helper's name, shown to the person asked to consent. */
  readonly helperName: string;
  /** What the helper will call the case. */
  readonly label: string;
  /** What the helper could not choose, shown beside their name to the person asked: where they write from… */
  readonly helperChannel: ChannelName;
  /** …and, when the platform shows one, their username or the last digits of their number. */
  readonly helperHint: string | null;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
}

export interface LinkStore {
  /** False when a live code with the same hash exists (the caller draws another). */
  create(code: Omit<LinkCode, 'usedAt'>): Promise<boolean>;
  /** The code with this hash that is neither used nor expired at `now`. */
  findLive(codeHash: string, now: number): Promise<LinkCode | undefined>;
  get(id: string): Promise<LinkCode | undefined>;
  /** Atomically mark the code used; false when it was already used or has expired. */
  consume(id: string, now: number): Promise<boolean>;
  /**
   * Count a wrong code typed from this sender (`who`: an HMAC of channel and
   * address, so that erasing one's data does not reset it); returns how many since `since`.
   */
  recordFailure(who: string, now: number, since: number): Promise<number>;
  failuresSince(who: string, since: number): Promise<number>;
  /** Wrong codes typed by anyone since `since`: a limit on them protects the whole code space. */
  allFailuresSince(since: number): Promise<number>;
  /** This helper's codes neither used nor expired at `now`. */
  liveCount(helperId: string, now: number): Promise<number>;
  /** Codes this helper created since `since`, whatever became of them. */
  createdSince(helperId: string, since: number): Promise<number>;
  /** Drop used and expired codes and old failures; returns how many rows went. */
  prune(before: number): Promise<number>;
}

export { PROOF_KINDS, type ProofKind } from '../../machines/lib/intents.js';

export type ProofMimeType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic' | 'application/pdf';

export interface VaultItem {
  readonly id: string;
  readonly caseId: string;
  /** Null until the person has said what it is. */
  readonly kind: ProofKind | null;
  /** The date on the document (YYYY-MM-DD), null until given. */
  readonly documentDate: string | null;
  /** Detected from the content, not from what the platform announced. */
  readonly mimeType: ProofMimeType;
  /** Bytes of the original. */
  readonly size: number;
  /** SHA-256 of the original, hex: the fingerprint printed in the evidence file. */
  readonly sha256: string;
  readonly receivedAt: number;
  readonly channel: ChannelName;
  /** Who sent it; null once that person erased their data. */
  readonly senderId: string | null;
}

/**
 * Proof files, stored sealed (encrypted and authenticated by the vault
 * before they reach the store): the store never sees plaintext.
 */
export interface VaultStore {
  /** Idempotent on the item id: a retried write stores it once. False when it existed. */
  put(item: VaultItem, sealed: Uint8Array): Promise<boolean>;
  describe(id: string, kind: ProofKind, documentDate: string): Promise<boolean>;
  get(id: string): Promise<VaultItem | undefined>;
  /** Oldest document date first (undescribed items by time received). */
  list(caseId: string): Promise<VaultItem[]>;
  readSealed(id: string): Promise<Uint8Array | undefined>;
  delete(id: string): Promise<boolean>;
  /** Files one person sent since `since`, in every case, and their bytes (for the daily quota). */
  sentSince(senderId: string, since: number): Promise<{ readonly files: number; readonly bytes: number }>;
  /**
   * Removes sealed bytes that no item names and that were written before
   * `before`: left by a put that stopped between writing the bytes and the
   * item (a store that writes both at once has none). Returns how many.
   */
  pruneOrphans(before: number): Promise<number>;
}

/** Where volunteers read: a Chatwoot API inbox, or the topics of a Telegram supergroup. */
export type HelpdeskKind = 'chatwoot' | 'telegram-group';

/**
 * A person's conversation with the volunteers about one case. At most one is
 * open per case; a closed one can be reopened (writing again within a week
 * continues it). It belongs to the case: erased with it, and with the person
 * who opened it.
 */
export interface Handoff {
  readonly id: string;
  readonly caseId: string;
  /** Who opened it (the owner or a helper of the case): volunteers' replies go to them. */
  readonly personId: string;
  readonly helpdesk: HelpdeskKind;
  /** The helpdesk's own id for it (Chatwoot conversation, Telegram topic); null until made there. */
  readonly externalId: string | null;
  /** What else the helpdesk adapter needs to write there again (Chatwoot's contact ids), as it wrote it. */
  readonly externalData: string | null;
  /** What volunteers call the person ("Personne 4821"): never a name, a number or a chat id. */
  readonly pseudonym: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: number;
  readonly closedAt: number | null;
  /** When the oldest message not yet answered by a volunteer was written; null when none waits. */
  readonly waitingSince: number | null;
  /** When the person was told nobody had answered yet and the coordinators were flagged. */
  readonly flaggedAt: number | null;
  readonly feedback: 'yes' | 'no' | null;
}

export type NewHandoff = Pick<Handoff, 'id' | 'caseId' | 'personId' | 'helpdesk' | 'pseudonym' | 'openedAt'>;

export interface HandoffMessage {
  /** Chosen by the caller (the person's message key, the helpdesk's message id): recorded once. */
  readonly id: string;
  readonly handoffId: string;
  readonly at: number;
  readonly from: 'person' | 'volunteer';
  /** The volunteer's first name; null for the person. */
  readonly author: string | null;
  readonly text: string | null;
  /** A file sent with it, kept in the vault (encrypted) under this item id. */
  readonly vaultItemId: string | null;
  /** Delivery to the other side: pending until the helpdesk or the person's channel took it. */
  readonly state: 'pending' | 'delivered' | 'failed';
}

/** A conversation to remove from the helpdesk: kept after the person and the case are gone, until the helpdesk confirms. */
export interface HelpdeskErasure {
  /** The handoff's id: queued once. */
  readonly id: string;
  readonly helpdesk: HelpdeskKind;
  readonly externalId: string;
  readonly externalData: string | null;
  readonly queuedAt: number;
}

export interface HandoffStore {
  /** False when the case already has an open handoff (read it with `openForCase`) or the id exists. */
  open(handoff: NewHandoff): Promise<boolean>;
  get(id: string): Promise<Handoff | undefined>;
  openForCase(caseId: string): Promise<Handoff | undefined>;
  /** The case's most recently opened handoff, open or closed. */
  latestForCase(caseId: string): Promise<Handoff | undefined>;
  byExternalId(helpdesk: HelpdeskKind, externalId: string): Promise<Handoff | undefined>;
  /** Set once, with the adapter's data: false when it already has one or another handoff holds that id. */
  setExternalId(id: string, externalId: string, externalData: string | null): Promise<boolean>;
  /** Open → closed; false when it was not open. */
  close(id: string, now: number): Promise<boolean>;
  /** Closed → open again (the same conversation continues); false when it was open or another is open for the case. */
  reopen(id: string, now: number): Promise<boolean>;
  setFeedback(id: string, feedback: 'yes' | 'no'): Promise<void>;
  /** Flag once: false when already flagged since it last waited. */
  markFlagged(id: string, now: number): Promise<boolean>;
  /** Open handoffs, oldest first: read again at the helpdesk, kept in step. */
  listOpen(limit: number): Promise<Handoff[]>;
  /** Open handoffs not made at the helpdesk yet (no external id), oldest first. */
  listUnmade(limit: number): Promise<Handoff[]>;
  /** Open handoffs with a message waiting since before `before` and not flagged yet, oldest first. */
  listWaiting(before: number, limit: number): Promise<Handoff[]>;
  /**
   * Record a message once; false when its id is already there. A person's
   * message starts the wait for an answer (if none was waiting); a
   * volunteer's ends it and clears the flag.
   */
  addMessage(message: HandoffMessage): Promise<boolean>;
  setMessageState(id: string, state: HandoffMessage['state']): Promise<void>;
  /** A handoff's messages in the order they were written. */
  listMessages(handoffId: string): Promise<HandoffMessage[]>;
  /** Messages still pending, oldest first (delivery retried after a crash or an outage). */
  listPending(from: HandoffMessage['from'], limit: number): Promise<HandoffMessage[]>;
  /** Every handoff of a case, oldest first (privacy, export). */
  listForCase(caseId: string): Promise<Handoff[]>;
  /** Every handoff a person opened, in any case (their erasure reaches the helpdesk too). */
  listByPerson(personId: string): Promise<Handoff[]>;
  /** Remove a handoff and its messages. */
  delete(id: string): Promise<boolean>;
  /** Handoffs closed before `before`, oldest first: what the retention job removes. */
  listClosedBefore(before: number, limit: number): Promise<Handoff[]>;
  /** Remember to erase a conversation at the helpdesk (once per id); it outlives the person's erasure. */
  queueErasure(erasure: HelpdeskErasure): Promise<void>;
  /** Erasures still to do, oldest first. */
  listErasures(limit: number): Promise<HelpdeskErasure[]>;
  erasureDone(id: string): Promise<void>;
}

/** Where an SMS stands: handed to Kannel, accepted by the SMS centre, on the phone, or lost. */
export type SmsState = 'queued' | 'accepted' | 'delivered' | 'failed';

/**
 * One SMS sent through Kannel (a concatenated message counts its parts). The
 * number itself is not kept: `who` is an HMAC of it, enough to count a
 * person's parts of the day and to say "budget reached" once.
 */
export interface SmsRecord {
  readonly id: string;
  readonly who: string;
  readonly parts: number;
  readonly state: SmsState;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface SmsLogStore {
  record(sms: Omit<SmsRecord, 'state' | 'updatedAt'>): Promise<void>;
  /** A delivery report; false when the SMS is unknown (pruned, or a forged report). */
  setState(id: string, state: SmsState, at: number): Promise<boolean>;
  get(id: string): Promise<SmsRecord | undefined>;
  /** Parts sent to `who` since `since`, whatever their state. */
  partsSince(who: string, since: number): Promise<number>;
  /** True the first time it is asked for this `who` and `day`: the "budget reached" line goes out once. */
  claimNotice(who: string, day: string): Promise<boolean>;
  /** Drop records and notices older than `before`; returns how many went. */
  prune(before: number): Promise<number>;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongodb';
  readonly conversations: ConversationStore;
  readonly people: PeopleStore;
  readonly cases: CaseStore;
  readonly processed: ProcessedMessageStore;
  readonly channelAuth: ChannelAuthStore;
  readonly reminders: ReminderStore;
  readonly links: LinkStore;
  readonly vault: VaultStore;
  readonly handoffs: HandoffStore;
  readonly sms: SmsLogStore;
  /** Throws when the store cannot be reached (health checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
