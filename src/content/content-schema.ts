import { z } from 'zod';

/**
 * Content is data a content editor changes without touching code. Every file
 * is checked at start-up: a mistake stops Guichet with the file and field
 * named, rather than reaching a person as a broken message.
 */

const factId = z.string().regex(/^F-[A-Z0-9-]+$/, 'fact ids look like F-SOMETHING');
const i18nKey = z.string().regex(/^[a-z_]+(\.[a-z_0-9]+)+$/, 'expected an i18n key such as in_person.intro');

export const factSchema = z
  .object({
    id: factId,
    statement: z.string().min(10),
    sources: z.array(z.object({ label: z.string().min(1), url: z.url() })),
    checked: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected YYYY-MM or YYYY-MM-DD'),
    status: z.enum(['verified', 'unverified']),
  })
  .refine((f) => f.status === 'unverified' || f.sources.length > 0, 'a verified fact needs at least one source');

export const factsFileSchema = z.object({ facts: z.array(factSchema).min(1) });

export const routeStepSchema = z.object({
  id: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
  text: i18nKey,
  /** Facts this step states; unverified ones must be worded "check with …". */
  facts: z.array(factId),
  /** Items shown as a bulleted list under the text. */
  checklist: z.array(i18nKey).optional(),
  /** Extra choices that open another route or a document flow. */
  links: z.array(z.object({ label: i18nKey, flow: z.string().min(1) })).optional(),
});

export const routeSchema = z.object({
  id: z.string().regex(/^route\.[a-z-]+$/),
  name: i18nKey,
  summary: z.object({ cost: i18nKey, proof: i18nKey, delay: i18nKey }),
  steps: z.array(routeStepSchema).min(1),
});

export type Fact = z.infer<typeof factSchema>;
export type RouteContent = z.infer<typeof routeSchema>;
export type RouteStep = z.infer<typeof routeStepSchema>;
