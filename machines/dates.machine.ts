import { assign, emit, setup } from 'xstate';
import { flowTypes, go, intent, say } from './lib/dialogue.js';
import { choice, t, type Intent, type Prompt } from './lib/intents.js';
import { parseNote, parseTimeOfDay } from './lib/answers.js';
import type { ReminderDateKind } from './lib/reminder-plan.js';
import { isChoice } from './lib/steps.js';

/**
 * "My dates and reminders": record, change or remove the dates that matter.
 * Each date is asked by the date overlay (day, month, year, confirmed with
 * the month name); a residence permit also asks whether its renewal is done
 * on ANEF (what decides the deadline, F-RENEW-WINDOW), an appointment its
 * time and place. Saving plans the reminders again.
 */
interface Context {
  date: string | null;
  time: string | null;
}

const KINDS = [
  ['permit-expiry', 'dates.permit'],
  ['provisional-expiry', 'dates.provisional'],
  ['appointment', 'dates.appointment'],
  ['letter-posted', 'dates.letter'],
  ['application-filed', 'dates.filed'],
] as const satisfies readonly (readonly [ReminderDateKind, string])[];

/** Removable: those recorded here, and the month planned for filing, recorded from the triage. */
const REMOVABLE = [...KINDS, ['planned-filing', 'dates.planned_filing']] as const satisfies readonly (readonly [ReminderDateKind, string])[];

type RecordedHere = (typeof KINDS)[number][0];

/** An appointment already past is refused: a reminder for it could only come too late. */
const ASK: Record<RecordedHere, { ask: string; allow: 'past' | 'future' | 'any' }> = {
  'permit-expiry': { ask: 'dates.ask_permit_day', allow: 'any' },
  'provisional-expiry': { ask: 'dates.ask_provisional_day', allow: 'any' },
  appointment: { ask: 'dates.ask_appointment_day', allow: 'future' },
  'letter-posted': { ask: 'registered_letter.ask_posted', allow: 'past' },
  'application-filed': { ask: 'dates.ask_filed_day', allow: 'past' },
};

const menuPrompt = (): Prompt => ({
  text: [t('dates.ask_what')],
  choices: [...KINDS.map(([kind, label]) => choice(kind, label)), choice('remove', 'dates.remove')],
});

const QUICK_SAVE: readonly string[] = ['provisional-expiry', 'letter-posted', 'application-filed'];

export const datesMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    savePermit: emit(
      ({ context, event }) =>
        ({ type: 'save-date', kind: 'permit-expiry', data: { date: context.date, anef: event.type === 'CHOOSE' ? event.choice : 'unknown' } }) satisfies Intent,
    ),
    saveAppointment: emit(
      ({ context, event }) =>
        ({
          type: 'save-date',
          kind: 'appointment',
          data: { date: context.date, time: context.time, place: event.type === 'TEXT' ? (parseNote(event.text, 120) ?? '') : '' },
        }) satisfies Intent,
    ),
    /** A date that needs nothing more: saved as soon as the date overlay hands it back. */
    saveResultDate: emit(({ event }): Intent =>
      event.type === 'RESULT' && event.result.kind === 'date'
        ? { type: 'save-date', kind: event.result.purpose as ReminderDateKind, data: { date: event.result.date } }
        : { type: 'show-dates' },
    ),
  },
}).createMachine({
  id: 'dates',
  context: { date: null, time: null },
  initial: 'overview',
  states: {
    overview: {
      entry: emit({ type: 'show-dates' } satisfies Intent),
      meta: { prompt: menuPrompt },
      on: {
        CHOOSE: [
          ...KINDS.map(([kind]) => ({
            guard: isChoice(kind),
            actions: go('ask.date', { purpose: kind, ask: ASK[kind].ask, confirm: 'dates.confirm', allow: ASK[kind].allow }),
          })),
          { guard: isChoice('remove'), target: 'remove' },
        ],
        RESULT: [
          {
            guard: ({ event }) => event.result.kind === 'date' && event.result.purpose === 'permit-expiry',
            target: 'anef',
            actions: assign(({ event }) => ({ date: event.result.kind === 'date' ? event.result.date : null })),
          },
          {
            guard: ({ event }) => event.result.kind === 'date' && event.result.purpose === 'appointment',
            target: 'time',
            actions: assign(({ event }) => ({ date: event.result.kind === 'date' ? event.result.date : null })),
          },
          {
            guard: ({ event }) => event.result.kind === 'date' && QUICK_SAVE.includes(event.result.purpose),
            target: 'overview',
            reenter: true,
            actions: 'saveResultDate',
          },
        ],
      },
    },
    anef: {
      meta: {
        prompt: () => ({
          text: [t('dates.ask_anef'), t('dates.anef_how')],
          choices: [choice('yes', 'dates.anef_yes'), choice('no', 'dates.anef_no'), choice('unknown', 'dates.anef_unknown')],
        }),
      },
      on: {
        CHOOSE: { guard: ({ event }) => ['yes', 'no', 'unknown'].includes(event.choice), target: 'overview', actions: 'savePermit' },
        BACK: 'overview',
      },
    },
    time: {
      meta: { prompt: () => ({ text: [t('dates.ask_appointment_time')], choices: [], freeText: true, answer: 'number' }) },
      on: {
        TEXT: [
          { guard: ({ event }) => parseTimeOfDay(event.text) !== undefined, target: 'place', actions: assign(({ event }) => ({ time: parseTimeOfDay(event.text)! })) },
          { actions: say('phone.invalid_time') },
        ],
        BACK: 'overview',
      },
    },
    place: {
      meta: { prompt: () => ({ text: [t('dates.ask_appointment_place')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          { guard: ({ event }) => parseNote(event.text, 120) !== undefined, target: 'overview', actions: 'saveAppointment' },
          { actions: say('dates.invalid_place') },
        ],
        BACK: 'time',
      },
    },
    remove: {
      meta: { prompt: () => ({ text: [t('dates.ask_remove')], choices: REMOVABLE.map(([kind, label]) => choice(kind, label)) }) },
      on: {
        CHOOSE: REMOVABLE.map(([kind]) => ({ guard: isChoice(kind), target: 'overview', actions: intent({ type: 'remove-date', kind }) })),
        BACK: 'overview',
      },
    },
  },
});
