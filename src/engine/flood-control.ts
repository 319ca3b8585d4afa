/**
 * Per-person flood control. People type a message every few seconds; a
 * script, a stuck key or a forwarded chat history sends dozens a second.
 * Each person has a token bucket: a burst of `burst` messages goes through at
 * once, then one per `1 / perSecond` seconds. Messages above that are not
 * dropped: they wait their turn (in order, behind the person's lock). Only
 * beyond `maxQueued` waiting messages are new ones refused — before anything
 * is claimed or saved, so nothing accepted is ever lost. The person is told
 * once per burst, politely, in either case.
 */
export interface FloodPolicy {
  readonly burst: number;
  readonly perSecond: number;
  readonly maxQueued: number;
}

/** Fast enough for anyone tapping buttons; far below a script. */
export const DEFAULT_FLOOD_POLICY: FloodPolicy = { burst: 8, perSecond: 1, maxQueued: 30 };

interface Bucket {
  tokens: number;
  updatedAt: number;
  queued: number;
  /** Told in this burst already: not again until the bucket is full again. */
  warned: boolean;
}

export type Admission = 'accepted' | 'refused';
/** `slowed-first`: this message waited and the person has not been told yet. */
export type Pace = 'immediate' | 'slowed' | 'slowed-first';

/** Idle buckets are swept every this many admissions. */
const SWEEP_EVERY = 256;

export class FloodControl {
  private readonly buckets = new Map<string, Bucket>();
  private admissions = 0;

  constructor(
    private readonly policy: FloodPolicy,
    private readonly now: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /**
   * On arrival, in arrival order, before the person's lock. A refused message
   * must not be handled; `firstRefusal` says whether to tell the person.
   */
  admit(key: string): { admission: Admission; firstRefusal: boolean } {
    if (++this.admissions % SWEEP_EVERY === 0) this.sweep();
    const bucket = this.bucket(key);
    if (bucket.queued >= this.policy.maxQueued) {
      const firstRefusal = !bucket.warned;
      bucket.warned = true;
      return { admission: 'refused', firstRefusal };
    }
    bucket.queued++;
    return { admission: 'accepted', firstRefusal: false };
  }

  /** Inside the person's lock, before handling an accepted message: waits for a token. */
  async pace(key: string): Promise<Pace> {
    const bucket = this.bucket(key);
    this.refill(bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 'immediate';
    }
    const wait = ((1 - bucket.tokens) / this.policy.perSecond) * 1000;
    const first = !bucket.warned;
    bucket.warned = true;
    await this.sleep(wait);
    this.refill(bucket);
    bucket.tokens = Math.max(0, bucket.tokens - 1);
    return first ? 'slowed-first' : 'slowed';
  }

  /** The accepted message was handled (or failed): it no longer waits. */
  done(key: string): void {
    const bucket = this.buckets.get(key);
    if (bucket) bucket.queued = Math.max(0, bucket.queued - 1);
  }

  /**
   * Forget people with nothing waiting whose bucket has filled up again: a
   * full bucket is the same as a new one, so memory follows the people
   * writing right now, not everyone ever seen.
   */
  sweep(): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.queued > 0) continue;
      this.refill(bucket);
      if (bucket.tokens >= this.policy.burst) this.buckets.delete(key);
    }
  }

  /** People currently tracked (for tests and health figures). */
  get tracked(): number {
    return this.buckets.size;
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.policy.burst, updatedAt: this.now(), queued: 0, warned: false };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(this.policy.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.policy.perSecond);
    bucket.updatedAt = now;
    if (bucket.tokens >= this.policy.burst) bucket.warned = false;
  }
}
