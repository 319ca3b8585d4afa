import { assign, enqueueActions, setup } from 'xstate';
import { go, flowTypes, say } from './lib/dialogue.js';
import { choice, t, type FlowEvent, type FlowId, type Intent, type Place, type Prompt, type Text } from './lib/intents.js';
import { addMonths, daysBetween, parseIsoDate, toIsoDate } from './lib/calendar.js';
import { rankRoutes, SHOWN_ROUTES, type TriageAnswers } from './lib/rank-routes.js';
import { renewalStatus } from './lib/renewal-status.js';
import type { RouteContentData } from './lib/route-content.js';
import { isChoice } from './lib/steps.js';

/**
 * "Which way fits me?": what the person needs, how urgent, what they can do,
 * where they live; then the fitting routes, ranked, each with its cost, proof
 * to keep and usual delay, and a way to start it. An expulsion order goes to
 * the OQTF route from the very first question. For a first multi-year card,
 * a first resident card or naturalisation it says first that the civic exam
 * and the French level must be passed before filing (F-2026-EXAMS), and
 * offers reminders to prepare, from the month they plan to file.
 */
interface Context {
  need: TriageAnswers['need'] | null;
  expiry: string | null;
  expired: boolean;
  /** Days left on the day the result was shown. */
  daysLeft: number | null;
  /** The day the result was shown: what is open or closed is said as of then. */
  shownOn: string | null;
  smartphone: boolean;
  helper: boolean;
  travel: boolean;
  place: Place | null;
  /** Month chosen for filing (1-12), while its year is asked. */
  filingMonth: number | null;
  /** The first year offered for that month: this year, or next year once the month has passed. */
  thisYear: number;
}

// New needs go last: the numbers people already know keep their meaning.
const NEEDS = ['first', 'renewal', 'naturalisation', 'recepisse', 'first-multi'] as const;
/** Needs that come with a current permit whose end date matters. */
const WITH_EXPIRY: readonly string[] = ['first-multi', 'renewal', 'recepisse'];
/** Needs for which the exams of 2026 must be passed before filing. */
const WITH_EXAMS: readonly string[] = ['first-multi', 'naturalisation'];
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/** A month already past this year can only mean next year: the years offered start there. */
function firstYearFor(month: number, today: string): number {
  const now = parseIsoDate(today);
  return month < now.month ? now.year + 1 : now.year;
}

/** The planned filing month as the first day of that month, or undefined if already past. */
function filingDate(month: number, yearText: string, today: string): string | undefined {
  const year = Number(yearText);
  if (!Number.isInteger(year)) return undefined;
  const first = toIsoDate(year, month, 1);
  return first >= toIsoDate(parseIsoDate(today).year, parseIsoDate(today).month, 1) ? first : undefined;
}
const yesNo = (key: string): Prompt => ({ text: [t(key)], choices: [choice('yes', 'common.yes'), choice('no', 'common.no')] });
const expiryParams = { purpose: 'expiry', ask: 'triage.ask_expiry_day', confirm: 'triage.confirm_expiry', allow: 'any' } as const;
const placeParams = { purpose: 'triage', ask: 'triage.ask_place', announce: false } as const;

function answersOf(context: Context): TriageAnswers {
  return { need: context.need ?? 'first', daysLeft: context.daysLeft, smartphone: context.smartphone, helper: context.helper, travel: context.travel };
}

