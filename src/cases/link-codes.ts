import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { Address, ChannelName } from '../messages.js';
import type { Store } from '../store/ports.js';

/** A code lives one day: long enough to reach a relative, short enough to be worthless if overheard later. */
export const LINK_CODE_TTL_MS = 24 * 3600_000;
/** Wrong codes one sender may type in a day before code entry is locked for them until the day is over. */
export const MAX_WRONG_CODES = 5;
const FAILURE_WINDOW_MS = 24 * 3600_000;
/** Codes one helper may hold at once: enough for a family, far too few to fill the code space. */
export const MAX_LIVE_CODES = 3;
/** Codes one helper may make in a day. */
export const MAX_CODES_PER_DAY = 5;
/**
 * Wrong codes typed by everyone in an hour before code entry pauses for an
 * hour: with 10-digit codes, a guesser spread over many numbers still needs
 * millions of tries for each live code.
 */
export const MAX_WRONG_CODES_PER_HOUR = 300;
const HOUR_MS = 3600_000;
/** Ten digits, never starting with 0 (a French phone number typed at the menu is not taken for a code). */
const CODE_DIGITS = 10;
/** Draws of a fresh code before giving up: with 9 billion codes, one draw is enough short of an attack. */
const MAX_DRAWS = 8;

export type CodeCheck =
  | { readonly status: 'ok'; readonly codeId: string; readonly helperName: string; readonly helperChannel: ChannelName; readonly helperHint: string | null }
  /** No live code matches (wrong, expired or already used: the person cannot tell them apart, neither can a guesser). */
  | { readonly status: 'wrong'; readonly triesLeft: number }
  | { readonly status: 'locked' }
  /** Too many wrong codes in Guichet as a whole this hour: nobody's are checked for a while. */
  | { readonly status: 'busy' }
  /** The helper typed their own code. */
  | { readonly status: 'own' }
  | { readonly status: 'already' };

export type CodeCreation =
  | { readonly status: 'created'; readonly code: string }
  | { readonly status: 'too-many-live' | 'too-many-today'; readonly count: number }
  /** No free code found in a few draws (the space is being filled): said plainly, never a loop. */
  | { readonly status: 'busy' };

export type LinkOutcome =
  | { readonly status: 'linked'; readonly helperId: string; readonly caseId: string }
  | { readonly status: 'declined'; readonly helperId: string }
  /** Used or expired between checking and answering. */
  | { readonly status: 'gone' };

/** Ten digits in pairs, read out like a French phone number: 48 29 13 55 70. */
export function formatCode(code: string): string {
  return code.replace(/(\d\d)(?=\d)/g, '$1 ');
}

/** What the person asked to agree sees of the helper besides the name they typed. */
export function helperHint(from: Address, username: string | null): string | null {
  if (from.channel === 'telegram') return username && /^[A-Za-z0-9_]{5,32}$/.test(username) ? `@${username}` : null;
  if (from.channel === 'whatsapp') {
    const phone = /^(\d{6,15})@s\.whatsapp\.net$/.exec(from.address)?.[1];
    return phone ? phone.slice(-2) : null;
  }
  if (from.channel === 'sms') return /^\+?\d{6,15}$/.test(from.address) ? from.address.slice(-2) : null;
  return null;
}

/**
 * Linking a helper to the case of the person they help, with that person's
 * consent: the helper gets a single-use code, the person helped sends it to
 * Guichet from their own phone and agrees. Codes are stored as an HMAC only;
 * wrong tries are counted per sending identity (another HMAC), so that
 * erasing one's data and starting again does not give more tries.
 */
export class LinkCodes {
  constructor(
    private readonly store: Store,
    private readonly secret: Buffer,
  ) {}

  private hash(code: string): string {
    return createHmac('sha256', this.secret).update(code).digest('hex');
  }

  /** The sender of a typed code, as the store counts their tries: no address kept in clear. */
  sender(from: Address): string {
    return createHmac('sha256', this.secret).update(`link-try\u0000${from.channel}\u0000${from.address}`).digest('hex');
  }

  /** A fresh code for a helper; the code itself is returned once and never stored. */
  async create(helperId: string, helperName: string, label: string, from: { readonly channel: ChannelName; readonly hint: string | null }, now: number): Promise<CodeCreation> {
    const live = await this.store.links.liveCount(helperId, now);
    if (live >= MAX_LIVE_CODES) return { status: 'too-many-live', count: live };
    const today = await this.store.links.createdSince(helperId, now - 24 * HOUR_MS);
    if (today >= MAX_CODES_PER_DAY) return { status: 'too-many-today', count: today };
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const code = String(randomInt(1, 10)) + String(randomInt(0, 10 ** (CODE_DIGITS - 1))).padStart(CODE_DIGITS - 1, '0');
      const created = await this.store.links.create({
        id: randomUUID(),
        codeHash: this.hash(code),
        helperId,
        helperName,
        label,
        helperChannel: from.channel,
        helperHint: from.hint,
        createdAt: now,
        expiresAt: now + LINK_CODE_TTL_MS,
      });
      if (created) return { status: 'created', code };
    }
    return { status: 'busy' };
  }

  /** Check a code typed by the person to be helped; wrong tries count towards the locks. */
  async check(from: Address, personId: string, code: string, now: number): Promise<CodeCheck> {
    const who = this.sender(from);
    const since = now - FAILURE_WINDOW_MS;
    if ((await this.store.links.failuresSince(who, since)) >= MAX_WRONG_CODES) return { status: 'locked' };
    if ((await this.store.links.allFailuresSince(now - HOUR_MS)) >= MAX_WRONG_CODES_PER_HOUR) return { status: 'busy' };
    const found = await this.store.links.findLive(this.hash(code), now);
    if (!found) {
      const failures = await this.store.links.recordFailure(who, now, since);
      return failures >= MAX_WRONG_CODES ? { status: 'locked' } : { status: 'wrong', triesLeft: MAX_WRONG_CODES - failures };
    }
    if (found.helperId === personId) return { status: 'own' };
    const ownCase = await this.store.cases.ensureOwnCase(personId, now);
    if ((await this.store.cases.role(ownCase, found.helperId)) !== undefined) return { status: 'already' };
    return { status: 'ok', codeId: found.id, helperName: found.helperName, helperChannel: found.helperChannel, helperHint: found.helperHint };
  }

  /** The person helped agreed: the code is spent and the helper joins their own case. */
  async accept(personId: string, codeId: string, now: number): Promise<LinkOutcome> {
    const code = await this.store.links.get(codeId);
    if (!code || code.helperId === personId || !(await this.store.links.consume(codeId, now))) return { status: 'gone' };
    const caseId = await this.store.cases.ensureOwnCase(personId, now);
    await this.store.cases.addHelper(caseId, { personId: code.helperId, name: code.helperName, label: code.label }, now);
    await this.store.cases.logActivity({ caseId, personId: code.helperId, action: 'joined', at: now });
    return { status: 'linked', helperId: code.helperId, caseId };
  }

  /** The person helped said no: the code is spent all the same, so it cannot be tried again. */
  async decline(codeId: string, now: number): Promise<LinkOutcome> {
    const code = await this.store.links.get(codeId);
    if (!code || !(await this.store.links.consume(codeId, now))) return { status: 'gone' };
    return { status: 'declined', helperId: code.helperId };
  }
}
