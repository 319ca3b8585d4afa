import { emit, setup } from 'xstate';
import { finish, say, type StateMeta } from './lib/dialogue.js';
import type { FlowEvent, FlowInput, Intent } from './lib/intents.js';
import { chosenLanguage, languagePickerPrompt } from './lib/language-picker.js';

/** Opened on top of whatever the person was doing; closes back onto it. */
export const languageMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    emitted: {} as Intent,
    meta: {} as StateMeta<Record<string, never>>,
  },
  guards: { pickedLanguage: ({ event }) => chosenLanguage(event) !== undefined },
}).createMachine({
  id: 'language',
  context: {},
  initial: 'pick',
  states: {
    pick: {
      meta: { prompt: languagePickerPrompt },
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
