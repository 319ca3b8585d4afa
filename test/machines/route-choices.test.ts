import { describe, expect, it } from 'vitest';
import { createActor, type AnyStateMachine } from 'xstate';
import { documentMachine } from '../../machines/document.machine.js';
import { promptOf } from '../../machines/lib/dialogue.js';
import { productionFlows } from '../helpers/flows.js';

const today = '2026-11-28';
const FLOWS = productionFlows();

function choicesAt(machine: AnyStateMachine, value: string, context: Record<string, unknown> = {}) {
  const snapshot = machine.resolveState({ value, context: { ...machine.config.context, ...context } as never });
  return promptOf(snapshot)!.choices.map((c) => [c.id, c.label.key]);
}

describe('the registered letter and the statement', () => {
  const context = { kind: 'letter', surname: null, givenNames: null, birthDate: null, street: null, postcode: null, place: null, town: null, request: null, reasons: [] };

  it('does not offer naturalisation as a letter request: it is filed online, not at a desk', () => {
    const choices = choicesAt(documentMachine, 'request', context);
    expect(choices.map(([id]) => id)).toEqual(['first', 'renewal', 'recepisse']);
  });

  it('does not offer "no free slot" as a reason: ANEF has no appointment slots', () => {
    const first = choicesAt(documentMachine, 'reason', { ...context, kind: 'statement' });
    expect(first.map(([id]) => id)).toEqual(['no_computer', 'no_internet', 'reading', 'digital_skills', 'fault']);
    const more = choicesAt(documentMachine, 'moreReasons', { ...context, kind: 'statement', reasons: ['reading'] });
    expect(more.map(([, key]) => key)).not.toContain('document.reason_no_slot');
  });
});

describe('the expulsion order (OQTF) route', () => {
  const machine = FLOWS.get('route.oqtf')!.machine;

  it('asks where the person is, with prison apart from assignation à résidence', () => {
    expect(choicesAt(machine, 'situation')).toEqual([
      ['free', 'oqtf.free'],
      ['assignation', 'oqtf.assignation'],
      ['prison', 'oqtf.prison'],
      ['retention', 'oqtf.retention'],
    ]);
  });

  it.each([
    ['free', 'deadlineFree', 'oqtf.deadline_free'],
    ['assignation', 'deadlineAssignation', 'oqtf.deadline_assignation'],
    ['prison', 'deadlinePrison', 'oqtf.deadline_prison'],
    ['retention', 'deadlineRetention', 'oqtf.deadline_retention'],
  ])('gives the deadline for "%s", then how it is counted', (choice, state, text) => {
    const actor = createActor(machine, { input: { today } }).start();
    actor.send({ type: 'CHOOSE', choice: 'next', today });
    actor.send({ type: 'CHOOSE', choice, today });
    expect(actor.getSnapshot().value).toBe(state);
    expect(promptOf(actor.getSnapshot())!.text).toEqual([{ key: text }]);
    actor.send({ type: 'CHOOSE', choice: 'next', today });
    expect(actor.getSnapshot().value).toBe('counting');
    actor.stop();
  });
});
