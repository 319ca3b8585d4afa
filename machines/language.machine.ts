import { emit, setup } from 'xstate';
import { finish, say, flowTypes } from './lib/dialogue.js';
import type { Intent } from './lib/intents.js';
import { chosenLanguage, languagePickerPrompt } from './lib/language-picker.js';

/** Opened on top of whatever the person was doing; closes back onto it. */
export const languageMachine = setup({
  types: flowTypes<Record<string, never>>(),
  guards: { pickedLanguage: ({ event }) => chosenLanguage(event) !== undefined },
}).createMachine({
  id: 'language',
  context: {},
  initial: 'pick',
  states: {
    pick: {
      meta: { prompt: () => languagePickerPrompt() },
      on: {
        CHOOSE: {
          guard: 'pickedLanguage',
          target: 'done',
          actions: [
            emit(({ event }) => ({ type: 'set-language', language: chosenLanguage(event)! }) satisfies Intent),
            say('language.changed'),
            finish(),
          ],
        },
      },
    },
    done: { type: 'final' },
  },
});
