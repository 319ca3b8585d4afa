import { setup, type AnyStateMachine } from 'xstate';
import { go, flowTypes } from './lib/dialogue.js';
import { choice, t } from './lib/intents.js';
import { stepOf, type RouteContentData } from './lib/route-content.js';
import { infoPrompt, isChoice } from './lib/steps.js';

type Context = Record<string, never>;

/**
 * Route: expulsion order (OQTF). It says "act today" before anything else,
 * then gives the deadline for the person's situation (F-OQTF) and who to call.
 */
/**
 * Returned as AnyStateMachine: XState's inferred state-value type for this
 * machine is too deep for TypeScript to compare with the registry's.
 */
export function createOqtfMachine(route: RouteContentData): AnyStateMachine {
  const text = (id: string) => stepOf(route, id).text;
  const deadline = (id: string) => ({
    meta: { prompt: () => infoPrompt(text(id)) },
    on: { CHOOSE: { guard: isChoice('next'), target: 'counting' }, BACK: 'situation' },
  });
  return setup({
    types: flowTypes<Context>(),
  }).createMachine({
    id: 'oqtf',
    context: {},
    initial: 'intro',
    states: {
      intro: {
        meta: { prompt: () => infoPrompt(text('intro')) },
        on: { CHOOSE: { guard: isChoice('next'), target: 'situation' } },
      },
      situation: {
        meta: {
          prompt: () => ({
            text: [t('oqtf.ask_situation')],
            choices: [choice('free', 'oqtf.free'), choice('house-arrest', 'oqtf.house_arrest'), choice('retention', 'oqtf.retention')],
          }),
        },
        on: {
          CHOOSE: [
            { guard: isChoice('free'), target: 'deadlineFree' },
            { guard: isChoice('house-arrest'), target: 'deadlineHouseArrest' },
            { guard: isChoice('retention'), target: 'deadlineRetention' },
          ],
          BACK: 'intro',
        },
      },
      deadlineFree: deadline('deadlineFree'),
      deadlineHouseArrest: deadline('deadlineHouseArrest'),
      deadlineRetention: deadline('deadlineRetention'),
      counting: {
        meta: { prompt: () => infoPrompt(text('counting')) },
        on: { CHOOSE: { guard: isChoice('next'), target: 'whoToCall' }, BACK: 'situation' },
      },
      whoToCall: {
        meta: {
          prompt: () => ({
            text: [t(text('whoToCall'))],
            choices: [choice('ngo', 'oqtf.to_ngo'), choice('menu', 'common.main_menu')],
          }),
        },
        on: {
          CHOOSE: [
            { guard: isChoice('ngo'), actions: go('route.ngo') },
            { guard: isChoice('menu'), actions: go('menu') },
          ],
          BACK: 'counting',
        },
      },
    },
  });
}
