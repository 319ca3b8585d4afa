import type { Fact } from './content-schema.js';
import type { Content } from './load-content.js';

/**
 * Which facts each sentence states: route steps name theirs in the route
 * files, every other sentence that states law in content/facts/statements.json.
 * "source" shows, for what the person just read, where it comes from.
 */
export interface FactIndex {
  /** Fact ids a sentence (an i18n key) rests on; empty for a sentence that states no law. */
  factsOf(key: string): readonly string[];
  fact(id: string): Fact | undefined;
}

export function buildFactIndex(content: Content, statements: ReadonlyMap<string, readonly string[]>): FactIndex {
  const byKey = new Map<string, string[]>();
  const add = (key: string, ids: readonly string[]) => {
    const list = byKey.get(key) ?? [];
    for (const id of ids) if (!list.includes(id)) list.push(id);
    byKey.set(key, list);
  };
  for (const route of content.routes.values()) {
    for (const step of route.steps) {
      add(step.text, step.facts);
      for (const item of step.checklist ?? []) add(item, step.facts);
    }
  }
  for (const [key, ids] of statements) add(key, ids);
  return {
    factsOf: (key) => byKey.get(key) ?? [],
    fact: (id) => content.facts.get(id),
  };
}
