import { ACCEPTED_MIME_TYPES } from '../../src/channels/attachments.js';
import type { ChannelName, InboundMessage } from '../../src/messages.js';

const KINDS = new Set(['text', 'choice', 'open', 'attachment']);
const MEDIA_TYPES = new Set(['photo', 'document']);
const PROBLEMS = new Set([undefined, 'too-large', 'unsupported']);

const stringOrNull = (v: unknown) => v === null || typeof v === 'string';

/** A value for a message, whatever it is (some objects cannot even be turned into a string). */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  try {
    return `${typeof value} ${String(value)}`.slice(0, 60);
  } catch {
    return typeof value;
  }
}

/**
 * Everything wrong with what a channel normalizer returned (empty: a
 * well-formed channel-neutral message, or nothing).
 */
export function inboundProblems(result: unknown, channel: ChannelName, maxBytes: number): string[] {
  if (result === undefined) return [];
  const problems: string[] = [];
  const m = result as Record<string, unknown>;
  if (typeof m !== 'object' || m === null) return [`result is not an object: ${typeof m}`];
  if (m.channel !== channel) problems.push(`channel ${show(m.channel)}`);
  if (typeof m.address !== 'string' || m.address.length === 0) problems.push(`address is ${typeof m.address} ${show(m.address)}`);
  if (typeof m.messageId !== 'string' || m.messageId.length === 0) problems.push(`messageId is ${typeof m.messageId}`);
  if ('languageHint' in m && typeof m.languageHint !== 'string') problems.push(`languageHint is ${typeof m.languageHint}`);
  if ('alternateAddress' in m && typeof m.alternateAddress !== 'string') problems.push(`alternateAddress is ${typeof m.alternateAddress}`);
  if (!KINDS.has(m.kind as string)) return [...problems, `kind is ${show(m.kind)}`];
  const message = m as unknown as InboundMessage;
  switch (message.kind) {
    case 'text':
      if (typeof message.text !== 'string') problems.push(`text is ${typeof message.text}`);
      break;
    case 'choice':
      if (typeof message.token !== 'string' || !/^[0-9a-z]{1,16}$/.test(message.token)) problems.push(`token is ${show(message.token)}`);
      if (!Number.isInteger(message.option) || message.option < 0 || message.option > 999) problems.push(`option is ${show(message.option)}`);
      break;
    case 'open':
      break;
    case 'attachment': {
      const a = message.attachment as unknown as Record<string, unknown>;
      if (typeof a !== 'object' || a === null) return [...problems, 'attachment is missing'];
      if (!MEDIA_TYPES.has(a.mediaType as string)) problems.push(`mediaType is ${show(a.mediaType)}`);
      if (!stringOrNull(a.mimeType)) problems.push(`mimeType is ${typeof a.mimeType}`);
      if (!stringOrNull(a.fileName)) problems.push(`fileName is ${typeof a.fileName}`);
      if (a.size !== null && typeof a.size !== 'number') problems.push(`size is ${typeof a.size}`);
      if (!PROBLEMS.has(a.problem as string | undefined)) problems.push(`problem is ${show(a.problem)}`);
      if (typeof a.load !== 'function') problems.push('load is not a function');
      // Accepted from its announcement: a type the vault takes and a known size within the limit.
      if (a.problem === undefined) {
        if (!ACCEPTED_MIME_TYPES.includes(a.mimeType as string)) problems.push(`accepted with mimeType ${show(a.mimeType)}`);
        if (typeof a.size !== 'number' || a.size > maxBytes) problems.push(`accepted with size ${show(a.size)}`);
      }
      break;
    }
  }
  return problems;
}

/** Load an attachment as the engine would: it must give a promise, and refused ones must reject. */
export async function loadProblems(result: unknown, maxBytes: number): Promise<string[]> {
  const m = result as InboundMessage | undefined;
  if (m?.kind !== 'attachment' || typeof m.attachment?.load !== 'function') return [];
  let pending: unknown;
  try {
    pending = m.attachment.load();
  } catch (error) {
    return [`load threw synchronously: ${String(error)}`];
  }
  if (!(pending instanceof Promise)) return ['load did not return a promise'];
  try {
    const bytes = await pending;
    if (m.attachment.problem) return [`a refused attachment (${m.attachment.problem}) loaded`];
    if (!(bytes instanceof Uint8Array) || bytes.length > maxBytes) return ['loaded bytes beyond the limit'];
  } catch {
    // Refused, or larger than announced: the engine asks for it again.
  }
  return [];
}
