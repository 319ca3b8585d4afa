import { assign, emit, setup } from 'xstate';
import { flowTypes, intent, say } from './lib/dialogue.js';
import { choice, t, type Choice, type Intent, type Prompt, type ProofSummary } from './lib/intents.js';
import { isChoice, retryPrompt } from './lib/steps.js';
import { PROOF_KIND_LABELS } from './proof-describe.machine.js';

/**
 * "My documents": the proof kept for the case, by date and type. Any item can
 * be sent back, described, or deleted (after a confirmation); the evidence
 * file gathers every attempt and proof in one French PDF.
 */
interface Context {
  items: readonly ProofSummary[];
  selected: string | null;
}

/** A cheap phone shows a long list badly: the most recent ones, the rest are in the evidence file and the export. */
export const MAX_LISTED = 15;

const ITEM_PREFIX = 'item:';

function itemChoice(item: ProofSummary): Choice {
  const kind = item.kind ? PROOF_KIND_LABELS[item.kind] : 'proof.kind_unknown';
  return choice(`${ITEM_PREFIX}${item.id}`, 'proofs.item', { kind: { key: kind }, date: { date: item.date } });
}

function listPrompt(context: Context): Prompt {
  const shown = context.items.slice(-MAX_LISTED);
  const text = [t(context.items.length === 0 ? 'proofs.none' : 'proofs.title')];
  if (context.items.length > shown.length) text.push(t('proofs.more', { count: context.items.length - shown.length }));
  text.push(t('proofs.send_hint'));
  return { text, choices: [choice('evidence', 'proofs.evidence'), ...shown.map(itemChoice)] };
}

function selectedItem(context: Context): ProofSummary | undefined {
  return context.items.find((i) => i.id === context.selected);
}

export const proofsMachine = setup({
  types: flowTypes<Context>(),
  guards: {
    pickedItem: ({ context, event }) =>
      event.type === 'CHOOSE' && event.choice.startsWith(ITEM_PREFIX) && context.items.some((i) => i.id === event.choice.slice(ITEM_PREFIX.length)),
  },
}).createMachine({
  id: 'proofs',
  context: { items: [], selected: null },
  initial: 'loading',
  states: {
    // Waits for the engine's PROOFS answer; the list is read fresh each time it is shown.
    loading: {
      entry: emit({ type: 'list-proofs' } satisfies Intent),
      meta: { prompt: retryPrompt },
      on: {
        PROOFS: { target: 'list', actions: assign(({ event }) => ({ items: event.items, selected: null })) },
        CHOOSE: { guard: isChoice('retry'), target: 'loading', reenter: true },
      },
    },
    list: {
      meta: { prompt: listPrompt },
      on: {
        CHOOSE: [
          { guard: 'pickedItem', target: 'item', actions: assign(({ event }) => ({ selected: event.choice.slice(ITEM_PREFIX.length) })) },
          { guard: isChoice('evidence'), actions: intent({ type: 'make-evidence-file' }) },
        ],
        // A photo described meanwhile (the describe overlay closed back here): show the list again.
        RESULT: 'loading',
      },
    },
    item: {
      meta: {
        prompt: (context) => {
          const item = selectedItem(context);
          return {
            text: [item ? t('proofs.item_title', { kind: { key: item.kind ? PROOF_KIND_LABELS[item.kind] : 'proof.kind_unknown' }, date: { date: item.date } }) : t('proofs.title')],
            choices: [choice('send', 'proofs.send'), choice('describe', 'proofs.describe'), choice('delete', 'proofs.delete')],
          };
        },
      },
      on: {
        CHOOSE: [
          { guard: isChoice('send'), actions: emit(({ context }) => ({ type: 'send-proof', itemId: context.selected ?? '' }) satisfies Intent) },
          { guard: isChoice('describe'), target: 'described', actions: emit(({ context }) => ({ type: 'go', flow: 'proof.describe', params: { itemId: context.selected ?? '' } }) satisfies Intent) },
          { guard: isChoice('delete'), target: 'confirmDelete' },
        ],
        BACK: 'list',
      },
    },
    // The describe overlay is open on top; when it closes the list is read again.
    described: {
      on: { RESULT: 'loading', BACK: 'loading', CHOOSE: { guard: isChoice('list'), target: 'loading' } },
      meta: { prompt: () => ({ text: [t('proofs.title')], choices: [choice('list', 'proofs.back_to_list')] }) },
    },
    confirmDelete: {
      meta: { prompt: () => ({ text: [t('proofs.confirm_delete')], choices: [choice('yes', 'proofs.delete_yes'), choice('no', 'common.no')] }) },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'loading', actions: emit(({ context }) => ({ type: 'delete-proof', itemId: context.selected ?? '' }) satisfies Intent) },
          { guard: isChoice('no'), target: 'item', actions: say('proofs.kept') },
        ],
        BACK: 'item',
      },
    },
  },
});
