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
  },
  { versionKey: false },
);

const identity = new Schema(
  {
    channel: { type: String, required: true },
    address: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    unreachableSince: { type: Number, default: null },
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
  },
  { versionKey: false },
);

const caseSchema = new Schema(
  { _id: { type: String, required: true }, ownerId: { type: String, required: true, unique: true }, createdAt: { type: Number, required: true } },
  { versionKey: false },
);

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

export const PROCESSED_MESSAGE_TTL_SECONDS = 30 * 24 * 3600;

/** Claims expire by themselves: Mongo's TTL monitor removes them after 30 days. */
const processedMessage = new Schema(
  { _id: { type: String, required: true }, processedAt: { type: Date, required: true } },
  { versionKey: false },
);
processedMessage.index({ processedAt: 1 }, { expireAfterSeconds: PROCESSED_MESSAGE_TTL_SECONDS });

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

export function defineModels(connection: Connection) {
  return {
    Person: connection.model('Person', person, 'people'),
    Identity: connection.model('Identity', identity, 'identities'),
    Conversation: connection.model('Conversation', conversation, 'conversations'),
    Case: connection.model('Case', caseSchema, 'cases'),
    CaseRecord: connection.model('CaseRecord', caseRecord, 'case_records'),
    ProcessedMessage: connection.model('ProcessedMessage', processedMessage, 'processed_messages'),
    ChannelAuth: connection.model('ChannelAuth', channelAuth, 'channel_auth'),
    CaseDate: connection.model('CaseDate', caseDate, 'case_dates'),
    Nudge: connection.model('Nudge', nudge, 'nudges'),
  };
}

export type Models = ReturnType<typeof defineModels>;
