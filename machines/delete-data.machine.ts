import { emit, setup } from 'xstate';
import { finish, say, flowTypes } from './lib/dialogue.js';
import { choice, t, type Intent } from './lib/intents.js';

/** Erasing everything is irreversible, so it always asks once more. */
export const deleteDataMachine = setup({
  types: flowTypes<Record<string, never>>(),
}).createMachine({
  id: 'delete-data',
  context: {},
  initial: 'confirm',
  states: {
    confirm: {
      meta: {
        prompt: () => ({
          text: [t('delete.confirm')],
          choices: [choice('yes', 'delete.yes'), choice('no', 'delete.no')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: ({ event }) => event.choice === 'yes', target: 'done', actions: emit({ type: 'delete-person' } satisfies Intent) },
          { guard: ({ event }) => event.choice === 'no', target: 'done', actions: [say('delete.kept'), finish()] },
        ],
      },
    },
    done: { type: 'final' },
  },
});
