import { Schema, type Connection } from 'mongoose';

/**
 * Mongoose schemas for the production store. Ids are strings chosen by
 * Guichet (UUIDs, or the platform message key), so both adapters share them.
 * Indexes are declared here and built before the store is used.
 */

const person = new Schema(
  {
    _id: { type: String, required: true },
    language: { type: String, default: null },
    createdAt: { type: Number, required: true },
    remindersPaused: { type: Boolean, default: false },
    /** The case the person is working on; null for their own. */
    activeCaseId: { type: String, default: null },
  },
  { versionKey: false },
);
person.index({ activeCaseId: 1 });

const identity = new Schema(
  {
    channel: { type: String, required: true },
    address: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    unreachableSince: { type: Number, default: null },
    /** When they last wrote from this identity (null for identities older than this field). */
    lastSeenAt: { type: Number, default: null },
  },
  { versionKey: false },
);
identity.index({ channel: 1, address: 1 }, { unique: true });

/** The snapshot stack is kept as its JSON text: exact, and free of Mongo's rules on key names. */
const conversation = new Schema(
  {
    _id: { type: String, required: true },
    state: { type: String, required: true },
    rev: { type: Number, required: true },
    updatedAt: { type: Number, required: true },
    /** The last platform messages answered, written atomically with the state. */
    handled: { type: [String], default: [] },
  },
  { versionKey: false },
);
conversation.index({ handled: 1 });

/**
 * A revision of a conversation, written with a unique `_id` "<person>:<rev>"
 * before the conversation document: of two writers on the same revision the
 * one whose insert succeeds wins, on any server (FerretDB 1.x does not apply
 * a conditional update atomically). The document itself is then brought up to
 * date; a reader that finds a newer revision than the document uses it. The
 * latest two revisions of each person are kept.
 */
const conversationRev = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    rev: { type: Number, required: true },
    state: { type: String, required: true },
    updatedAt: { type: Number, required: true },
    handled: { type: [String], default: [] },
  },
  { versionKey: false },
);
conversationRev.index({ handled: 1 });

export const LEGACY_OWN_CASE_INDEX = 'ownerId_1';
/** The partial unique index of earlier versions, dropped at open. */
export const PARTIAL_OWN_CASE_INDEX = 'own_case_per_owner';
export const OWN_CASE_KEY_INDEX = 'own_case_key';

/** The key that is unique per own case: see the case schema. */
export const ownKeyOf = (c: { readonly _id: string; readonly ownerId: string; readonly onBehalf?: boolean | null }): string =>
  c.onBehalf === true ? `behalf:${c._id}` : c.ownerId;

/**
 * A person owns one case for themselves and any number held on someone's
 * behalf. Uniqueness of the own case is a plain unique index on `ownKey`:
 * the owner's id for their own case, "behalf:<case id>" for the others. (A
 * partial unique index on `{ onBehalf: false }` did this before; FerretDB 1.x
 * has no partial indexes, and a plain one works on both servers.) The store
 * fills `ownKey` and `onBehalf` on older documents at open, before building
 * indexes, and drops the partial index and the legacy unique index on
 * `ownerId` (`ownerId_1`). Queries still read a missing `onBehalf` as false.
 */
const caseSchema = new Schema(
  {
    _id: { type: String, required: true },
    ownerId: { type: String, required: true },
    ownKey: { type: String, required: true },
    onBehalf: { type: Boolean, required: true, default: false },
    /** The on-behalf name the owner gave; null for one's own case. */
    label: { type: String, default: null },
    createdAt: { type: Number, required: true },
    lastActiveAt: { type: Number, required: true },
    purgeNoticeAt: { type: Number, default: null },
  },
  { versionKey: false },
);
caseSchema.index({ ownKey: 1 }, { unique: true, name: OWN_CASE_KEY_INDEX });
caseSchema.index({ ownerId: 1, createdAt: 1 }, { name: 'cases_by_owner' });
caseSchema.index({ lastActiveAt: 1 });

/** A helper linked to a case; `_id` is "<caseId>\u0000<personId>" so a link exists once. */
const caseHelper = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    label: { type: String, required: true },
    addedAt: { type: Number, required: true },
  },
  { versionKey: false },
);
caseHelper.index({ caseId: 1, addedAt: 1 });

