import { join } from 'node:path';
import { z } from 'zod';
import { LANGUAGES, type Language } from '../../machines/lib/intents.js';
import { readJson } from '../content/load-content.js';

/** What volunteers read, in French (content/helpdesk/fr.json), checked at start-up like the documents' texts. */
const schema = z.object({
  summary: z.object({
    title: z.string().includes('{{pseudonym}}'),
    language: z.string().includes('{{language}}'),
    departement: z.string().includes('{{departement}}'),
    helper: z.string().min(1),
    route: z.string().includes('{{route}}'),
    route_step: z.string().includes('{{route}}').includes('{{step}}'),
    no_route: z.string().min(1),
    dates: z.string().min(1),
    no_dates: z.string().min(1),
    documents: z.string().includes('{{count}}'),
    no_documents: z.string().min(1),
    document: z.string().includes('{{kind}}'),
    document_dated: z.string().includes('{{kind}}').includes('{{date}}'),
    undescribed: z.string().min(1),
    calls: z.string().includes('{{count}}'),
    footer: z.string().min(1),
  }),
  languages: z.object(Object.fromEntries(LANGUAGES.map((l) => [l, z.string().min(1)])) as Record<Language, z.ZodString>),
  notes: z.object({
    unknown_canned: z.string().includes('{{keys}}'),
    waiting: z.string().includes('{{pseudonym}}').includes('{{minutes}}'),
    not_delivered: z.string().includes('{{pseudonym}}').includes('{{tries}}'),
    file_lost: z.string().includes('{{pseudonym}}'),
  }),
});

export type VolunteerTextData = z.infer<typeof schema>;

export class VolunteerTexts {
  constructor(readonly data: VolunteerTextData) {}

  static load(contentDir: string): VolunteerTexts {
    return new VolunteerTexts(readJson(join(contentDir, 'helpdesk', 'fr.json'), schema));
  }

  /** A text with its {{params}} filled in. */
  fill(template: string, params: Readonly<Record<string, string | number>> = {}): string {
    return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
  }
}
