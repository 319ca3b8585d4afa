import { describe, expect, it } from 'vitest';
import { filesOrBooksAndFits, rankRoutes, RANKED_ROUTES, type TriageAnswers } from '../../machines/lib/rank-routes.js';

const base: TriageAnswers = { need: 'renewal', daysLeft: 200, smartphone: true, helper: false, travel: true };

describe('rankRoutes', () => {
  it('always returns every route once', () => {
    expect([...rankRoutes(base)].sort()).toEqual([...RANKED_ROUTES].sort());
  });

  it.each([
    ['an expired renewal: NGOs first, then court', { ...base, daysLeft: -3 }, ['route.ngo', 'route.court']],
    ['an expired récépissé (0 days left): NGOs first', { ...base, need: 'recepisse', daysLeft: 0 }, ['route.ngo']],
    ['cannot travel: mobile desks before help desks', { ...base, travel: false }, ['route.mobile-desks']],
    ['an expired renewal without a smartphone: court still before the help desks', { ...base, daysLeft: -1, smartphone: false }, ['route.ngo', 'route.court']],
    ['has a helper and no smartphone', { ...base, helper: true, smartphone: false }, ['route.digital-help', 'route.trusted-person']],
    ['plenty of time, can travel: help desks first', base, ['route.digital-help']],
  ] as const)('%s', (_name, answers, top) => {
    expect(rankRoutes(answers as TriageAnswers).slice(0, top.length)).toEqual(top);
  });

  it('never sends someone who cannot travel to the prefecture first', () => {
    for (const need of ['first', 'renewal', 'naturalisation', 'recepisse'] as const) {
      const ranked = rankRoutes({ ...base, need, travel: false, smartphone: false });
      expect(ranked.indexOf('route.in-person')).toBeGreaterThan(3);
    }
  });

  it('raises the court for a renewal ending within 60 days, not for a first permit', () => {
    const renewal = rankRoutes({ ...base, daysLeft: 30 });
    const first = rankRoutes({ ...base, need: 'first', daysLeft: 30 });
    expect(renewal.indexOf('route.court')).toBeLessThan(first.indexOf('route.court'));
  });

  it('never ranks the registered letter, which files nothing, above a route that files or books and fits', () => {
    let compared = 0;
    for (const need of ['first', 'first-multi', 'renewal', 'naturalisation', 'recepisse'] as const) {
      for (const daysLeft of [-5, 0, 20, 59, 200, null]) {
        for (let flags = 0; flags < 8; flags++) {
          const answers: TriageAnswers = { need, daysLeft, smartphone: (flags & 1) > 0, helper: (flags & 2) > 0, travel: (flags & 4) > 0 };
          const ranked = rankRoutes(answers);
          const letter = ranked.indexOf('route.registered-letter');
          for (const id of filesOrBooksAndFits(answers)) {
            expect(ranked.indexOf(id), `${JSON.stringify(answers)}: ${id}`).toBeLessThan(letter);
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('leaves the registered letter and the prefecture desk out of the first routes for naturalisation', () => {
    const ranked = rankRoutes({ ...base, need: 'naturalisation', daysLeft: null, travel: true, smartphone: false });
    expect(ranked.slice(0, 4)).not.toContain('route.registered-letter');
    expect(ranked.slice(0, 4)).not.toContain('route.in-person');
  });
});
