export interface PacerOptions {
  /** Shortest gap between two proactive messages from the account. */
  readonly minIntervalMs: number;
  /** Extra random gap, up to this much, so the rhythm does not look automated. */
  readonly jitterMs: number;
  /** Most proactive messages in one day (the day as the clock sees it, YYYY-MM-DD). */
  readonly dailyCap: number;
  readonly now: () => number;
  readonly today: () => string;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/**
 * Spaces messages Guichet sends on its own initiative (reminders) on one
 * WhatsApp account: one at a time, at least `minIntervalMs` apart plus
 * jitter, and no more than `dailyCap` a day. Sending faster than about one
 * message a second risks a ban of the number. Replies to a person are not
 * paced: they answer a message and keep their order per chat.
 */
export class ProactivePacer {
  private tail: Promise<unknown> = Promise.resolve();
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private day = '';
  private sentToday = 0;

  constructor(private readonly options: PacerOptions) {}

  /** Runs `send` when its turn comes; resolves false without sending when today's cap is reached. */
  schedule(send: () => Promise<void>): Promise<boolean> {
    const turn = this.tail.then(() => this.take(send));
    this.tail = turn.catch(() => undefined);
    return turn;
  }

  private async take(send: () => Promise<void>): Promise<boolean> {
    const { options } = this;
    const today = options.today();
    if (today !== this.day) {
      this.day = today;
      this.sentToday = 0;
    }
    if (this.sentToday >= options.dailyCap) return false;
    const gap = options.minIntervalMs + Math.round((options.random ?? Math.random)() * options.jitterMs);
    const wait = this.lastSentAt + gap - options.now();
    if (wait > 0) await options.sleep(wait);
    this.sentToday++;
    this.lastSentAt = options.now();
    await send();
    return true;
  }
}
