import type { Params, Text } from '../../machines/lib/intents.js';
import type { FactIndex } from '../content/fact-index.js';

/** Facts listed by one "source": enough for what one screen states, few enough to read. */
export const MAX_SOURCES_SHOWN = 6;

/**
 * "source": where the legal statements the person just read come from. One
 * message per fact: its sources (title and address), the day it was checked
 * and whether it is confirmed. Only ids and public references: nothing of
 * the person's own case.
 */
export function sourceTexts(index: FactIndex, factIds: readonly string[]): Text[] {
  const facts = factIds.flatMap((id) => index.fact(id) ?? []).slice(0, MAX_SOURCES_SHOWN);
  if (facts.length === 0) return [{ key: 'source.none' }];
  const texts: Text[] = [{ key: 'source.intro' }];
  for (const fact of facts) {
    const checked: Params[string] = /^\d{4}-\d{2}-\d{2}$/.test(fact.checked) ? { date: fact.checked } : { month: `${fact.checked}-01` };
    texts.push({
      key: fact.status === 'verified' ? 'source.fact_verified' : 'source.fact_unverified',
      params: {
        sources: fact.sources.map((s) => `${s.label}\n${s.url}`).join('\n'),
        checked,
      },
    });
  }
  return texts;
}

/** Every i18n key inside a text, its parameters included (a route name inside a list line). */
export function keysOf(text: Text): string[] {
  const keys = [text.key];
  for (const value of Object.values(text.params ?? {})) {
    if (typeof value === 'object' && 'key' in value) keys.push(...keysOf(value));
  }
  return keys;
}
