import { setup, type AnyStateMachine } from 'xstate';
import { go, type StateMeta, flowTypes } from './lib/dialogue.js';
import { choice, t, type Choice, type FlowEvent, type FlowId, type Text } from './lib/intents.js';
import type { RouteContentData, RouteStepContent } from './lib/route-content.js';
import { isChoice } from './lib/steps.js';

type Context = Record<string, never>;

/** The step's text followed by its checklist as bullets. */
export function stepTexts(step: RouteStepContent): Text[] {
  return [t(step.text), ...(step.checklist ?? []).map((item) => t('common.bullet', { item: { key: item } }))];
}

/** A document made, or a posting day noted, from a step's link (not a photo described on the way). */
const stepDone = ({ event }: { event: FlowEvent }) =>
  event.type === 'RESULT' && event.result.kind === 'done' && (event.result.purpose === 'document' || event.result.purpose === 'letter-posted');

function linkChoices(step: RouteStepContent): Choice[] {
  return (step.links ?? []).map((link) => choice(`go:${link.flow}`, link.label));
}

/**
 * A route that is a walk through information steps, built from its content
 * file: "Next" moves on, "Back" returns, links open another route or a
 * document (and once the document is made, the walk moves on). A content
 * editor can add a step, a checklist item or a link without touching code.
 */
/**
 * Returned as AnyStateMachine: XState's inferred state-value type for this
 * machine is too deep for TypeScript to compare with the registry's.
 */
export function createInfoRouteMachine(route: RouteContentData): AnyStateMachine {
  const steps = route.steps;
  const states: Record<string, unknown> = {};
  steps.forEach((step, index) => {
    const next = steps[index + 1];
    const previous = steps[index - 1];
    // The step's own actions first, "Next" after them: "1. Write my letter 2. Next".
    // The last step offers no "Next"; Back and 0 (the main menu) are added by the engine.
    const choices: Choice[] = [...linkChoices(step), ...(next ? [choice('next', 'common.next')] : [])];
    states[step.id] = {
      meta: { prompt: () => ({ text: stepTexts(step), choices }) } satisfies StateMeta<Context>,
      on: {
        CHOOSE: [
          ...(next ? [{ guard: isChoice('next'), target: next.id }] : []),
          ...(step.links ?? []).map((link) => ({ guard: isChoice(`go:${link.flow}`), actions: go(link.flow as FlowId) })),
        ],
        // Its work done from this step, the person moves on rather than see the same step again.
        RESULT: next ? { guard: stepDone, target: next.id } : { guard: stepDone, actions: go('menu') },
        ...(previous ? { BACK: previous.id } : {}),
      },
    };
  });
  const machine = setup({
    types: flowTypes<Context>(),
  }).createMachine({
    // XState ids may not contain dots: "#in-person.bring", not "#route.in-person.bring".
    id: route.id.replace(/^route\./, ''),
    context: {},
    initial: steps[0]!.id,
    // Built from data, so the state map cannot be typed literally.
    states: states as never,
  });
  return machine as unknown as AnyStateMachine;
}
