import { join } from 'node:path';
import { z } from 'zod';
import { ContentError } from '../errors.js';
import { readJson, type Content } from './load-content.js';

const statementsSchema = z.object({
  /** i18n key → the fact ids the sentence states. */
  statements: z.record(
    z.string().regex(/^[a-z_]+(\.[a-z_0-9]+)+$/, 'expected an i18n key such as reminders.anef_open'),
    z.array(z.string().regex(/^F-[A-Z0-9-]+$/)).min(1),
  ),
});

/**
 * The facts behind each sentence that states law outside the route files
 * (reminders, dates, triage, documents). Checked against the ledger: a
 * sentence citing a fact that does not exist stops start-up.
 */
export function loadStatements(contentDir: string, content: Content): ReadonlyMap<string, readonly string[]> {
  const file = join(contentDir, 'facts', 'statements.json');
  const { statements } = readJson(file, statementsSchema);
  for (const [key, ids] of Object.entries(statements)) {
    for (const id of ids) if (!content.facts.has(id)) throw new ContentError(`statements.json: ${key} cites unknown fact ${id}`);
  }
  return new Map(Object.entries(statements));
}
