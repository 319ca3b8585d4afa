import { createHmac, randomInt, randomUUID } from 'node:crypto';
import type { Store } from '../store/ports.js';

/** A code lives one day: long enough to reach a relative, short enough to be worthless if overheard later. */
export const LINK_CODE_TTL_MS = 24 * 3600_000;
/** Wrong codes a person may type in a day before code entry is locked for them until the day is over. */
export const MAX_WRONG_CODES = 5;
const FAILURE_WINDOW_MS = 24 * 3600_000;
const CODE_DIGITS = 6;

export type CodeCheck =
  | { readonly status: 'ok'; readonly codeId: string; readonly helperName: string }
  /** No live code matches (wrong, expired or already used: the person cannot tell them apart, neither can a guesser). */
  | { readonly status: 'wrong'; readonly triesLeft: number }
  | { readonly status: 'locked' }
  /** The helper typed their own code. */
  | { readonly status: 'own' }
  | { readonly status: 'already' };

export type LinkOutcome =
  | { readonly status: 'linked'; readonly helperId: string; readonly caseId: string }
  | { readonly status: 'declined'; readonly helperId: string }
  /** Used or expired between checking and answering. */
  | { readonly status: 'gone' };

/** Six digits shown in two groups, easy to read out over the phone. */
export function formatCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`;
}


/**
 * Linking a helper to the case of the person they help, with that person's
 * consent: the helper gets a single-use code, the person helped sends it to
 * Guichet from their own phone and agrees. Codes are stored as an HMAC only.
 */
export class LinkCodes {
  constructor(
    private readonly store: Store,
    private readonly secret: Buffer,
  ) {}

  private hash(code: string): string {
    return createHmac('sha256', this.secret).update(code).digest('hex');
  }

  /** A fresh code for a helper; the code itself is returned once and never stored. */
  async create(helperId: string, helperName: string, label: string, now: number): Promise<string> {
    for (;;) {
      const code = String(randomInt(0, 10 ** CODE_DIGITS)).padStart(CODE_DIGITS, '0');
      const created = await this.store.links.create({
        id: randomUUID(),
        codeHash: this.hash(code),
        helperId,
        helperName,
        label,
        createdAt: now,
        expiresAt: now + LINK_CODE_TTL_MS,
      });
      if (created) return code;
    }
  }

  /** Check a code typed by the person to be helped; wrong tries count towards the lock. */
  async check(personId: string, code: string, now: number): Promise<CodeCheck> {
    const since = now - FAILURE_WINDOW_MS;
    if ((await this.store.links.failuresSince(personId, since)) >= MAX_WRONG_CODES) return { status: 'locked' };
    const found = await this.store.links.findLive(this.hash(code), now);
    if (!found) {
      const failures = await this.store.links.recordFailure(personId, now, since);
      return failures >= MAX_WRONG_CODES ? { status: 'locked' } : { status: 'wrong', triesLeft: MAX_WRONG_CODES - failures };
    }
    if (found.helperId === personId) return { status: 'own' };
    const ownCase = await this.store.cases.ensureOwnCase(personId, now);
    if ((await this.store.cases.role(ownCase, found.helperId)) !== undefined) return { status: 'already' };
    return { status: 'ok', codeId: found.id, helperName: found.helperName };
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
