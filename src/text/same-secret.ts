import { timingSafeEqual } from 'node:crypto';

/** Two secrets compared in constant time: how long it takes says nothing of how much of a guess was right. */
export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
