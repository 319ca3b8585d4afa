import { emit, enqueueActions, setup } from 'xstate';
import { say, flowTypes } from './lib/dialogue.js';
import { choice, t, type Intent, type Prompt } from './lib/intents.js';
import { isChoice } from './lib/steps.js';

/**
 * Asks for a postcode, a département number or a town, has the engine look it
 * up (bundled open data, or the national address service for town names), and
 * tells the person where their prefecture is. Opened on top of the flow that
 * needs it; hands the place back as a RESULT. Params: `purpose`, `ask` (key of
 * the question), `announce` (false: do not say where the prefecture is).
 */
interface Context {
  purpose: string;
  ask: string;
  /** Say where the prefecture is (the mobile-desks route); triage shows it in its result instead. */
  announce: boolean;
}

const askPrompt = (context: Context): Prompt => ({
  text: [t(context.ask)],
  choices: [choice('skip', 'mobile_desks.skip_place')],
  freeText: true,
});

export const askPlaceMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    skip: emit(({ context }) => ({ type: 'finish', result: { kind: 'skipped', purpose: context.purpose } }) satisfies Intent),
    lookUp: emit(({ event }) => ({ type: 'lookup-place', query: event.type === 'TEXT' ? event.text : '' }) satisfies Intent),
  },
}).createMachine({
  id: 'askPlace',
  context: ({ input }) => ({
    purpose: String(input.params?.purpose ?? ''),
    ask: String(input.params?.ask ?? 'mobile_desks.ask_place'),
    announce: input.params?.announce !== false,
  }),
  initial: 'ask',
  states: {
    ask: {
      meta: { prompt: askPrompt },
      on: {
        TEXT: { target: 'lookingUp', actions: 'lookUp' },
        CHOOSE: { guard: isChoice('skip'), target: 'done', actions: 'skip' },
      },
    },
    // Left at once in the same turn, when the engine answers with PLACE.
    lookingUp: {
      meta: { prompt: askPrompt },
      on: {
        PLACE: [
          {
            guard: ({ event }) => event.place !== null,
            target: 'done',
            actions: [
              enqueueActions(({ context, event, enqueue }) => {
                const place = event.place!;
                if (!context.announce) return;
                enqueue.emit({
                  type: 'say',
                  text: t('mobile_desks.your_prefecture', { departement: place.departementName, code: place.departementCode, city: place.prefectureCity }),
                });
              }),
              emit(({ context, event }) => ({ type: 'finish', result: { kind: 'place', purpose: context.purpose, place: event.place! } }) satisfies Intent),
            ],
          },
          { target: 'ask', actions: say('triage.place_not_found') },
        ],
        TEXT: { actions: 'lookUp' },
        CHOOSE: { guard: isChoice('skip'), target: 'done', actions: 'skip' },
      },
    },
    done: { type: 'final' },
  },
});
