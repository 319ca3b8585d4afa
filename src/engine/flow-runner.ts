import { initialTransition, transition, type AnyMachineSnapshot } from 'xstate';
import type { FlowDefinition } from '../../machines/registry.js';
import { promptOf } from '../../machines/lib/dialogue.js';
import type { FlowEvent, FlowParams, Intent, Prompt } from '../../machines/lib/intents.js';

/** A flow brought back to life for one turn: its definition and its current snapshot. */
export interface LiveFlow {
  readonly definition: FlowDefinition;
  snapshot: AnyMachineSnapshot;
}

/**
 * Machines run through XState's pure transition functions: no actor, no
 * timers, nothing executed. The only actions our machines have are `assign`
 * (already applied to the snapshot) and `emit`, whose events are the intents.
 */
function intentsOf(actions: readonly { type: string; params?: unknown }[]): Intent[] {
  return actions.flatMap((action) =>
    action.type === 'xstate.emit' ? [(action.params as { event: Intent }).event] : [],
  );
}

export function startFlow(definition: FlowDefinition, today: string, params?: FlowParams): { flow: LiveFlow; intents: Intent[] } {
  const input = params ?? definition.defaultParams;
  const [snapshot, actions] = initialTransition(definition.machine, input ? { today, params: input } : { today });
  return { flow: { definition, snapshot }, intents: intentsOf(actions) };
}

/** Apply one event; the flow's snapshot moves on and the emitted intents are returned. */
export function sendToFlow(flow: LiveFlow, event: FlowEvent): Intent[] {
  const [snapshot, actions] = transition(flow.definition.machine, flow.snapshot, event);
  flow.snapshot = snapshot;
  return intentsOf(actions);
}

/**
 * Rebuild a snapshot from its stored form. Our machines use no history states
 * and invoke no actors, so value and context are the whole state. Throws when
 * the value names a state the machine no longer has.
 */
export function restoreFlow(definition: FlowDefinition, persisted: unknown): LiveFlow {
  const { value, context } = persisted as { value: unknown; context: unknown };
  const snapshot = definition.machine.resolveState({ value: value as never, context: context as never }) as AnyMachineSnapshot;
  return { definition, snapshot };
}

export function persistFlow(flow: LiveFlow): unknown {
  return flow.definition.machine.getPersistedSnapshot(flow.snapshot);
}

export interface FlowView {
  readonly prompt: Prompt | undefined;
  readonly canBack: boolean;
  readonly stateKey: string;
}

export function viewFlow(flow: LiveFlow, today: string): FlowView {
  const { snapshot } = flow;
  return {
    prompt: snapshot.status === 'active' ? promptOf(snapshot) : undefined,
    canBack: snapshot.can({ type: 'BACK', today }),
    stateKey: `${flow.definition.id}:${JSON.stringify(snapshot.value)}`,
  };
}

export function flowAccepts(flow: LiveFlow, event: FlowEvent): boolean {
  return flow.snapshot.can(event);
}
