import { emit, setup } from 'xstate';
import { go, say, flowTypes } from './lib/dialogue.js';
import { isLanguage, type Intent, type Language } from './lib/intents.js';
import { chosenLanguage, languagePickerPrompt } from './lib/language-picker.js';

/** First contact: pick a language, hear once what Guichet keeps and what it is not, then the menu. */
export const onboardingMachine = setup({
  types: flowTypes<{ hint: Language | null }>(),
  guards: { pickedLanguage: ({ event }) => chosenLanguage(event) !== undefined },
}).createMachine({
  id: 'onboarding',
  context: ({ input }) => {
    const hint = input.params?.hint;
    return { hint: isLanguage(hint) ? hint : null };
  },
  initial: 'pickLanguage',
  states: {
    pickLanguage: {
      meta: { prompt: (context) => languagePickerPrompt(context.hint) },
      on: {
        CHOOSE: {
          guard: 'pickedLanguage',
          target: 'done',
          actions: [
            emit(({ event }) => ({ type: 'set-language', language: chosenLanguage(event)! }) satisfies Intent),
            say('onboarding.intro'),
            go('menu'),
          ],
        },
      },
    },
    done: { type: 'final' },
  },
});
