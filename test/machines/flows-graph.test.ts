import { describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { FlowDefinition } from '../../machines/registry.js';
import { productionFlows } from '../helpers/flows.js';

const FLOWS = productionFlows();
import { persistFlow, restoreFlow } from '../../src/engine/flow-runner.js';
import { promptOf } from '../../machines/lib/dialogue.js';
import type { FlowEvent } from '../../machines/lib/intents.js';

const today = '2026-11-28';

/** Typed answers worth trying at every free-text question: valid, invalid and hostile. */
const SAMPLE_TEXTS = ['28', '482 913', 'Karim', '28/11/2026', '93200', '09:30', 'Préfecture de Bobigny', '0123456789', '12 rue Victor Hugo', '31/02/2026', '01/01/2030', '2026', '2025', '14:30', '01 23 45 67 89', 'Dupont', 'نص', 'a note', '99', 'x'.repeat(600)];

const PLACE = { departementCode: '93', departementName: 'Seine-Saint-Denis', prefectureCity: 'Bobigny' };
/** What overlays and lookups hand back: every flow may receive them. */
const RETURNS: FlowEvent[] = [
  ...['call', 'birth', 'expiry', 'posted', 'permit-expiry', 'provisional-expiry', 'appointment', 'letter-posted', 'application-filed'].map((purpose): FlowEvent => ({ type: 'RESULT', result: { kind: 'date', purpose, date: '2026-11-20' }, today })),
  { type: 'RESULT', result: { kind: 'place', purpose: 'triage', place: PLACE }, today },
  { type: 'RESULT', result: { kind: 'skipped', purpose: 'triage' }, today },
  { type: 'PLACE', place: PLACE, today },
  { type: 'PLACE', place: null, today },
  { type: 'RESULT', result: { kind: 'done', purpose: 'proof' }, today },
  // Lists with items first: states are told apart by name only, so the first answer that reaches one is the one explored.
  { type: 'PROOFS', items: [{ id: 'p1', kind: 'postal-receipt', date: '2026-11-20' }, { id: 'p2', kind: null, date: '2026-11-21' }], today },
  { type: 'PROOFS', items: [], today },
  {
    type: 'CASES',
    overview: {
      activeId: 'c1',
      cases: [
        { id: 'c1', own: true, role: 'owner', label: null },
        { id: 'c2', own: false, role: 'helper', label: 'Mum' },
      ],
      helpers: [{ id: 'h1', name: 'Karim' }],
    },
    today,
  },
  { type: 'CASES', overview: { activeId: 'c1', cases: [{ id: 'c1', own: true, role: 'owner', label: null }], helpers: [] }, today },
  { type: 'CODE', answer: { status: 'ok', codeId: 'k1', helperName: 'Karim' }, today },
  { type: 'CODE', answer: { status: 'wrong', triesLeft: 3 }, today },
  { type: 'CODE', answer: { status: 'locked' }, today },
  { type: 'CODE', answer: { status: 'own' }, today },
  { type: 'CODE', answer: { status: 'already' }, today },
];

function eventsFor(snapshot: AnyMachineSnapshot): FlowEvent[] {
  const prompt = promptOf(snapshot);
  const events: FlowEvent[] = [{ type: 'BACK', today }, ...RETURNS];
  for (const c of prompt?.choices ?? []) events.push({ type: 'CHOOSE', choice: c.id, today });
  if (prompt?.freeText) for (const text of SAMPLE_TEXTS) events.push({ type: 'TEXT', text, today });
  return events;
}

function leafStateIds(machine: (typeof FLOWS extends ReadonlyMap<string, infer D> ? D : never)['machine']): string[] {
  const ids: string[] = [];
  const walk = (node: { id: string; type: string; states: Record<string, unknown> }) => {
    const children = Object.values(node.states) as (typeof node)[];
    if (children.length === 0) ids.push(node.id);
    children.forEach(walk);
  };
  walk(machine.root as never);
  return ids;
}

function reachable(definition: FlowDefinition): AnyMachineSnapshot[] {
  // States are told apart by where they are, not by what was typed, to keep the graph finite.
  const paths = getShortestPaths(definition.machine, {
    events: eventsFor as never,
    input: { today, ...(definition.defaultParams ? { params: definition.defaultParams } : {}) } as never,
    serializeState: (s) => JSON.stringify((s as AnyMachineSnapshot).value),
  });
  return paths.map((p) => p.state as AnyMachineSnapshot);
}

/** Flows sharing one machine (the letter and the statement) cover its states between them. */
const reachedByMachine = new Map<unknown, Set<string>>();
for (const definition of FLOWS.values()) {
  const ids = reachedByMachine.get(definition.machine) ?? new Set<string>();
  for (const s of reachable(definition)) for (const n of s._nodes) ids.add(n.id);
  reachedByMachine.set(definition.machine, ids);
}

for (const definition of FLOWS.values()) {
  describe(`flow ${definition.id}`, () => {
    const reached = reachable(definition);

    it('reaches every state it declares (with the other flows on the same machine)', () => {
      const reachedIds = reachedByMachine.get(definition.machine)!;
      for (const id of leafStateIds(definition.machine)) expect(reachedIds, `state ${id}`).toContain(id);
    });

    it('asks a question in every waiting state, so 0 / "menu" / "back" are always offered', () => {
      for (const snapshot of reached) {
        if (snapshot.status !== 'active') continue;
        const prompt = promptOf(snapshot);
        expect(prompt, JSON.stringify(snapshot.value)).toBeDefined();
        expect(prompt!.choices.length > 0 || prompt!.freeText === true).toBe(true);
      }
    });

    it('survives a JSON round trip of every reachable snapshot', () => {
      for (const snapshot of reached) {
        if (snapshot.status !== 'active') continue;
        // The way the engine stores and restores (pure functions)…
        const persisted = JSON.parse(JSON.stringify(persistFlow({ definition, snapshot })));
        const restored = restoreFlow(definition, persisted);
        expect(restored.snapshot.value).toEqual(snapshot.value);
        expect(restored.snapshot.context).toEqual(snapshot.context);
        expect(JSON.stringify(persistFlow(restored))).toBe(JSON.stringify(persisted));
        // …agrees with XState's own actor restoration.
        const actor = createActor(definition.machine, { snapshot: persisted });
        actor.start();
        expect(actor.getSnapshot().value).toEqual(snapshot.value);
        expect(actor.getSnapshot().context).toEqual(snapshot.context);
        actor.stop();
      }
    });

    it('keeps context plain JSON: no Date, function or class instance', () => {
      for (const snapshot of reached) {
        expect(JSON.parse(JSON.stringify(snapshot.context))).toEqual(snapshot.context);
        const walk = (v: unknown): void => {
          if (v === null || typeof v !== 'object') return expect(typeof v).not.toBe('function');
          expect([Object.prototype, Array.prototype]).toContain(Object.getPrototypeOf(v));
          Object.values(v).forEach(walk);
        };
        walk(snapshot.context);
      }
    });
  });
}
