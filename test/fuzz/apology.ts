import { LANGUAGES } from '../../machines/lib/intents.js';
import type { Renderer } from '../../src/engine/render.js';

/** The generic "something went wrong on my side" apology, in every language Guichet speaks, as it is sent (Arabic with its Latin runs isolated). */
export function apologyTexts(renderer: Renderer): string[] {
  return LANGUAGES.map((lang) => renderer.text(lang, { key: 'common.error' }));
}

/** Whether any reply is the generic apology, in any language. */
export function containsApology(replies: string, apologies: readonly string[]): boolean {
  return apologies.some((apology) => replies.includes(apology));
}
