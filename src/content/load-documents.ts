import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CALL_OUTCOMES } from '../../machines/lib/intents.js';
import { ContentError } from '../errors.js';

/** The French document texts, checked at start-up so a content edit cannot break a document at run time. */
const documentsSchema = z.object({
  call_log: z.object({
    title: z.string().min(1),
    date: z.string().includes('{{date}}'),
    time: z.string().includes('{{time}}'),
    time_unknown: z.string().min(1),
    number: z.string().includes('{{number}}'),
    number_anef: z.string().min(1),
    agent: z.string().includes('{{agent}}'),
    agent_unknown: z.string().min(1),
    outcome: z.string().includes('{{outcome}}'),
    outcomes: z.object(Object.fromEntries(CALL_OUTCOMES.map((o) => [o, z.string().min(1)]))),
    notes: z.string().includes('{{notes}}'),
    footer: z.string().includes('{{date}}'),
  }),
});

export type DocumentTexts = z.infer<typeof documentsSchema>;

export function loadDocumentTexts(contentDir: string): DocumentTexts {
  const file = join(contentDir, 'documents', 'fr.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ContentError(`${file} is missing or not valid JSON`, { cause: error });
  }
  const parsed = documentsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ContentError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
}