/** What someone did in a case; ObjectId `_id`s break ties between entries of the same time. */
const caseActivity = new Schema(
  {
    caseId: { type: String, required: true },
    personId: { type: String, default: null, index: true },
    action: { type: String, required: true },
    at: { type: Number, required: true },
  },
  { versionKey: false },
);
caseActivity.index({ caseId: 1, at: -1 });

const caseRecord = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    kind: { type: String, required: true },
    data: { type: String, required: true },
    createdAt: { type: Number, required: true },
  },
  { versionKey: false },
);
caseRecord.index({ caseId: 1, kind: 1, createdAt: 1 });

/** The index the daily prune uses; once a TTL index of the same name, dropped by the store's upgrade. */
export const PROCESSED_AT_INDEX = 'processedAt_1';

/**
 * Message claims, pruned by Guichet's daily job (`processed.prune`), not by a
 * TTL index: FerretDB 1.x has none, and both servers then behave the same.
 */
const processedMessage = new Schema(
  { _id: { type: String, required: true }, processedAt: { type: Date, required: true } },
  { versionKey: false },
);
processedMessage.index({ processedAt: 1 }, { name: PROCESSED_AT_INDEX });

/** One document per channel key; `_id` is "<channel>\u0000<key>" so writes are plain upserts. */
const channelAuth = new Schema(
  { _id: { type: String, required: true }, channel: { type: String, required: true, index: true }, value: { type: String, required: true } },
  { versionKey: false },
);

/** One document per date of a case; `_id` is "<caseId>\u0000<kind>". */
const caseDate = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    kind: { type: String, required: true },
    data: { type: String, required: true },
    updatedAt: { type: Number, required: true },
  },
  { versionKey: false },
);

const nudge = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    personId: { type: String, required: true },
    dateKind: { type: String, required: true },
    dateVersion: { type: String, required: true },
    dueAt: { type: Number, required: true },
    channel: { type: String, required: true },
    address: { type: String, required: true },
    textKey: { type: String, required: true },
    params: { type: String, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true, default: 0 },
    leaseUntil: { type: Number, default: null },
    claimedBy: { type: String, default: null },
  },
  { versionKey: false },
);
nudge.index({ status: 1, dueAt: 1 });
nudge.index({ caseId: 1, dateKind: 1, status: 1 });
nudge.index({ personId: 1 });

const linkCode = new Schema(
  {
    _id: { type: String, required: true },
    codeHash: { type: String, required: true, index: true },
    helperId: { type: String, required: true, index: true },
    helperName: { type: String, required: true },
    label: { type: String, required: true },
    helperChannel: { type: String, required: true, default: 'terminal' },
    helperHint: { type: String, default: null },
    createdAt: { type: Number, required: true },
    expiresAt: { type: Number, required: true },
    usedAt: { type: Number, default: null },
  },
  { versionKey: false },
);
linkCode.index({ helperId: 1, createdAt: 1 });

/** A wrong code, by sending identity (an HMAC of channel and address): it outlives the person's erasure. */
const linkTry = new Schema(
  { who: { type: String, required: true }, at: { type: Number, required: true, index: true } },
  { versionKey: false },
);
linkTry.index({ who: 1, at: 1 });

/**
 * One-time marks written with a unique `_id`, so that of two racing writers
 * exactly one succeeds on every server: a link code spent ("<code id>"), a
 * reminder handed to the channel ("send:<nudge id>"). A conditional update
 * would do it on MongoDB, but FerretDB 1.x does not apply one atomically.
 */
const onceMark = new Schema({ _id: { type: String, required: true }, at: { type: Number, required: true, index: true } }, { versionKey: false });

/** Metadata of a proof file; the sealed bytes are the GridFS file of the same `_id` in the "vault" bucket. */
const vaultItem = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    kind: { type: String, default: null },
    documentDate: { type: String, default: null },
    mimeType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    receivedAt: { type: Number, required: true },
    channel: { type: String, required: true },
    senderId: { type: String, default: null, index: true },
  },
  { versionKey: false },
);

