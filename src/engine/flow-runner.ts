import { createActor, type AnyMachineSnapshot } from 'xstate';
import type { FlowDefinition } from '../../machines/registry.js';
import { promptOf } from '../../machines/lib/dialogue.js';
import type { FlowEvent, Intent, Prompt } from '../../machines/lib/intents.js';

/** A flow brought back to life for one turn: its definition and its current snapshot. */
export interface LiveFlow {
  readonly definition: FlowDefinition;
  /** Persisted form, as stored. */
  persisted: unknown;
}

export interface StepResult {
  readonly persisted: unknown;
  readonly intents: Intent[];
}

/**
 * Runs a pure machine for one step. Emitted intents are collected by a
 * listener registered before `start()`; restoring a snapshot does not re-run
 * entry actions, so a restored flow emits nothing until it gets an event.
 */
export function startFlow(definition: FlowDefinition, today: string): StepResult {
  const intents: Intent[] = [];
  const actor = createActor(definition.machine, { input: { today } });
  actor.on('*', (emitted) => intents.push(emitted as Intent));
  actor.start();
  const persisted = actor.getPersistedSnapshot();
  actor.stop();
  return { persisted, intents };
}

export function sendToFlow(flow: LiveFlow, event: FlowEvent): StepResult {
  const intents: Intent[] = [];
  const actor = createActor(flow.definition.machine, { snapshot: flow.persisted as never });
  actor.on('*', (emitted) => intents.push(emitted as Intent));
  actor.start();
  actor.send(event);
  const persisted = actor.getPersistedSnapshot();
  actor.stop();
  return { persisted, intents };
}

/**
 * The machine's view of a stored snapshot. Throws when the snapshot does not
 * fit the machine (a state that no longer exists), which the engine treats
 * like an outdated version.
 */
export function inspectFlow(flow: LiveFlow): AnyMachineSnapshot {
  const snapshot = flow.definition.machine.resolveState(flow.persisted as never) as AnyMachineSnapshot;
  return snapshot;
}

export interface FlowView {
  readonly prompt: Prompt | undefined;
  readonly canBack: boolean;
  readonly stateKey: string;
  can(event: FlowEvent): boolean;
}

export function viewFlow(flow: LiveFlow, today: string): FlowView {
  const snapshot = inspectFlow(flow);
  return {
    prompt: snapshot.status === 'active' ? promptOf(snapshot) : undefined,
    canBack: snapshot.can({ type: 'BACK', today }),
    stateKey: `${flow.definition.id}:${JSON.stringify(snapshot.value)}`,
    can: (event) => snapshot.can(event),
  };
}
