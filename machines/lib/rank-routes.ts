import type { FlowId } from './intents.js';

/** What triage learnt about the person. */
export interface TriageAnswers {
  /** `first-multi`: a first multi-year card or a first resident card. */
  readonly need: 'first' | 'first-multi' | 'renewal' | 'naturalisation' | 'recepisse';
  /** Days until the permit or récépissé ends: negative or 0 when expired, null when unknown. */
  readonly daysLeft: number | null;
  readonly smartphone: boolean;
  readonly helper: boolean;
  readonly travel: boolean;
}

export const RANKED_ROUTES = [
  'route.digital-help',
  'route.phone',
  'route.in-person',
  'route.trusted-person',
  'route.registered-letter',
  'route.mobile-desks',
  'route.ngo',
  'route.court',
] as const satisfies readonly FlowId[];
export type RankedRoute = (typeof RANKED_ROUTES)[number];

/**
 * Routes through which a request is filed or an appointment obtained. A
 * registered letter files nothing (F-POST-REQUEST): it is a trace of an
 * attempt, so it never comes before one of these that fits the person.
 */
const FILES_OR_BOOKS: readonly RankedRoute[] = ['route.digital-help', 'route.phone', 'route.in-person', 'route.trusted-person', 'route.mobile-desks', 'route.court'];

/** Below this score a route does not fit the person at all. */
const FITS = 0;

/** How many ways the result shows: enough to choose, few enough for a small screen. */
export const SHOWN_ROUTES = 4;

/**
 * Orders the routes for one person. Urgency first: an expired permit puts
 * NGOs and lawyers, then the court, at the top (F-REFERE: urgency is presumed
 * for a renewal). Then what the person can do: travel, a helper, a phone.
 * The registered letter comes after every route that files or books.
 * Pure and deterministic, so the same answers always give the same list.
 */
export function rankRoutes(answers: TriageAnswers): RankedRoute[] {
  const score = scoreRoutes(answers);
  // Ties keep the order of RANKED_ROUTES: free and simple ways first.
  return [...RANKED_ROUTES].sort((a, b) => score[b] - score[a]);
}

/** The routes through which a request is filed or booked that fit the person (can be used at all). */
export function filesOrBooksAndFits(answers: TriageAnswers): RankedRoute[] {
  const score = scoreRoutes(answers);
  return FILES_OR_BOOKS.filter((id) => score[id] > FITS);
}

/** How well each route fits: higher first; at or below FITS, not at all. */
function scoreRoutes(answers: TriageAnswers): Record<RankedRoute, number> {
  const expired = answers.daysLeft !== null && answers.daysLeft <= 0;
  const soon = answers.daysLeft !== null && answers.daysLeft > 0 && answers.daysLeft < 60;
  const stuckRenewal = answers.need === 'renewal' || answers.need === 'recepisse';
  const score: Record<RankedRoute, number> = {
    'route.digital-help': 5 + (answers.smartphone ? 0 : 2) + (answers.travel ? 1 : -5),
    'route.phone': 4,
    'route.in-person': 4 + (answers.need === 'first' || answers.need === 'first-multi' || answers.need === 'recepisse' ? 2 : 0) + (answers.smartphone || answers.helper ? 0 : 2) + (answers.travel ? 0 : -8),
    'route.trusted-person': answers.helper ? 6 : 1,
    'route.registered-letter': 2 + (expired || soon ? 2 : 0),
    'route.mobile-desks': answers.travel ? 1 : 6,
    'route.ngo': 2 + (expired ? 10 : soon ? 4 : 0),
    // Above every ordinary way for an expired renewal: the urgent path comes first.
    'route.court': expired && stuckRenewal ? 9 : soon && stuckRenewal ? 3 : 0,
  };
  // Naturalisation is filed online, with an alternative for people without
  // digital access (F-NATURALISATION-ONLINE): no letter, no prefecture desk.
  if (answers.need === 'naturalisation') {
    score['route.registered-letter'] = -20;
    score['route.in-person'] = -20;
  }
  const fitting = FILES_OR_BOOKS.map((id) => score[id]).filter((s) => s > FITS);
  if (fitting.length > 0) score['route.registered-letter'] = Math.min(score['route.registered-letter'], Math.min(...fitting) - 0.5);
  return score;
}
