import { HttpError, type Transformer } from 'grammy';

export interface RetryOptions {
  /** Attempts after the first one. */
  readonly maxRetries: number;
  /** Longest wait honoured for a 429 retry_after, in seconds. */
  readonly maxRetryAfterSeconds: number;
  /** First back-off for 5xx and network errors, doubled each time. */
  readonly baseDelayMs: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Bounded retries for calls to the Bot API: a 429 waits what Telegram asks
 * (capped), a 5xx or a network failure backs off exponentially; anything else
 * — and a call that keeps failing — is returned to the caller as it is.
 * getUpdates is left alone: grammY's polling loop retries it itself.
 */
export function retryTransformer(options: RetryOptions): Transformer {
  const sleep = options.sleep ?? defaultSleep;
  return async (prev, method, payload, signal) => {
    if (method === 'getUpdates') return prev(method, payload, signal);
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= options.maxRetries;
      try {
        const result = await prev(method, payload, signal);
        if (result.ok || last) return result;
        if (result.error_code === 429) {
          const wait = Math.min(result.parameters?.retry_after ?? 1, options.maxRetryAfterSeconds);
          await sleep(wait * 1000);
          continue;
        }
        if (result.error_code >= 500) {
          await sleep(options.baseDelayMs * 2 ** attempt);
          continue;
        }
        return result;
      } catch (error) {
        if (!(error instanceof HttpError) || last) throw error;
        await sleep(options.baseDelayMs * 2 ** attempt);
      }
    }
  };
}
