import { assign, emit, setup } from 'xstate';
import { go, say, type StateMeta } from './lib/dialogue.js';
import { choice, t, CALL_OUTCOMES, type CallLog, type CallOutcome, type FlowEvent, type FlowInput, type Intent } from './lib/intents.js';
import { addDays, isValidDate, parseIsoDate, toIsoDate } from './lib/calendar.js';
import { parseDayOfMonth, parseFullDate, parseLatinName, parseNote, parsePhoneNumber, parseTimeOfDay, parseYear } from './lib/answers.js';
import { infoPrompt, isChoice } from './lib/steps.js';

/**
 * Route: by phone. The ANEF contact centre (F-CCC), the Paris information
 * line that is not an appointment line (F-PARIS-PP), then a guided call log:
 * each dated call is proof of an attempt (F-REFERE).
 */
interface Context {
  /** Today's date (YYYY-MM-DD, Paris) as last told by the engine. */
  today: string;
  day: number | null;
  month: number | null;
  date: string | null;
  time: string | null;
  number: string | null;
  agent: string | null;
  outcome: CallOutcome | null;
}

const EMPTY_LOG = { day: null, month: null, date: null, time: null, number: null, agent: null, outcome: null } as const;
const MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

function textOf(event: FlowEvent): string {
  return event.type === 'TEXT' ? event.text : '';
}

function yearChoices(today: string) {
  const { year } = parseIsoDate(today);
  return [choice(String(year), 'date.year_option', { year }), choice(String(year - 1), 'date.year_option', { year: year - 1 })];
}

/** The year step accepts a tapped option or a typed four-digit year. */
function yearOf(event: FlowEvent): number | undefined {
  if (event.type === 'CHOOSE') return parseYear(event.choice);
  if (event.type === 'TEXT') return parseYear(event.text);
  return undefined;
}

