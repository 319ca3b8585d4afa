import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { productionFlows } from '../helpers/flows.js';
import { reachable } from '../helpers/flow-graph.js';
import { persistFlow, restoreFlow } from '../../src/engine/flow-runner.js';
import { promptOf } from '../../machines/lib/dialogue.js';

const FLOWS = productionFlows({ helpdesk: true });

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
