/**
 * The turns a channel has handed to the engine and that have not finished.
 * A channel starts each turn as its message arrives and does not wait for it:
 * one person's burst (slowed by flood control, inside the engine) must not
 * hold up anyone else's first reply. The engine keeps each person's messages
 * in arrival order and refuses a flood before queueing it; this bounds the
 * whole: past `max` turns in flight, a channel that can wait (polling) waits,
 * and one that cannot (a webhook) answers "busy" so that Telegram sends again.
 */
export class InboundTurns {
  private readonly running = new Set<Promise<void>>();
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get size(): number {
    return this.running.size;
  }

  get full(): boolean {
    return this.running.size >= this.max;
  }

  /** Starts the turn now (the engine admits it in arrival order) and returns at once. */
  start(turn: () => Promise<void>): void {
    const running: Promise<void> = turn()
      .catch(this.onError)
      .finally(() => {
        this.running.delete(running);
        this.waiting.shift()?.();
      });
    this.running.add(running);
  }

  /** Resolves when another turn may start. */
  async room(): Promise<void> {
    while (this.full) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once every turn started has finished (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}

/** Turns in flight per channel before it waits or answers busy: far above real use, far below exhausting memory. */
export const MAX_TURNS_IN_FLIGHT = 2_000;
