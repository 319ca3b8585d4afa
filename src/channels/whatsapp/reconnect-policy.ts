import { DisconnectReason } from '@whiskeysockets/baileys';

export type ReconnectDecision =
  | { readonly action: 'relink' }
  | { readonly action: 'stop'; readonly reason: 'replaced' | 'forbidden' }
  | { readonly action: 'reconnect'; readonly delayMs: number };

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * What to do when the WhatsApp connection closes. Baileys never reconnects by
 * itself. Logged out: wipe the credentials and link again. Replaced by another
 * session, or forbidden: stop and say so. Restart required: reconnect at once.
 * Anything else: exponential back-off with jitter (half to all of the step), so instances do
 * not hammer WhatsApp in step. `random` is injected for tests.
 */
export function decideReconnect(statusCode: number | undefined, attempt: number, backoff: BackoffOptions, random: () => number = Math.random): ReconnectDecision {
  switch (statusCode) {
    case DisconnectReason.loggedOut:
      return { action: 'relink' };
    case DisconnectReason.connectionReplaced:
      return { action: 'stop', reason: 'replaced' };
    case DisconnectReason.forbidden:
      return { action: 'stop', reason: 'forbidden' };
    case DisconnectReason.restartRequired:
      return { action: 'reconnect', delayMs: 0 };
    default: {
      const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(attempt, 20));
      return { action: 'reconnect', delayMs: Math.round(ceiling / 2 + random() * (ceiling / 2)) };
    }
  }
}
