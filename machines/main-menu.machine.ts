import { setup } from 'xstate';
import { go, intent, flowTypes } from './lib/dialogue.js';
import { choice, t, type FlowId, type GlobalCommand } from './lib/intents.js';
import { isChoice } from './lib/steps.js';

/** First on the menu: the guided choice and the emergency. */
const TOP_ITEMS: readonly (readonly [FlowId, string])[] = [
  ['triage', 'menu.triage'],
  ['route.oqtf', 'menu.oqtf'],
];

/** "Ways to get an appointment": every route, one screen further. */
const WAY_ITEMS: readonly (readonly [FlowId, string])[] = [
  ['route.digital-help', 'menu.digital_help'],
  ['route.phone', 'menu.phone'],
  ['route.in-person', 'menu.in_person'],
  ['route.trusted-person', 'menu.trusted_person'],
  ['route.registered-letter', 'menu.registered_letter'],
  ['route.mobile-desks', 'menu.mobile_desks'],
  ['route.ngo', 'menu.ngo'],
  ['route.court', 'menu.court'],
];

/** The person's own things, after the ways in. */
const OWN_ITEMS: readonly (readonly [FlowId, string])[] = [
  ['dates', 'menu.dates'],
  ['proofs', 'menu.proofs'],
  ['family', 'menu.family'],
];

const COMMAND_ITEMS: readonly (readonly [GlobalCommand, string])[] = [
  ['language', 'menu.language'],
  ['help', 'menu.help'],
];

/** Where an NGO's volunteers read (a helpdesk is configured): a person, before language and help. */
const WITH_PERSON: readonly (readonly [GlobalCommand, string])[] = [['person', 'menu.person'], ...COMMAND_ITEMS];

const goTo = (items: readonly (readonly [FlowId, string])[]) => items.map(([id]) => ({ guard: isChoice(id), actions: go(id) }));

/**
 * The main menu, short enough for a small screen (8 entries): which way
 * fits me and the OQTF emergency first, the ways to an appointment grouped
 * one screen further, then the person's dates, documents and family, then
 * language and help (privacy, like every command, also works by its word).
 * It lists only what works: "talk to a person" only where a helpdesk is
 * configured (then the menu has 9 entries).
 */
export const createMainMenuMachine = (withPerson: boolean) => {
  const commandItems = withPerson ? WITH_PERSON : COMMAND_ITEMS;
  return setup({
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
          choices: [
            ...TOP_ITEMS.map(([id, key]) => choice(id, key)),
            choice('ways', 'menu.ways'),
            ...OWN_ITEMS.map(([id, key]) => choice(id, key)),
            ...commandItems.map(([command, key]) => choice(command, key)),
          ],
        }),
      },
      on: {
        CHOOSE: [
          ...goTo(TOP_ITEMS),
          { guard: isChoice('ways'), target: 'ways' },
          ...goTo(OWN_ITEMS),
          ...commandItems.map(([command]) => ({ guard: isChoice(command), actions: intent({ type: 'command', command }) })),
        ],
      },
    },
    ways: {
      meta: { prompt: () => ({ text: [t('menu.ways_title')], choices: WAY_ITEMS.map(([id, key]) => choice(id, key)) }) },
      on: { CHOOSE: goTo(WAY_ITEMS), BACK: 'main' },
    },
  },
});
};

export const mainMenuMachine = createMainMenuMachine(false);
