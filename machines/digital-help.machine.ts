import { setup } from 'xstate';
import { go, type StateMeta } from './lib/dialogue.js';
import { choice, t, type FlowEvent, type FlowInput, type Intent } from './lib/intents.js';
import { infoPrompt, isChoice } from './lib/steps.js';

type Context = Record<string, never>;

/**
 * Route: free digital help desks (France Services, the prefecture's point
 * d'accueil numérique, libraries and town halls). Facts: F-FS, F-PAN,
 * F-ANEF-HELP, F-DEPOSIT-PROOF.
 */
export const digitalHelpMachine = setup({
  types: {
    context: {} as Context,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    emitted: {} as Intent,
    meta: {} as StateMeta<Context>,
  },
}).createMachine({
  id: 'digitalHelp',
  context: {},
  initial: 'intro',
  states: {
    intro: {
      meta: { prompt: () => infoPrompt('digital_help.intro') },
      on: { CHOOSE: { guard: isChoice('next'), target: 'whatTheyDo' } },
    },
    whatTheyDo: {
      meta: { prompt: () => infoPrompt('digital_help.what_they_do') },
      on: { CHOOSE: { guard: isChoice('next'), target: 'bring' }, BACK: 'intro' },
    },
    bring: {
      meta: { prompt: () => infoPrompt('digital_help.bring') },
      on: { CHOOSE: { guard: isChoice('next'), target: 'proof' }, BACK: 'whatTheyDo' },
    },
    proof: {
      meta: { prompt: () => infoPrompt('digital_help.proof') },
      on: { CHOOSE: { guard: isChoice('next'), target: 'cannotHelp' }, BACK: 'bring' },
    },
    cannotHelp: {
      meta: {
        prompt: () => ({
          text: [t('digital_help.cannot_help')],
          choices: [choice('phone', 'digital_help.try_phone'), choice('menu', 'common.main_menu')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('phone'), actions: go('route.phone') },
          { guard: isChoice('menu'), actions: go('menu') },
        ],
        BACK: 'proof',
      },
    },
  },
});
