import { assign, emit, setup } from 'xstate';
import { flowTypes, go, intent } from './lib/dialogue.js';
import { choice, PROOF_KINDS, t, type Intent, type ProofKind } from './lib/intents.js';
import { isChoice } from './lib/steps.js';
import { whenDate, whenPrompt, whenTypedProblem } from './lib/when-question.js';

/**
 * Opened when a photo or PDF has just been stored in the vault: asks what it
 * is and the date on it, then records both. The file is already kept safely
 * before the first question, so leaving half-way loses nothing: it stays in
 * "My documents" as not yet described.
 *
 * Params: `itemId` (the stored item).
 */
interface Context {
  itemId: string;
  kind: ProofKind | null;
}

export const PROOF_KIND_LABELS: Readonly<Record<ProofKind, string>> = {
  'anef-receipt': 'proof.kind_anef_receipt',
  'postal-receipt': 'proof.kind_postal_receipt',
  'ack-card': 'proof.kind_ack_card',
  'call-log': 'proof.kind_call_log',
  'prefecture-letter': 'proof.kind_prefecture_letter',
  'no-slot-screenshot': 'proof.kind_no_slot',
  other: 'proof.kind_something_else',
};

const isKind = (value: string): value is ProofKind => (PROOF_KINDS as readonly string[]).includes(value);

const finishDescribed = intent({ type: 'finish', result: { kind: 'done', purpose: 'proof' } });

export const proofDescribeMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    describe: emit(({ context, event }): Intent => {
      const date = whenDate(event) ?? event.today;
      return { type: 'describe-proof', itemId: context.itemId, kind: context.kind ?? 'other', date };
    }),
  },
}).createMachine({
  id: 'proof-describe',
  context: ({ input }) => ({ itemId: String(input.params?.itemId ?? ''), kind: null }),
  initial: 'kind',
  states: {
    kind: {
      meta: {
        prompt: () => ({ text: [t('proof.ask_kind')], choices: PROOF_KINDS.map((k) => choice(k, PROOF_KIND_LABELS[k])) }),
      },
      on: {
        CHOOSE: { guard: ({ event }) => isKind(event.choice), target: 'when', actions: assign(({ event }) => ({ kind: event.choice as ProofKind })) },
      },
    },
    when: {
      meta: {
        prompt: () => whenPrompt('proof.ask_date', [choice('today', 'proof.date_today'), choice('other', 'proof.date_another_day')]),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('today'), target: 'done', actions: ['describe', finishDescribed] },
          { guard: isChoice('other'), actions: go('ask.date', { purpose: 'proof', ask: 'proof.ask_day', confirm: 'proof.confirm_date', allow: 'past' }) },
        ],
        TEXT: [
          { guard: ({ event }) => whenDate(event) !== undefined, target: 'done', actions: ['describe', finishDescribed] },
          { actions: emit(({ event }) => whenTypedProblem(event)) },
        ],
        RESULT: { guard: ({ event }) => event.result.kind === 'date', target: 'done', actions: ['describe', finishDescribed] },
        BACK: 'kind',
      },
    },
    done: { type: 'final' },
  },
});
