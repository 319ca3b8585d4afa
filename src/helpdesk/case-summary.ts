import type { Language } from '../../machines/lib/intents.js';
import { PROOF_KIND_LABELS } from '../../machines/proof-describe.machine.js';
import { DATE_LINES } from '../engine/date-effects.js';
import type { Renderer } from '../engine/render.js';
import type { Handoff, Store } from '../store/ports.js';
import type { VolunteerTexts } from './volunteer-texts.js';

/** The flow a person was in, named as the French menu names it. */
const FLOW_MENU_KEYS: Readonly<Record<string, string>> = {
  triage: 'menu.triage',
  'route.oqtf': 'menu.oqtf',
  'route.digital-help': 'menu.digital_help',
  'route.phone': 'menu.phone',
  'route.in-person': 'menu.in_person',
  'route.trusted-person': 'menu.trusted_person',
  'route.registered-letter': 'menu.registered_letter',
  'route.mobile-desks': 'menu.mobile_desks',
  'route.ngo': 'menu.ngo',
  'route.court': 'menu.court',
  dates: 'menu.dates',
  proofs: 'menu.proofs',
  family: 'menu.family',
};

export interface CaseSummary {
  readonly language: Language;
  /** The département the person gave in a route (a postcode, a town), or null. */
  readonly departement: string | null;
  /** The route the person was on, in French, or null (the menu). */
  readonly route: string | null;
  /** The summary note, in French, for the volunteers only. */
  readonly text: string;
}

/**
 * What the volunteers are told when a person asks for them, in French: the
 * pseudonym, the language, the route and its step, the case's dates, the
 * names and dates of its documents — never their contents, never a name,
 * a number or a chat id.
 */
export async function caseSummary(store: Store, renderer: Renderer, texts: VolunteerTexts, handoff: Handoff): Promise<CaseSummary> {
  const person = await store.people.get(handoff.personId);
  const language = person?.language ?? 'fr';
  const frames = (await store.conversations.load(handoff.personId))?.state.frames ?? [];
  const routeFrame = [...frames].reverse().find((f) => FLOW_MENU_KEYS[f.machineId]);
  const route = routeFrame ? renderer.t('fr', FLOW_MENU_KEYS[routeFrame.machineId]!) : null;
  const step = routeFrame ? stepOf(routeFrame.snapshot) : null;
  const departement = frames.map((f) => departementIn(f.snapshot, 0)).find((d) => d !== null) ?? null;
  const dates = await store.reminders.listDates(handoff.caseId);
  const items = await store.vault.list(handoff.caseId);
  const calls = await store.cases.listRecords(handoff.caseId, 'call-log');
  const helper = (await store.cases.role(handoff.caseId, handoff.personId)) === 'helper';
  const t = texts.data.summary;
  const fill = (template: string, params?: Readonly<Record<string, string | number>>) => texts.fill(template, params);
  const lines = [
    fill(t.title, { pseudonym: handoff.pseudonym }),
    fill(t.language, { language: texts.data.languages[language] }),
    ...(departement ? [fill(t.departement, { departement })] : []),
    ...(helper ? [t.helper] : []),
    route ? (step ? fill(t.route_step, { route, step }) : fill(t.route, { route })) : t.no_route,
    dates.length > 0 ? t.dates : t.no_dates,
    ...dates.flatMap((d) => {
      const date = d.data.date;
      if (!date) return [];
      const params = d.kind === 'planned-filing' ? { date: { month: date } } : { date: { date } };
      return [renderer.text('fr', { key: DATE_LINES[d.kind], params })];
    }),
    items.length > 0 ? fill(t.documents, { count: items.length }) : t.no_documents,
    ...items.map((i) => {
      const kind = i.kind ? renderer.t('fr', PROOF_KIND_LABELS[i.kind]) : t.undescribed;
      return i.documentDate ? fill(t.document_dated, { kind, date: digits(i.documentDate) }) : fill(t.document, { kind });
    }),
    ...(calls.length > 0 ? [fill(t.calls, { count: calls.length })] : []),
    t.footer,
  ];
  return { language, departement, route, text: lines.join('\n') };
}

/** The state a route stood at, as its machine names it ("ask_time"), for the volunteers' orientation. */
function stepOf(snapshot: unknown): string | null {
  const value = (snapshot as { value?: unknown } | null)?.value;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? null;
  return null;
}

function digits(iso: string): string {
  const [year, month, day] = iso.split('-');
  return `${day}/${month}/${year}`;
}

/** Deep enough for a flow's context (a place sits two or three levels down); bounded for odd snapshots. */
const MAX_DEPTH = 6;

/** A département code a flow keeps in its context (a place looked up from a postcode or a town). */
function departementIn(value: unknown, depth: number): string | null {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return null;
  const code = (value as { departementCode?: unknown }).departementCode;
  if (typeof code === 'string' && /^(\d{2,3}|2[AB])$/.test(code)) return code;
  for (const child of Object.values(value)) {
    const found = departementIn(child, depth + 1);
    if (found) return found;
  }
  return null;
}
