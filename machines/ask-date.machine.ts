import { assign, emit, setup } from 'xstate';
import { say, flowTypes } from './lib/dialogue.js';
import { choice, t, type FlowEvent, type Intent } from './lib/intents.js';
import { isValidDate, parseIsoDate, toIsoDate } from './lib/calendar.js';
import { parseDayOfMonth, parseFullDate, parseYear } from './lib/answers.js';
import { isChoice } from './lib/steps.js';

/**
 * Asks for a date as day, month and year, one at a time, and confirms it back
 * with the month name in the person's language. A whole date typed at once
 * (28/11/2026) is accepted too. Opened on top of the flow that needs the date
 * and hands it back as a RESULT.
 *
 * Params: `purpose` (echoed in the result), `ask` (key of the day question),
 * `confirm` (key with {{date}}), `allow` ("past": not after today; "future":
 * today or later, such as an appointment; or "any").
 */
interface Context {
  today: string;
  purpose: string;
  ask: string;
  confirm: string;
  allow: 'past' | 'future' | 'any';
  day: number | null;
  month: number | null;
  date: string | null;
}

const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

function textOf(event: FlowEvent): string {
  return event.type === 'TEXT' ? event.text : '';
}

function yearOf(event: FlowEvent): number | undefined {
  if (event.type === 'CHOOSE') return parseYear(event.choice);
  if (event.type === 'TEXT') return parseYear(event.text);
  return undefined;
}

/** A future date where only a past one makes sense (a call made), or the reverse (an appointment). */
function outOfRange(context: Context, iso: string, today: string): boolean {
  return (context.allow === 'past' && iso > today) || (context.allow === 'future' && iso < today);
}

/** Why a date was refused, in the person's words. */
function outOfRangeKey(context: Context): string {
  return context.allow === 'future' ? 'date.past' : 'date.future';
}

function yearChoices(context: Context) {
  const { year } = parseIsoDate(context.today);
  const years = context.allow === 'past' ? [year, year - 1] : [year, year + 1];
  return years.map((y) => choice(String(y), 'date.year_option', { year: y }));
}

/** A whole date typed at the day, the month or the year: "hier", "12/11/2026", "12 novembre 2026". */
const wholeDate = [
  { guard: 'fullDateOk', target: 'confirm', actions: 'takeWholeDate' },
  { guard: 'fullDateOutOfRange', actions: 'sayOutOfRange' },
  { guard: 'fullDateImpossible', actions: say('date.impossible') },
] as const;

export const askDateMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    takeWholeDate: assign(({ event }) => {
      const parsed = parseFullDate(textOf(event), event.today);
      return { date: parsed.kind === 'date' ? parsed.iso : null };
    }),
    sayOutOfRange: emit(({ context }) => ({ type: 'say', text: t(outOfRangeKey(context)) }) satisfies Intent),
  },
  guards: {
    fullDateOk: ({ context, event }) => {
      const parsed = parseFullDate(textOf(event), event.today);
      return parsed.kind === 'date' && !outOfRange(context, parsed.iso, event.today);
    },
    fullDateOutOfRange: ({ context, event }) => {
      const parsed = parseFullDate(textOf(event), event.today);
      return parsed.kind === 'date' && outOfRange(context, parsed.iso, event.today);
    },
    fullDateImpossible: ({ event }) => parseFullDate(textOf(event), event.today).kind === 'impossible',
    dayOk: ({ event }) => parseDayOfMonth(textOf(event)) !== undefined,
    monthChosen: ({ event }) => event.type === 'CHOOSE' && MONTHS.map(String).includes(event.choice),
    yearImpossible: ({ context, event }) => {
      const year = yearOf(event);
      return year !== undefined && !isValidDate(year, context.month!, context.day!);
    },
    yearOutOfRange: ({ context, event }) => {
      const year = yearOf(event);
      return year !== undefined && outOfRange(context, toIsoDate(year, context.month!, context.day!), event.today);
    },
    yearOk: ({ event }) => yearOf(event) !== undefined,
  },
}).createMachine({
  id: 'askDate',
  context: ({ input }) => ({
    today: input.today,
    purpose: String(input.params?.purpose ?? ''),
    ask: String(input.params?.ask ?? 'date.ask_day'),
    confirm: String(input.params?.confirm ?? 'date.confirm'),
    allow: input.params?.allow === 'past' || input.params?.allow === 'future' ? input.params.allow : 'any',
    day: null,
    month: null,
    date: null,
  }),
  initial: 'day',
  states: {
    day: {
      meta: { prompt: (context) => ({ text: [t(context.ask)], choices: [], freeText: true, answer: 'date' }) },
      on: {
        TEXT: [
          ...wholeDate,
          { guard: 'dayOk', target: 'month', actions: assign(({ event }) => ({ day: parseDayOfMonth(textOf(event))! })) },
          { actions: say('date.invalid_day') },
        ],
      },
    },
    month: {
      // A whole date ("hier", 12/11/2026) typed at the month or the year is still that date.
      meta: { prompt: () => ({ text: [t('date.ask_month')], choices: MONTHS.map((m) => choice(String(m), `date.month_${m}`)), answer: 'date' }) },
      on: {
        TEXT: wholeDate,
        CHOOSE: { guard: 'monthChosen', target: 'year', actions: assign(({ event }) => ({ month: Number(event.choice) })) },
        BACK: 'day',
      },
    },
    year: {
      meta: { prompt: (context) => ({ text: [t('date.ask_year')], choices: yearChoices(context), freeText: true, answer: 'date' }) },
      on: {
        '*': [
          ...wholeDate,
          { guard: 'yearImpossible', target: 'day', actions: say('date.impossible') },
          { guard: 'yearOutOfRange', target: 'day', actions: 'sayOutOfRange' },
          {
            guard: 'yearOk',
            target: 'confirm',
            actions: assign(({ context, event }) => ({ date: toIsoDate(yearOf(event)!, context.month!, context.day!) })),
          },
          { guard: ({ event }) => event.type === 'TEXT', actions: say('date.invalid_year') },
        ],
        BACK: 'month',
      },
    },
    confirm: {
      meta: {
        prompt: (context) => ({
          text: [t(context.confirm, { date: { date: context.date! } })],
          choices: [choice('yes', 'common.yes'), choice('no', 'common.no')],
        }),
      },
      on: {
        CHOOSE: [
          {
            guard: isChoice('yes'),
            target: 'done',
            actions: emit(({ context }) => ({ type: 'finish', result: { kind: 'date', purpose: context.purpose, date: context.date! } }) satisfies Intent),
          },
          { guard: isChoice('no'), target: 'day', actions: assign({ day: null, month: null, date: null }) },
        ],
        BACK: 'day',
      },
    },
    done: { type: 'final' },
  },
});