/** A handoff to volunteers; `round` counts its openings, so each closing is marked once. */
const handoff = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, index: true },
    personId: { type: String, required: true, index: true },
    helpdesk: { type: String, required: true },
    externalId: { type: String, default: null },
    externalData: { type: String, default: null },
    pseudonym: { type: String, required: true },
    status: { type: String, required: true },
    round: { type: Number, required: true },
    openedAt: { type: Number, required: true },
    closedAt: { type: Number, default: null },
    waitingSince: { type: Number, default: null },
    flaggedAt: { type: Number, default: null },
    feedback: { type: String, default: null },
  },
  { versionKey: false },
);
handoff.index({ helpdesk: 1, externalId: 1 });
handoff.index({ status: 1, closedAt: 1 });

/** The open handoff of a case, keyed by the case: a unique insert is the lock that keeps one open. */
const handoffOpen = new Schema(
  { _id: { type: String, required: true }, handoffId: { type: String, required: true }, at: { type: Number, required: true } },
  { versionKey: false },
);

const handoffMessage = new Schema(
  {
    _id: { type: String, required: true },
    handoffId: { type: String, required: true, index: true },
    at: { type: Number, required: true },
    from: { type: String, required: true },
    author: { type: String, default: null },
    text: { type: String, default: null },
    vaultItemId: { type: String, default: null },
    state: { type: String, required: true },
  },
  { versionKey: false },
);
handoffMessage.index({ from: 1, state: 1, at: 1 });

/** A conversation still to erase at the helpdesk, after the person or the case is gone. */
const helpdeskErasure = new Schema(
  {
    _id: { type: String, required: true },
    helpdesk: { type: String, required: true },
    externalId: { type: String, required: true },
    externalData: { type: String, default: null },
    queuedAt: { type: Number, required: true, index: true },
  },
  { versionKey: false },
);

/** An SMS sent through Kannel; `who` is an HMAC of the number. */
const smsLog = new Schema(
  {
    _id: { type: String, required: true },
    who: { type: String, required: true },
    parts: { type: Number, required: true },
    state: { type: String, required: true },
    createdAt: { type: Number, required: true, index: true },
    updatedAt: { type: Number, required: true },
  },
  { versionKey: false },
);
smsLog.index({ who: 1, createdAt: 1 });

export const VAULT_BUCKET = 'vault';

export function defineModels(connection: Connection) {
  return {
    Person: connection.model('Person', person, 'people'),
    Identity: connection.model('Identity', identity, 'identities'),
    Conversation: connection.model('Conversation', conversation, 'conversations'),
    ConversationRev: connection.model('ConversationRev', conversationRev, 'conversation_revs'),
    Case: connection.model('Case', caseSchema, 'cases'),
    CaseRecord: connection.model('CaseRecord', caseRecord, 'case_records'),
    ProcessedMessage: connection.model('ProcessedMessage', processedMessage, 'processed_messages'),
    ChannelAuth: connection.model('ChannelAuth', channelAuth, 'channel_auth'),
    CaseDate: connection.model('CaseDate', caseDate, 'case_dates'),
    Nudge: connection.model('Nudge', nudge, 'nudges'),
    CaseHelper: connection.model('CaseHelper', caseHelper, 'case_helpers'),
    CaseActivity: connection.model('CaseActivity', caseActivity, 'case_activity'),
    LinkCode: connection.model('LinkCode', linkCode, 'link_codes'),
    LinkTry: connection.model('LinkTry', linkTry, 'link_tries'),
    LinkUse: connection.model('LinkUse', onceMark, 'link_uses'),
    NudgeSend: connection.model('NudgeSend', onceMark.clone(), 'nudge_sends'),
    VaultItem: connection.model('VaultItem', vaultItem, 'vault_items'),
    Handoff: connection.model('Handoff', handoff, 'handoffs'),
    HandoffOpen: connection.model('HandoffOpen', handoffOpen, 'handoff_open'),
    HandoffMessage: connection.model('HandoffMessage', handoffMessage, 'handoff_messages'),
    HandoffMark: connection.model('HandoffMark', onceMark.clone(), 'handoff_marks'),
    HelpdeskErasure: connection.model('HelpdeskErasure', helpdeskErasure, 'helpdesk_erasures'),
    SmsLog: connection.model('SmsLog', smsLog, 'sms_log'),
    /** "Budget reached" said to `who` on a day: `_id` is "<who>\u0000<day>". */
    SmsNotice: connection.model('SmsNotice', onceMark.clone(), 'sms_notices'),
  };
}

export type Models = ReturnType<typeof defineModels>;