export function createTriageMachine(routes: ReadonlyMap<string, RouteContentData>) {
  const route = (id: string) => {
    const found = routes.get(id);
    if (!found) throw new Error(`triage needs route ${id} in content`);
    return found;
  };

  function resultPrompt(context: Context): Prompt {
    const ranked = rankRoutes(answersOf(context)).slice(0, SHOWN_ROUTES);
    const text: Text[] = [];
    if (context.daysLeft !== null && context.daysLeft <= 0) text.push(t('triage.result_expired'));
    else if (context.daysLeft !== null) text.push(t('triage.result_days_left', { count: context.daysLeft }));
    if (context.need === 'renewal' && (context.daysLeft === null || context.daysLeft > 0)) {
      // A window already open or already closed is said plainly; otherwise, how the deadline works.
      const status = context.expiry && context.shownOn ? renewalStatus(context.expiry, 'unknown', context.shownOn) : undefined;
      text.push(status ?? t('triage.renew_window'));
    }
    if (context.need === 'naturalisation') text.push(t('triage.naturalisation_online'));
    if (context.place) {
      text.push(t('triage.result_place', { departement: `${context.place.departementName} (${context.place.departementCode})`, city: context.place.prefectureCity }));
    }
    text.push(t('triage.algeria'));
    text.push(t('triage.result_title'), t('triage.result_pick'));
    // Each way named once, as the option to start it, with its cost, proof and delay on one line.
    const choices = ranked.map((id) => {
      const { name, summary } = route(id);
      return { ...choice(id, name), ...(summary ? { detail: t(summary) } : {}) };
    });
    return { text, choices };
  }

  return setup({
    types: flowTypes<Context>(),
    actions: {
      /** The month they plan to file, as a date of the case: its reminders prepare for the exams. */
      savePlannedFiling: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'CHOOSE') return;
        const date = filingDate(context.filingMonth ?? 0, event.choice, event.today);
        if (!date) return;
        enqueue.emit({ type: 'save-date', kind: 'planned-filing', data: { date } } satisfies Intent);
        enqueue.emit({ type: 'say', text: t(date < addMonths(event.today, 2) ? 'triage.exams_soon' : 'triage.exams_reminders') } satisfies Intent);
      }),
      computeDaysLeft: assign(({ context, event }) => ({
        daysLeft: context.expired ? 0 : context.expiry ? daysBetween(event.today, context.expiry) : null,
        shownOn: event.today,
      })),
    },
  }).createMachine({
    id: 'triage',
    context: { need: null, expiry: null, expired: false, daysLeft: null, shownOn: null, smartphone: false, helper: false, travel: false, place: null, filingMonth: null, thisYear: 0 },
    initial: 'need',
    states: {
      need: {
        meta: {
          prompt: () => ({
            text: [t('triage.ask_need')],
            choices: [choice('oqtf', 'triage.need_oqtf'), ...NEEDS.map((n) => choice(n, `triage.need_${n.replace('-', '_')}`))],
          }),
        },
        on: {
          CHOOSE: [
            { guard: isChoice('oqtf'), actions: go('route.oqtf') },
            {
              guard: ({ event }) => WITH_EXAMS.includes(event.choice),
              target: 'exams',
              actions: assign(({ event }) => ({ need: event.choice as Context['need'], expiry: null, expired: false })),
            },
            {
              guard: ({ event }) => WITH_EXPIRY.includes(event.choice),
              target: 'expiry',
              actions: assign(({ event }) => ({ need: event.choice as Context['need'] })),
            },
            {
              guard: ({ event }) => (NEEDS as readonly string[]).includes(event.choice),
              target: 'smartphone',
              actions: assign(({ event }) => ({ need: event.choice as Context['need'], expiry: null, expired: false })),
            },
          ],
        },
      },
      exams: {
        meta: { prompt: () => ({ text: [t('triage.exams')], choices: [choice('remind', 'triage.exams_remind'), choice('next', 'common.next')] }) },
        on: {
          CHOOSE: [
            { guard: isChoice('remind'), target: 'filingMonth' },
            { guard: ({ context, event }) => event.choice === 'next' && context.need === 'first-multi', target: 'expiry' },
            { guard: isChoice('next'), target: 'smartphone' },
          ],
          BACK: 'need',
        },
      },
      filingMonth: {
        meta: { prompt: () => ({ text: [t('triage.ask_filing_month')], choices: MONTHS.map((m) => choice(String(m), `date.month_${m}`)) }) },
        on: {
          CHOOSE: { guard: ({ event }) => MONTHS.map(String).includes(event.choice), target: 'filingYear', actions: assign(({ event }) => ({ filingMonth: Number(event.choice), thisYear: firstYearFor(Number(event.choice), event.today) })) },
          BACK: 'exams',
        },
      },
      filingYear: {
        meta: {
          prompt: (context: Context) => ({
            text: [t('triage.ask_filing_year')],
            choices: [0, 1, 2].map((n) => choice(String(context.thisYear + n), 'date.year_option', { year: context.thisYear + n })),
          }),
        },
        on: {
          CHOOSE: [
            ...(['expiry', 'smartphone'] as const).map((target) => ({
              guard: ({ context, event }: { context: Context; event: FlowEvent }) =>
                event.type === 'CHOOSE' && filingDate(context.filingMonth ?? 0, event.choice, event.today) !== undefined && (target === 'expiry') === (context.need === 'first-multi'),
              target,
              actions: 'savePlannedFiling' as const,
            })),
            { guard: ({ event }) => /^\d{4}$/.test(event.choice), target: 'filingMonth', actions: say('triage.filing_month_past') },
          ],
          BACK: 'filingMonth',
        },
      },
      expiry: {
        meta: {
          prompt: () => ({
            text: [t('triage.ask_expiry')],
            choices: [choice('date', 'triage.expiry_date'), choice('expired', 'triage.expired'), choice('unknown', 'triage.expiry_unknown')],
          }),
        },
        on: {
          CHOOSE: [
            { guard: isChoice('date'), actions: go('ask.date', expiryParams) },
            { guard: isChoice('expired'), target: 'smartphone', actions: assign({ expired: true, expiry: null }) },
            { guard: isChoice('unknown'), target: 'smartphone', actions: assign({ expired: false, expiry: null }) },
          ],
          RESULT: {
            guard: ({ event }) => event.result.kind === 'date' && event.result.purpose === 'expiry',
            target: 'smartphone',
            actions: assign(({ event }) => ({ expired: false, expiry: event.result.kind === 'date' ? event.result.date : null })),
          },
          BACK: 'need',
        },
      },
      smartphone: {
        meta: { prompt: () => yesNo('triage.ask_smartphone') },
        on: { CHOOSE: { guard: ({ event }) => ['yes', 'no'].includes(event.choice), target: 'helper', actions: assign(({ event }) => ({ smartphone: event.choice === 'yes' })) }, BACK: 'need' },
      },
      helper: {
        meta: { prompt: () => yesNo('triage.ask_helper') },
        on: { CHOOSE: { guard: ({ event }) => ['yes', 'no'].includes(event.choice), target: 'travel', actions: assign(({ event }) => ({ helper: event.choice === 'yes' })) }, BACK: 'smartphone' },
      },
      travel: {
        meta: { prompt: () => yesNo('triage.ask_travel') },
        on: {
          CHOOSE: { guard: ({ event }) => ['yes', 'no'].includes(event.choice), target: 'place', actions: assign(({ event }) => ({ travel: event.choice === 'yes' })) },
          BACK: 'helper',
        },
      },
      // The place overlay opens on entry; if the person steps back out of it,
      // this question lets them try again or go on without it.
      place: {
        entry: go('ask.place', placeParams),
        meta: { prompt: () => ({ text: [t('triage.ask_place')], choices: [choice('again', 'common.next'), choice('skip', 'mobile_desks.skip_place')] }) },
        on: {
          CHOOSE: [
            { guard: isChoice('again'), actions: go('ask.place', placeParams) },
            { guard: isChoice('skip'), target: 'result', actions: 'computeDaysLeft' },
          ],
          RESULT: {
            target: 'result',
            actions: [assign(({ event }) => ({ place: event.result.kind === 'place' ? event.result.place : null })), 'computeDaysLeft'],
          },
          BACK: 'travel',
        },
      },
      result: {
        meta: { prompt: resultPrompt },
        on: {
          CHOOSE: [
            ...[...routes.keys()].map((id) => ({ guard: isChoice(id), actions: go(id as FlowId) })),
          ],
          BACK: 'travel',
        },
      },
    },
  });
}
