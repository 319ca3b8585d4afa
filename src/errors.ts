/**
 * Typed errors carrying what is needed to act on them. None of them carries
 * personal data: messages name variables, ids and operations only.
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Guichet cannot start: the configuration is wrong.\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

export class StoreError extends Error {
  override readonly name: string = 'StoreError';
  constructor(message: string, readonly operation: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Another writer saved the conversation first; reload and apply the message again. */
export class RevisionConflictError extends StoreError {
  override readonly name = 'RevisionConflictError';
  constructor(readonly personId: string, readonly expectedRev: number) {
    super(`conversation changed since revision ${expectedRev}`, 'conversations.save');
  }
}

export class ContentError extends Error {
  override readonly name = 'ContentError';
}
