import { setup } from 'xstate';
import { go, intent, flowTypes } from './lib/dialogue.js';
import { choice, t, type FlowId, type GlobalCommand } from './lib/intents.js';
import { isChoice } from './lib/steps.js';

/** Routes in the order the menu lists them: the guided choice and the emergency first. */
const ROUTE_ITEMS: readonly (readonly [FlowId, string])[] = [
  ['triage', 'menu.triage'],
  ['route.oqtf', 'menu.oqtf'],
  ['route.digital-help', 'menu.digital_help'],
  ['route.phone', 'menu.phone'],
  ['route.in-person', 'menu.in_person'],
  ['route.trusted-person', 'menu.trusted_person'],
  ['route.registered-letter', 'menu.registered_letter'],
  ['route.mobile-desks', 'menu.mobile_desks'],
  ['route.ngo', 'menu.ngo'],
  ['route.court', 'menu.court'],
  ['dates', 'menu.dates'],
  ['proofs', 'menu.proofs'],
  ['family', 'menu.family'],
];

const COMMAND_ITEMS: readonly (readonly [GlobalCommand, string])[] = [
  ['language', 'menu.language'],
  ['privacy', 'menu.privacy'],
  ['help', 'menu.help'],
];

/**
 * The main menu: every route, then language, privacy and help (which also
 * work by typing their word anywhere). It lists only what works.
 */
export const mainMenuMachine = setup({
  types: flowTypes<Record<string, never>>(),
}).createMachine({
  id: 'menu',
  context: {},
  initial: 'main',
  states: {
    main: {
      meta: {
        prompt: () => ({
          text: [t('menu.title')],
          choices: [...ROUTE_ITEMS.map(([id, key]) => choice(id, key)), ...COMMAND_ITEMS.map(([command, key]) => choice(command, key))],
        }),
      },
      on: {
        CHOOSE: [
          ...ROUTE_ITEMS.map(([id]) => ({ guard: isChoice(id), actions: go(id) })),
          ...COMMAND_ITEMS.map(([command]) => ({ guard: isChoice(command), actions: intent({ type: 'command', command }) })),
        ],
      },
    },
  },
});
