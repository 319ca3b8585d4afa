import { setup, type AnyStateMachine } from 'xstate';
import { go, flowTypes } from './lib/dialogue.js';
import { choice, t } from './lib/intents.js';
import { stepOf, type RouteContentData } from './lib/route-content.js';
import { infoPrompt, isChoice } from './lib/steps.js';

type Context = Record<string, never>;

/** Where the person is now: it sets the appeal deadline (F-OQTF). */
const SITUATIONS = [
  ['free', 'oqtf.free', 'deadlineFree'],
  ['assignation', 'oqtf.assignation', 'deadlineAssignation'],
  ['prison', 'oqtf.prison', 'deadlinePrison'],
  ['retention', 'oqtf.retention', 'deadlineRetention'],
] as const;

/**
 * Route: expulsion order (OQTF). It says "act today" before anything else,
 * then gives the deadline for the person's situation (F-OQTF): free, under
 * assignation à résidence, in prison, or in a detention centre (where the
 * first thing said is to see the association in the centre, F-CRA-ASSOC),
 * how it is counted, and who to call.
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
            choices: SITUATIONS.map(([id, label]) => choice(id, label)),
          }),
        },
        on: {
          CHOOSE: SITUATIONS.map(([id, , target]) => ({ guard: isChoice(id), target })),
          BACK: 'intro',
        },
      },
      deadlineFree: deadline('deadlineFree'),
      deadlineAssignation: deadline('deadlineAssignation'),
      deadlinePrison: deadline('deadlinePrison'),
      deadlineRetention: deadline('deadlineRetention'),
      counting: {
        meta: { prompt: () => infoPrompt(text('counting')) },
        on: { CHOOSE: { guard: isChoice('next'), target: 'whoToCall' }, BACK: 'situation' },
      },
      whoToCall: {
        meta: {
          prompt: () => ({
            text: [t(text('whoToCall'))],
            choices: [choice('ngo', 'oqtf.to_ngo')],
          }),
        },
        on: {
          CHOOSE: [
            { guard: isChoice('ngo'), actions: go('route.ngo') },
          ],
          BACK: 'counting',
        },
      },
    },
  });
}
