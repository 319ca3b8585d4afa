/** MongoDB's "duplicate key" error: an insert lost to one with the same `_id` or unique key. */
export const isDuplicateKey = (error: unknown): boolean => typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
