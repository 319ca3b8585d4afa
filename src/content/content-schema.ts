import { z } from 'zod';

/**
 * Content is data a content editor changes without touching code. Every file
 * is checked at start-up: a mistake stops Guichet with the file and field
 * named, rather than reaching a person as a broken message.
 */

const factId = z.string().regex(/^F-[A-Z0-9-]+$/, 'fact ids look like F-SOMETHING');
const i18nKey = z.string().regex(/^[a-z_]+(\.[a-z_0-9]+)+$/, 'expected an i18n key such as in_person.intro');

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');

/**
 * A source is a page a content editor can open and re-read: https, and a
 * path below the site's home page (a bare domain proves nothing).
 */
function sourceProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a URL';
  }
  if (parsed.protocol !== 'https:') return 'must use https';
  if (parsed.pathname.length <= 1) return 'must be a page, not the bare domain or home page';
  return undefined;
}

export const factSchema = z
  .object({
    id: factId,
    statement: z.string().min(10),
    sources: z.array(z.object({ label: z.string().min(1), url: z.url() })),
    /** When the fact was last checked against its sources. */
    checked: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/, 'expected YYYY-MM or YYYY-MM-DD'),
    /** When it must be checked again (`npm run facts` lists the ones due). */
    reviewBy: isoDay,
    status: z.enum(['verified', 'unverified']),
  })
  .superRefine((f, ctx) => {
    if (f.status === 'verified' && f.sources.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['sources'], message: `fact ${f.id}: a verified fact needs at least one source` });
    }
    f.sources.forEach((source, i) => {
      const problem = sourceProblem(source.url);
      if (problem) ctx.addIssue({ code: 'custom', path: ['sources', i, 'url'], message: `fact ${f.id}: source ${source.url} ${problem}` });
    });
    // A month alone counts from its first day.
    const checkedDay = f.checked.length === 7 ? `${f.checked}-01` : f.checked;
    if (f.reviewBy < checkedDay) {
      ctx.addIssue({ code: 'custom', path: ['reviewBy'], message: `fact ${f.id}: reviewBy ${f.reviewBy} is before checked ${f.checked}` });
    }
  });

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
  /** One line for the triage result: cost, proof to keep, delay. Routes triage does not rank have none. */
  summary: i18nKey.optional(),
  steps: z.array(routeStepSchema).min(1),
});

export type Fact = z.infer<typeof factSchema>;
export type RouteContent = z.infer<typeof routeSchema>;
export type RouteStep = z.infer<typeof routeStepSchema>;
