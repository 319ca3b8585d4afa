import { emit, setup } from 'xstate';
import { go, type StateMeta } from './lib/dialogue.js';
import { choice, t, type FlowEvent, type FlowInput, type Intent } from './lib/intents.js';

/**
 * The main menu lists only what works today. Language, privacy and help are
 * also reachable by typing their word anywhere; here they get a number too.
 */
export const mainMenuMachine = setup({
  types: {
    context: {} as Record<string, never>,
    events: {} as FlowEvent,
    input: {} as FlowInput,
    emitted: {} as Intent,
    meta: {} as StateMeta<Record<string, never>>,
  },
}).createMachine({
  id: 'menu',
  context: {},
  initial: 'main',
  states: {
    main: {
      meta: {
        prompt: () => ({
          text: [t('menu.title')],
          choices: [
            choice('digital-help', 'menu.digital_help'),
            choice('phone', 'menu.phone'),
            choice('language', 'menu.language'),
            choice('privacy', 'menu.privacy'),
            choice('help', 'menu.help'),
          ],
        }),
      },
      on: {
        CHOOSE: [
          { guard: ({ event }) => event.choice === 'digital-help', actions: go('route.digital-help') },
          { guard: ({ event }) => event.choice === 'phone', actions: go('route.phone') },
          { guard: ({ event }) => event.choice === 'language', actions: emit({ type: 'command', command: 'language' } satisfies Intent) },
          { guard: ({ event }) => event.choice === 'privacy', actions: emit({ type: 'command', command: 'privacy' } satisfies Intent) },
          { guard: ({ event }) => event.choice === 'help', actions: emit({ type: 'command', command: 'help' } satisfies Intent) },
        ],
      },
    },
  },
});
