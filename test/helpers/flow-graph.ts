import type { AnyMachineSnapshot } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { promptOf } from '../../machines/lib/dialogue.js';
import type { FlowEvent } from '../../machines/lib/intents.js';
import type { FlowDefinition } from '../../machines/registry.js';

/**
 * Every state a flow can reach, found by trying every answer a person could
 * give (each choice, typed texts valid and not, Back) and every answer an
 * overlay or a lookup can hand back. Shared by the graph test and the
 * screen measurements (bench/screens.ts).
 */
export const today = '2026-11-28';

/** Typed answers worth trying at every free-text question: valid, invalid and hostile. */
const SAMPLE_TEXTS = ['28', '482 913', '48 29 13 55 70', 'Karim', '28/11/2026', '93200', '09:30', 'Préfecture de Bobigny', '0123456789', '12 rue Victor Hugo', '31/02/2026', '01/01/2030', '2026', '2025', '14:30', '01 23 45 67 89', 'Dupont', 'نص', 'a note', '99', 'x'.repeat(600)];

const PLACE = { departementCode: '93', departementName: 'Seine-Saint-Denis', prefectureCity: 'Bobigny' };
/** What overlays and lookups hand back: every flow may receive them. */
const RETURNS: FlowEvent[] = [
  ...['call', 'birth', 'expiry', 'posted', 'permit-expiry', 'provisional-expiry', 'appointment', 'letter-posted', 'application-filed'].map((purpose): FlowEvent => ({ type: 'RESULT', result: { kind: 'date', purpose, date: '2026-11-20' }, today })),
  { type: 'RESULT', result: { kind: 'place', purpose: 'triage', place: PLACE }, today },
  { type: 'RESULT', result: { kind: 'skipped', purpose: 'triage' }, today },
  { type: 'PLACE', place: PLACE, today },
  { type: 'PLACE', place: null, today },
  { type: 'RESULT', result: { kind: 'done', purpose: 'proof' }, today },
  { type: 'RESULT', result: { kind: 'done', purpose: 'document' }, today },
  { type: 'RESULT', result: { kind: 'done', purpose: 'letter-posted' }, today },
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
  { type: 'CODE', answer: { status: 'ok', codeId: 'k1', helperName: 'Karim', helperVia: { key: 'family.via_telegram_handle', params: { hint: '@karim_b' } } }, today },
  { type: 'CODE', answer: { status: 'busy' }, today },
  { type: 'CODE', answer: { status: 'wrong', triesLeft: 3 }, today },
  { type: 'CODE', answer: { status: 'locked' }, today },
  { type: 'CODE', answer: { status: 'own' }, today },
  { type: 'CODE', answer: { status: 'already' }, today },
  ...(['none', 'reopenable', 'open', 'closed', 'busy'] as const).map((status): FlowEvent => ({ type: 'HANDOFF', status, organisation: 'La Cimade 93', today })),
];

function eventsFor(snapshot: AnyMachineSnapshot): FlowEvent[] {
  const prompt = promptOf(snapshot);
  const events: FlowEvent[] = [{ type: 'BACK', today }, ...RETURNS];
  for (const c of prompt?.choices ?? []) events.push({ type: 'CHOOSE', choice: c.id, today });
  if (prompt?.freeText) for (const text of SAMPLE_TEXTS) events.push({ type: 'TEXT', text, today });
  return events;
}

export function reachable(definition: FlowDefinition): AnyMachineSnapshot[] {
  // States are told apart by where they are, not by what was typed, to keep the graph finite.
  const paths = getShortestPaths(definition.machine, {
    events: eventsFor as never,
    input: { today, ...(definition.defaultParams ? { params: definition.defaultParams } : {}) } as never,
    serializeState: (s) => JSON.stringify((s as AnyMachineSnapshot).value),
  });
  return paths.map((p) => p.state as AnyMachineSnapshot);
}

