import type { FlowId } from './intents.js';

/** What triage learnt about the person. */
export interface TriageAnswers {
  readonly need: 'first' | 'renewal' | 'naturalisation' | 'recepisse';
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

/** How many ways the result shows: enough to choose, few enough for a small screen. */
export const SHOWN_ROUTES = 4;

/**
 * Orders the routes for one person. Urgency first: an expired permit puts
 * NGOs and lawyers, then the court, at the top (F-REFERE: urgency is presumed
 * for a renewal). Then what the person can do: travel, a helper, a phone.
 * Pure and deterministic, so the same answers always give the same list.
 */
export function rankRoutes(answers: TriageAnswers): RankedRoute[] {
  const expired = answers.daysLeft !== null && answers.daysLeft <= 0;
  const soon = answers.daysLeft !== null && answers.daysLeft > 0 && answers.daysLeft < 60;
  const stuckRenewal = answers.need === 'renewal' || answers.need === 'recepisse';
  const score: Record<RankedRoute, number> = {
    'route.digital-help': 5 + (answers.smartphone ? 0 : 2) + (answers.travel ? 1 : -5),
    'route.phone': 4,
    'route.in-person': 4 + (answers.need === 'first' || answers.need === 'recepisse' ? 2 : 0) + (answers.smartphone || answers.helper ? 0 : 2) + (answers.travel ? 0 : -8),
    'route.trusted-person': answers.helper ? 6 : 1,
    'route.registered-letter': 2 + (expired || soon ? 2 : 0),
    'route.mobile-desks': answers.travel ? 1 : 6,
    'route.ngo': 2 + (expired ? 10 : soon ? 4 : 0),
    // Above every ordinary way for an expired renewal: the urgent path comes first.
    'route.court': expired && stuckRenewal ? 9 : soon && stuckRenewal ? 3 : 0,
  };
  // Ties keep the order of RANKED_ROUTES: free and simple ways first.
  return [...RANKED_ROUTES].sort((a, b) => score[b] - score[a]);
}
