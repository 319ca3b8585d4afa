import { assign, emit, setup, type AnyStateMachine } from 'xstate';
import { go, say, flowTypes } from './lib/dialogue.js';
import { choice, t, CALL_OUTCOMES, type CallLog, type CallOutcome, type FlowEvent, type Intent } from './lib/intents.js';
import { parseLatinName, parseNote, parsePhoneNumber, parseTimeOfDay } from './lib/answers.js';
import { stepOf, type RouteContentData } from './lib/route-content.js';
import { pastDateParams, quickDate, whenDate, whenPrompt, whenTypedProblem } from './lib/when-question.js';
import { infoPrompt, isChoice } from './lib/steps.js';

/**
 * Route: by phone. The ANEF contact centre (F-CCC), the Paris information
 * line that is not an appointment line (F-PARIS-PP), then a guided call log:
 * each dated call is proof of an attempt (F-REFERE).
 */
interface Context {
  date: string | null;
  time: string | null;
  number: string | null;
  agent: string | null;
  outcome: CallOutcome | null;
  notes: string | null;
}

const EMPTY_LOG = { date: null, time: null, number: null, agent: null, outcome: null, notes: null } as const;

function textOf(event: FlowEvent): string {
  return event.type === 'TEXT' ? event.text : '';
}

/**
 * Returned as AnyStateMachine: XState's inferred state-value type for this
 * machine is too deep for TypeScript to compare with the registry's.
 */
export function createPhoneMachine(route: RouteContentData): AnyStateMachine {
  const text = (id: string) => stepOf(route, id).text;
  return setup({
  types: flowTypes<Context>(),
  actions: {
    startLog: assign(() => ({ ...EMPTY_LOG })),
  },
  guards: {
    timeOk: ({ event }) => parseTimeOfDay(textOf(event)) !== undefined,
    numberOk: ({ event }) => parsePhoneNumber(textOf(event)) !== undefined,
    agentOk: ({ event }) => parseLatinName(textOf(event)) !== undefined,
    noteOk: ({ event }) => parseNote(textOf(event)) !== undefined,
    outcomeChosen: ({ event }) => event.type === 'CHOOSE' && (CALL_OUTCOMES as readonly string[]).includes(event.choice),
  },
}).createMachine({
  id: 'phone',
  context: () => ({ ...EMPTY_LOG }),
  initial: 'intro',
  states: {
    intro: {
      meta: {
        prompt: () => infoPrompt(text('intro'), [choice('log', 'phone.log_call'), choice('saved', 'phone.my_calls')]),
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
      meta: { prompt: () => infoPrompt(text('whatItDoes')) },
      on: { CHOOSE: { guard: isChoice('next'), target: 'beforeCalling' }, BACK: 'intro' },
    },
    beforeCalling: {
      meta: {
        prompt: () => ({
          text: [t(text('beforeCalling'))],
          choices: [choice('log', 'phone.log_call')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
        ],
        BACK: 'whatItDoes',
      },
    },
    savedCalls: {
      entry: emit({ type: 'show-call-logs' } satisfies Intent),
      meta: {
        prompt: () => ({ text: [t('phone.saved_next')], choices: [choice('log', 'phone.log_call')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
        ],
        BACK: 'intro',
      },
    },
    log: {
      initial: 'when',
      states: {
        when: {
          meta: { prompt: () => whenPrompt('phone.ask_when') },
          on: {
            CHOOSE: [
              {
                guard: ({ event }) => quickDate(event.choice, event.today) !== undefined,
                target: 'time',
                actions: assign(({ event }) => ({ date: quickDate(event.choice, event.today)! })),
              },
              { guard: isChoice('other'), actions: go('ask.date', pastDateParams('call', 'phone.confirm_date')) },
            ],
            TEXT: [
              { guard: ({ event }) => whenDate(event) !== undefined, target: 'time', actions: assign(({ event }) => ({ date: whenDate(event)! })) },
              { actions: emit(({ event }) => whenTypedProblem(event)) },
            ],
            RESULT: {
              guard: ({ event }) => event.result.kind === 'date' && event.result.purpose === 'call',
              target: 'time',
              actions: assign(({ event }) => ({ date: event.result.kind === 'date' ? event.result.date : null })),
            },
            BACK: '#phone.intro',
          },
        },
        time: {
          meta: {
            prompt: () => ({ text: [t('phone.ask_time')], choices: [choice('unknown', 'phone.time_unknown')], freeText: true, answer: 'number' }),
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
            prompt: () => ({ text: [t('phone.ask_number')], choices: [choice('anef', 'phone.number_anef')], freeText: true, answer: 'number' }),
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
            CHOOSE: {
              guard: isChoice('none'),
              target: '#phone.saved',
              actions: [assign({ notes: null }), emit(({ context }) => saveIntent({ ...context, notes: null }))],
            },
            TEXT: [
              {
                guard: 'noteOk',
                target: '#phone.saved',
                actions: [
                  assign(({ event }) => ({ notes: parseNote(textOf(event))! })),
                  emit(({ context, event }) => saveIntent({ ...context, notes: parseNote(textOf(event))! })),
                ],
              },
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
        prompt: () => ({
          text: [t('phone.saved_next')],
          choices: [choice('pdf', 'phone.make_pdf'), choice('log', 'phone.log_another')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('pdf'), actions: emit(({ context }) => ({ type: 'make-document', request: { document: 'call-log', data: logOf(context) } }) satisfies Intent) },
          { guard: isChoice('log'), target: 'log', actions: 'startLog' },
        ],
      },
    },
  },
});
}

function textOrChoice(event: FlowEvent): string {
  return event.type === 'CHOOSE' ? event.choice : textOf(event);
}

function logOf(context: Context): CallLog {
  return {
    date: context.date!,
    time: context.time,
    number: context.number!,
    agent: context.agent,
    outcome: context.outcome!,
    notes: context.notes,
  };
}

function saveIntent(context: Context): Intent {
  return { type: 'save-call-log', log: logOf(context) };
}