export const phoneMachine = setup({
  types: {
    context: {} as Context,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    emitted: {} as Intent,
    meta: {} as StateMeta<Context>,
  },
  actions: {
    startLog: assign(({ event }) => ({ ...EMPTY_LOG, today: event.today })),
  },
  guards: {
    fullDateOk: ({ event }) => {
      const parsed = parseFullDate(textOf(event));
      return parsed.kind === 'date' && parsed.iso <= event.today;
    },
    fullDateInFuture: ({ event }) => {
      const parsed = parseFullDate(textOf(event));
      return parsed.kind === 'date' && parsed.iso > event.today;
    },
    fullDateImpossible: ({ event }) => parseFullDate(textOf(event)).kind === 'impossible',
    dayOk: ({ event }) => parseDayOfMonth(textOf(event)) !== undefined,
    monthChosen: ({ event }) => event.type === 'CHOOSE' && MONTHS.map(String).includes(event.choice),
    yearImpossible: ({ context, event }) => {
      const year = yearOf(event);
      return year !== undefined && !isValidDate(year, context.month!, context.day!);
    },
    yearInFuture: ({ context, event }) => {
      const year = yearOf(event);
      return year !== undefined && toIsoDate(year, context.month!, context.day!) > event.today;
    },
    yearOk: ({ event }) => yearOf(event) !== undefined,
    timeOk: ({ event }) => parseTimeOfDay(textOf(event)) !== undefined,
    numberOk: ({ event }) => parsePhoneNumber(textOf(event)) !== undefined,
    agentOk: ({ event }) => parseLatinName(textOf(event)) !== undefined,
    noteOk: ({ event }) => parseNote(textOf(event)) !== undefined,
    outcomeChosen: ({ event }) => event.type === 'CHOOSE' && (CALL_OUTCOMES as readonly string[]).includes(event.choice),
  },
}).createMachine({
  id: 'phone',
  context: ({ input }) => ({ ...EMPTY_LOG, today: input.today }),
  initial: 'intro',
  states: {
    intro: {
      meta: {
        prompt: () => infoPrompt('phone.intro', [choice('log', 'phone.log_call'), choice('saved', 'phone.my_calls')]),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('next'), target: 'whatItDoes' },
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
          { guard: isChoice('saved'), target: 'savedCalls' },
        ],
      },
    },
    whatItDoes: {
      meta: { prompt: () => infoPrompt('phone.what_it_does') },
      on: { CHOOSE: { guard: isChoice('next'), target: 'beforeCalling' }, BACK: 'intro' },
    },
    beforeCalling: {
      meta: {
        prompt: () => ({
          text: [t('phone.before_calling')],
          choices: [choice('log', 'phone.log_call'), choice('menu', 'common.main_menu')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
          { guard: isChoice('menu'), actions: go('menu') },
        ],
        BACK: 'whatItDoes',
      },
    },
    savedCalls: {
      entry: emit({ type: 'show-call-logs' } satisfies Intent),
      meta: {
        prompt: () => ({ text: [t('phone.saved_next')], choices: [choice('log', 'phone.log_call'), choice('menu', 'common.main_menu')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
          { guard: isChoice('menu'), actions: go('menu') },
        ],
        BACK: 'intro',
      },
    },
    log: {
      initial: 'when',
      states: {
        when: {
          meta: {
            prompt: () => ({
              text: [t('phone.ask_when')],
              choices: [choice('today', 'date.today'), choice('yesterday', 'date.yesterday'), choice('other', 'date.other_day')],
            }),
          },
          on: {
            CHOOSE: [
              { guard: isChoice('today'), target: 'time', actions: assign(({ event }) => ({ date: event.today })) },
              { guard: isChoice('yesterday'), target: 'time', actions: assign(({ event }) => ({ date: addDays(event.today, -1) })) },
              { guard: isChoice('other'), target: 'day' },
            ],
            BACK: '#phone.intro',
          },
        },
        day: {
          meta: { prompt: () => ({ text: [t('date.ask_day')], choices: [], freeText: true }) },
          on: {
            TEXT: [
              {
                guard: 'fullDateOk',
                target: 'confirmDate',
                actions: assign(({ event }) => {
                  const parsed = parseFullDate(textOf(event));
                  return { date: parsed.kind === 'date' ? parsed.iso : null };
                }),
              },
              { guard: 'fullDateInFuture', actions: say('date.future') },
              { guard: 'fullDateImpossible', actions: say('date.impossible') },
              { guard: 'dayOk', target: 'month', actions: assign(({ event }) => ({ day: parseDayOfMonth(textOf(event))! })) },
              { actions: say('date.invalid_day') },
            ],
            BACK: 'when',
          },
        },
        month: {
          meta: {
            prompt: () => ({ text: [t('date.ask_month')], choices: MONTHS.map((m) => choice(String(m), `date.month_${m}`)) }),
          },
          on: {
            CHOOSE: { guard: 'monthChosen', target: 'year', actions: assign(({ event }) => ({ month: Number(textOrChoice(event)) })) },
            BACK: 'day',
          },
        },
        year: {
          meta: {
            prompt: (context) => ({ text: [t('date.ask_year')], choices: yearChoices(context.today), freeText: true }),
          },
          on: {
            '*': [
              { guard: 'yearImpossible', target: 'day', actions: say('date.impossible') },
              { guard: 'yearInFuture', target: 'day', actions: say('date.future') },
              {
                guard: 'yearOk',
                target: 'confirmDate',
                actions: assign(({ context, event }) => ({ date: toIsoDate(yearOf(event)!, context.month!, context.day!) })),
              },
              { guard: ({ event }) => event.type === 'TEXT', actions: say('date.invalid_year') },
            ],
            BACK: 'month',
          },
        },
        confirmDate: {
          meta: {
            prompt: (context) => ({
              text: [t('phone.confirm_date', { date: { date: context.date! } })],
              choices: [choice('yes', 'common.yes'), choice('no', 'common.no')],
            }),
          },
          on: {
            CHOOSE: [
              { guard: isChoice('yes'), target: 'time' },
              { guard: isChoice('no'), target: 'day', actions: assign({ day: null, month: null, date: null }) },
            ],
            BACK: 'day',
          },
        },
        time: {
          meta: {
            prompt: () => ({ text: [t('phone.ask_time')], choices: [choice('unknown', 'phone.time_unknown')], freeText: true }),
          },
          on: {
            CHOOSE: { guard: isChoice('unknown'), target: 'number', actions: assign({ time: null }) },
            TEXT: [
              { guard: 'timeOk', target: 'number', actions: assign(({ event }) => ({ time: parseTimeOfDay(textOf(event))! })) },
              { actions: say('phone.invalid_time') },
            ],
            BACK: 'when',
          },
        },
        number: {
          meta: {
            prompt: () => ({ text: [t('phone.ask_number')], choices: [choice('anef', 'phone.number_anef')], freeText: true }),
          },
          on: {
            CHOOSE: { guard: isChoice('anef'), target: 'agent', actions: assign({ number: 'anef' }) },
            TEXT: [
              { guard: 'numberOk', target: 'agent', actions: assign(({ event }) => ({ number: parsePhoneNumber(textOf(event))! })) },
              { actions: say('phone.invalid_number') },
            ],
            BACK: 'time',
          },
        },
        agent: {
          meta: {
            prompt: () => ({ text: [t('phone.ask_agent')], choices: [choice('none', 'phone.agent_none')], freeText: true }),
          },
          on: {
            CHOOSE: { guard: isChoice('none'), target: 'outcome', actions: assign({ agent: null }) },
            TEXT: [
              { guard: 'agentOk', target: 'outcome', actions: assign(({ event }) => ({ agent: parseLatinName(textOf(event))! })) },
              { actions: say('phone.invalid_agent') },
            ],
            BACK: 'number',
          },
        },
        outcome: {
          meta: {
            prompt: () => ({
              text: [t('phone.ask_outcome')],
              choices: CALL_OUTCOMES.map((o) => choice(o, `phone.outcome.${o}`)),
            }),
          },
          on: {
            CHOOSE: { guard: 'outcomeChosen', target: 'notes', actions: assign(({ event }) => ({ outcome: textOrChoice(event) as CallOutcome })) },
            BACK: 'agent',
          },
        },
        notes: {
          meta: {
            prompt: () => ({ text: [t('phone.ask_notes')], choices: [choice('none', 'phone.notes_none')], freeText: true }),
          },
          on: {
            CHOOSE: { guard: isChoice('none'), target: '#phone.saved', actions: emit(({ context }) => saveIntent(context, null)) },
            TEXT: [
              { guard: 'noteOk', target: '#phone.saved', actions: emit(({ context, event }) => saveIntent(context, parseNote(textOf(event))!)) },
              { actions: say('phone.invalid_notes') },
            ],
            BACK: 'outcome',
          },
        },
      },
    },
    saved: {
      entry: say('phone.log_saved'),
      meta: {
        prompt: () => ({ text: [t('phone.saved_next')], choices: [choice('log', 'phone.log_another'), choice('menu', 'common.main_menu')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
          { guard: isChoice('menu'), actions: go('menu') },
        ],
      },
    },
  },
});

function textOrChoice(event: FlowEvent): string {
  return event.type === 'CHOOSE' ? event.choice : textOf(event);
}

function saveIntent(context: Context, notes: string | null): Intent {
  const log: CallLog = {
    date: context.date!,
    time: context.time,
    number: context.number!,
    agent: context.agent,
    outcome: context.outcome!,
    notes,
  };
  return { type: 'save-call-log', log };
}
