import type { AnyStateMachine } from 'xstate';
import type { FlowId, FlowParams } from './lib/intents.js';
import type { RouteContentData } from './lib/route-content.js';
import { askDateMachine } from './ask-date.machine.js';
import { datesMachine } from './dates.machine.js';
import { askPlaceMachine } from './ask-place.machine.js';
import { deleteDataMachine } from './delete-data.machine.js';
import { documentMachine } from './document.machine.js';
import { createInfoRouteMachine } from './info-route.machine.js';
import { languageMachine } from './language.machine.js';
import { letterPostedMachine } from './letter-posted.machine.js';
import { createMainMenuMachine } from './main-menu.machine.js';
import { handoffMachine } from './handoff.machine.js';
import { onboardingMachine } from './onboarding.machine.js';
import { createOqtfMachine } from './oqtf.machine.js';
import { createPhoneMachine } from './phone.machine.js';
import { createTriageMachine } from './triage.machine.js';
import { familyMachine } from './family.machine.js';
import { proofDescribeMachine } from './proof-describe.machine.js';
import { proofsMachine } from './proofs.machine.js';

/**
 * A flow the engine can run. `version` must be raised whenever a change makes
 * old snapshots meaningless (a state renamed or removed, context reshaped).
 * `migrate` may then carry a stored snapshot forward; without it, or when it
 * returns undefined, the person restarts that flow with an apology.
 *
 * `layer`: a `base` flow replaces whatever was running; an `overlay` (the
 * language picker, a date question, a document) opens on top of it and closes
 * back onto it.
 */
export interface FlowDefinition {
  readonly id: FlowId;
  readonly version: number;
  readonly machine: AnyStateMachine;
  readonly layer: 'base' | 'overlay';
  /** Routes offer "back" to the menu from their first step; the menu and onboarding do not. */
  readonly isRoute: boolean;
  /** Params the flow starts with when opened without any (from a content link). */
  readonly defaultParams?: FlowParams;
  readonly migrate?: (fromVersion: number, snapshot: unknown) => unknown;
}

export type FlowRegistry = ReadonlyMap<string, FlowDefinition>;

export function createFlowRegistry(definitions: readonly FlowDefinition[]): FlowRegistry {
  return new Map(definitions.map((d) => [d.id, d]));
}

/** Routes whose machine is built from their content file alone. */
const INFO_ROUTES = ['route.digital-help', 'route.in-person', 'route.trusted-person', 'route.registered-letter', 'route.mobile-desks', 'route.ngo', 'route.court'] as const;

/** Every flow, built from the route content loaded (and checked) at start-up. */
export function buildFlows(routes: ReadonlyMap<string, RouteContentData>, options: { readonly helpdesk?: boolean } = {}): FlowRegistry {
  const route = (id: string) => {
    const found = routes.get(id);
    if (!found) throw new Error(`content has no route ${id}`);
    return found;
  };
  const base = (id: FlowId, version: number, machine: AnyStateMachine, isRoute: boolean): FlowDefinition => ({ id, version, machine, layer: 'base', isRoute });
  const overlay = (id: FlowId, version: number, machine: AnyStateMachine, defaultParams?: FlowParams): FlowDefinition => ({
    id,
    version,
    machine,
    layer: 'overlay',
    isRoute: false,
    ...(defaultParams ? { defaultParams } : {}),
  });
  return createFlowRegistry([
    base('onboarding', 1, onboardingMachine, false),
    base('menu', 3, createMainMenuMachine(options.helpdesk === true), false),
    base('dates', 1, datesMachine, false),
    base('proofs', 1, proofsMachine, false),
    base('family', 1, familyMachine, false),
    base('triage', 1, createTriageMachine(routes), false),
    // Version 2: step ids and texts now come from content; the call log's
    // date questions moved to the shared date overlay.
    base('route.phone', 2, createPhoneMachine(route('route.phone')), true),
    // Version 2: "house arrest" became assignation à résidence, and prison its own situation.
    base('route.oqtf', 2, createOqtfMachine(route('route.oqtf')), true),
    ...INFO_ROUTES.map((id) => base(id, id === 'route.digital-help' ? 2 : 1, createInfoRouteMachine(route(id)), true)),
    overlay('language', 1, languageMachine),
    overlay('delete-data', 1, deleteDataMachine),
    overlay('ask.date', 1, askDateMachine),
    overlay('ask.place', 1, askPlaceMachine),
    overlay('record.letter-posted', 1, letterPostedMachine),
    overlay('proof.describe', 1, proofDescribeMachine),
    // Version 2: no "no free slot" reason, no naturalisation request (an older answer would print nothing).
    overlay('document.letter', 2, documentMachine, { kind: 'letter' }),
    overlay('document.statement', 2, documentMachine, { kind: 'statement' }),
    // Only where a helpdesk is configured; a stored conversation with volunteers restarts politely without one.
    ...(options.helpdesk ? [overlay('handoff', 1, handoffMachine)] : []),
  ]);
}
