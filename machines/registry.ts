import type { AnyStateMachine } from 'xstate';
import type { FlowId } from './lib/intents.js';
import { deleteDataMachine } from './delete-data.machine.js';
import { digitalHelpMachine } from './digital-help.machine.js';
import { languageMachine } from './language.machine.js';
import { mainMenuMachine } from './main-menu.machine.js';
import { onboardingMachine } from './onboarding.machine.js';
import { phoneMachine } from './phone.machine.js';

/**
 * A flow the engine can run. `version` must be raised whenever a change makes
 * old snapshots meaningless (a state renamed or removed, context reshaped).
 * `migrate` may then carry a stored snapshot forward; without it, or when it
 * returns undefined, the person restarts that flow with an apology.
 *
 * `layer`: a `base` flow replaces whatever was running; an `overlay` (the
 * language picker, the delete confirmation) opens on top of it and closes back
 * onto it.
 */
export interface FlowDefinition {
  readonly id: FlowId;
  readonly version: number;
  readonly machine: AnyStateMachine;
  readonly layer: 'base' | 'overlay';
  /** Routes offer "back" to the menu from their first step; the menu and onboarding do not. */
  readonly isRoute: boolean;
  readonly migrate?: (fromVersion: number, snapshot: unknown) => unknown;
}

export type FlowRegistry = ReadonlyMap<string, FlowDefinition>;

export function createFlowRegistry(definitions: readonly FlowDefinition[]): FlowRegistry {
  return new Map(definitions.map((d) => [d.id, d]));
}

export const FLOWS: FlowRegistry = createFlowRegistry([
  { id: 'onboarding', version: 1, machine: onboardingMachine, layer: 'base', isRoute: false },
  { id: 'menu', version: 1, machine: mainMenuMachine, layer: 'base', isRoute: false },
  { id: 'language', version: 1, machine: languageMachine, layer: 'overlay', isRoute: false },
  { id: 'delete-data', version: 1, machine: deleteDataMachine, layer: 'overlay', isRoute: false },
  { id: 'route.digital-help', version: 1, machine: digitalHelpMachine, layer: 'base', isRoute: true },
  { id: 'route.phone', version: 1, machine: phoneMachine, layer: 'base', isRoute: true },
]);
