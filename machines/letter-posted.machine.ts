import { emit, setup } from 'xstate';
import { go, flowTypes } from './lib/dialogue.js';
import type { Intent } from './lib/intents.js';
import { isChoice } from './lib/steps.js';
import { pastDateParams, quickDate, whenDate, whenPrompt, whenTypedProblem } from './lib/when-question.js';

type Context = Record<string, never>;

/** Notes the day a registered letter was posted: the start of its paper trail. */
export const letterPostedMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    save: emit(({ event }) => {
      return { type: 'save-letter-posted', date: whenDate(event)! } satisfies Intent;
    }),
  },
}).createMachine({
  id: 'letterPosted',
  context: {},
  initial: 'when',
  states: {
    when: {
      meta: { prompt: () => whenPrompt('registered_letter.ask_posted') },
      on: {
        CHOOSE: [
          { guard: ({ event }) => quickDate(event.choice, event.today) !== undefined, target: 'done', actions: ['save', emit({ type: 'finish', result: { kind: 'done', purpose: 'letter-posted' } } satisfies Intent)] },
          { guard: isChoice('other'), actions: go('ask.date', pastDateParams('posted', 'date.confirm')) },
        ],
        TEXT: [
          { guard: ({ event }) => whenDate(event) !== undefined, target: 'done', actions: ['save', emit({ type: 'finish', result: { kind: 'done', purpose: 'letter-posted' } } satisfies Intent)] },
          { actions: emit(({ event }) => whenTypedProblem(event)) },
        ],
        RESULT: { guard: ({ event }) => event.result.kind === 'date', target: 'done', actions: ['save', emit({ type: 'finish', result: { kind: 'done', purpose: 'letter-posted' } } satisfies Intent)] },
      },
    },
    done: { type: 'final' },
  },
});
