import { setup, type AnyStateMachine } from 'xstate';
import { go, type StateMeta, flowTypes } from './lib/dialogue.js';
import { choice, t, type Choice, type FlowId, type Text } from './lib/intents.js';
import type { RouteContentData, RouteStepContent } from './lib/route-content.js';
import { isChoice } from './lib/steps.js';

type Context = Record<string, never>;

/** The step's text followed by its checklist as bullets. */
export function stepTexts(step: RouteStepContent): Text[] {
  return [t(step.text), ...(step.checklist ?? []).map((item) => t('common.bullet', { item: { key: item } }))];
}

function linkChoices(step: RouteStepContent): Choice[] {
  return (step.links ?? []).map((link) => choice(`go:${link.flow}`, link.label));
}

/**
 * A route that is a walk through information steps, built from its content
 * file: "Next" moves on, "Back" returns, links open another route or a
 * document. A content editor can add a step, a checklist item or a link
 * without touching code.
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
    const choices: Choice[] = [
      ...(next ? [choice('next', 'common.next')] : []),
      ...linkChoices(step),
      ...(next ? [] : [choice('menu', 'common.main_menu')]),
    ];
    states[step.id] = {
      meta: { prompt: () => ({ text: stepTexts(step), choices }) } satisfies StateMeta<Context>,
      on: {
        CHOOSE: [
          ...(next ? [{ guard: isChoice('next'), target: next.id }] : []),
          ...(step.links ?? []).map((link) => ({ guard: isChoice(`go:${link.flow}`), actions: go(link.flow as FlowId) })),
          ...(next ? [] : [{ guard: isChoice('menu'), actions: go('menu') }]),
        ],
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
