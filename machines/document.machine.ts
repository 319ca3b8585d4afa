import { assign, emit, setup } from 'xstate';
import { go, say, flowTypes } from './lib/dialogue.js';
import {
  choice,
  EXCLUSION_REASONS,
  REQUEST_KINDS,
  t,
  type Choice,
  type ExclusionReason,
  type FlowEvent,
  type Intent,
  type Place,
  type RequestKind,
} from './lib/intents.js';
import { parseLatinName } from './lib/answers.js';
import { isChoice } from './lib/steps.js';

/**
 * Collects what a French document needs, in Latin letters as on the
 * passport, then asks the engine to make the PDF. `kind` (a param) chooses
 * the document: the registered letter asking for an appointment, or the
 * statement that the online service cannot be used. Nothing is asked that
 * the document does not print.
 */
interface Context {
  kind: 'letter' | 'statement';
  surname: string | null;
  givenNames: string | null;
  birthDate: string | null;
  street: string | null;
  postcode: string | null;
  place: Place | null;
  town: string | null;
  request: RequestKind | null;
  reasons: ExclusionReason[];
}

function textOf(event: FlowEvent): string {
  return event.type === 'TEXT' ? event.text : '';
}

const STREET = /^[\p{Script=Latin}\d][\p{Script=Latin}\d\s'’.,/-]*$/u;

export function parseStreet(text: string): string | undefined {
  const tidy = text.replace(/\s+/g, ' ').trim();
  return tidy.length > 0 && tidy.length <= 120 && STREET.test(tidy) ? tidy : undefined;
}

export function parsePostcode(text: string): string | undefined {
  const tidy = text.replace(/\s+/g, '');
  return /^\d{5}$/.test(tidy) ? tidy : undefined;
}

export function parseForeignerNumber(text: string): string | undefined {
  const tidy = text.replace(/\s+/g, '');
  return /^\d{10}$/.test(tidy) ? tidy : undefined;
}

const reasonChoice = (r: ExclusionReason): Choice => choice(r, `document.reason_${r}`);
const nameOk = ({ event }: { event: FlowEvent }) => parseLatinName(textOf(event)) !== undefined;
const birthParams = { purpose: 'birth', ask: 'document.ask_birth_day', confirm: 'document.confirm_birth', allow: 'past' } as const;

export const documentMachine = setup({
  types: flowTypes<Context>(),
  actions: {
    makeDocument: emit(({ context }) => makeDocument(context)),
  },
}).createMachine({
  id: 'document',
  context: ({ input }) => ({
    kind: input.params?.kind === 'letter' ? 'letter' : 'statement',
    surname: null,
    givenNames: null,
    birthDate: null,
    street: null,
    postcode: null,
    place: null,
    town: null,
    request: null,
    reasons: [],
  }),
  initial: 'surname',
  states: {
    surname: {
      meta: { prompt: () => ({ text: [t('document.ask_surname')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          { guard: nameOk, target: 'givenNames', actions: assign(({ event }) => ({ surname: parseLatinName(textOf(event))!.toUpperCase() })) },
          { actions: say('document.invalid_name') },
        ],
      },
    },
    givenNames: {
      meta: { prompt: () => ({ text: [t('document.ask_given_names')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          { guard: nameOk, target: 'birth', actions: assign(({ event }) => ({ givenNames: parseLatinName(textOf(event))! })) },
          { actions: say('document.invalid_name') },
        ],
        BACK: 'surname',
      },
    },
    // The date is asked by the date overlay, opened on entry; if the person
    // steps back out of it, this question offers to open it again.
    birth: {
      entry: go('ask.date', birthParams),
      meta: { prompt: () => ({ text: [t('document.ask_birth_day')], choices: [choice('again', 'common.next')] }) },
      on: {
        CHOOSE: { guard: isChoice('again'), actions: go('ask.date', birthParams) },
        RESULT: [
          {
            guard: ({ context, event }) => event.result.kind === 'date' && context.kind === 'letter',
            target: 'street',
            actions: assign(({ event }) => ({ birthDate: event.result.kind === 'date' ? event.result.date : null })),
          },
          {
            guard: ({ event }) => event.result.kind === 'date',
            target: 'reason',
            actions: assign(({ event }) => ({ birthDate: event.result.kind === 'date' ? event.result.date : null })),
          },
        ],
        BACK: 'givenNames',
      },
    },
    street: {
      meta: { prompt: () => ({ text: [t('document.ask_street')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          { guard: ({ event }) => parseStreet(textOf(event)) !== undefined, target: 'postcode', actions: assign(({ event }) => ({ street: parseStreet(textOf(event))! })) },
          { actions: say('document.invalid_street') },
        ],
        BACK: 'givenNames',
      },
    },
    postcode: {
      meta: { prompt: () => ({ text: [t('document.ask_postcode')], choices: [], freeText: true, answer: 'number' }) },
      on: {
        TEXT: [
          {
            guard: ({ event }) => parsePostcode(textOf(event)) !== undefined,
            target: 'postcodeLookup',
            actions: [
              assign(({ event }) => ({ postcode: parsePostcode(textOf(event))! })),
              emit(({ event }) => ({ type: 'lookup-place', query: parsePostcode(textOf(event))! }) satisfies Intent),
            ],
          },
          { actions: say('document.invalid_postcode') },
        ],
        BACK: 'street',
      },
    },
    // Left in the same turn, when the engine answers with PLACE.
    postcodeLookup: {
      meta: { prompt: () => ({ text: [t('document.ask_postcode')], choices: [], freeText: true, answer: 'number' }) },
      on: {
        PLACE: [
          { guard: ({ event }) => event.place !== null, target: 'town', actions: assign(({ event }) => ({ place: event.place })) },
          { target: 'postcode', actions: say('document.invalid_postcode') },
        ],
        BACK: 'postcode',
      },
    },
    town: {
      meta: { prompt: () => ({ text: [t('document.ask_town')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          { guard: nameOk, target: 'request', actions: assign(({ event }) => ({ town: parseLatinName(textOf(event))! })) },
          { actions: say('document.invalid_name') },
        ],
        BACK: 'postcode',
      },
    },
    request: {
      meta: { prompt: () => ({ text: [t('document.ask_request')], choices: REQUEST_KINDS.map((r) => choice(r, `triage.need_${r}`)) }) },
      on: {
        CHOOSE: {
          guard: ({ event }) => (REQUEST_KINDS as readonly string[]).includes(event.choice),
          target: 'foreignerNumber',
          actions: assign(({ event }) => ({ request: event.choice as RequestKind })),
        },
        BACK: 'town',
      },
    },
    foreignerNumber: {
      meta: {
        prompt: () => ({ text: [t('document.ask_foreigner_number')], choices: [choice('none', 'document.no_foreigner_number')], freeText: true, answer: 'number' }),
      },
      on: {
        CHOOSE: { guard: isChoice('none'), target: 'done', actions: ['makeDocument', emit({ type: 'finish', result: { kind: 'done', purpose: 'document' } } satisfies Intent)] },
        TEXT: [
          {
            guard: ({ event }) => parseForeignerNumber(textOf(event)) !== undefined,
            target: 'done',
            actions: [
              emit(({ context, event }) => makeDocument(context, parseForeignerNumber(textOf(event))!)),
              emit({ type: 'finish', result: { kind: 'done', purpose: 'document' } } satisfies Intent),
            ],
          },
          { actions: say('document.invalid_foreigner_number') },
        ],
        BACK: 'request',
      },
    },
    reason: {
      meta: { prompt: () => ({ text: [t('document.ask_reason')], choices: EXCLUSION_REASONS.map(reasonChoice) }) },
      on: {
        CHOOSE: {
          guard: ({ event }) => (EXCLUSION_REASONS as readonly string[]).includes(event.choice),
          target: 'moreReasons',
          actions: assign(({ event }) => ({ reasons: [event.choice as ExclusionReason] })),
        },
        BACK: 'givenNames',
      },
    },
    moreReasons: {
      meta: {
        prompt: (context) => ({
          text: [t('document.ask_more_reasons')],
          // Every reason keeps its number; the chosen ones are ticked, and choosing one again removes it.
          choices: [
            choice('done', 'document.no_more_reasons'),
            ...EXCLUSION_REASONS.map((r) => (context.reasons.includes(r) ? choice(r, 'document.reason_picked', { reason: { key: `document.reason_${r}` } }) : reasonChoice(r))),
          ],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('done'), target: 'signTown' },
          {
            // The last reason stays: the statement needs at least one.
            guard: ({ context, event }) => context.reasons.includes(event.choice as ExclusionReason) && context.reasons.length > 1,
            target: 'moreReasons',
            reenter: true,
            actions: assign(({ context, event }) => ({ reasons: context.reasons.filter((r) => r !== event.choice) })),
          },
          { guard: ({ context, event }) => context.reasons.includes(event.choice as ExclusionReason), target: 'moreReasons', reenter: true },
          {
            guard: ({ context, event }) => (EXCLUSION_REASONS as readonly string[]).includes(event.choice) && !context.reasons.includes(event.choice as ExclusionReason),
            target: 'moreReasons',
            reenter: true,
            actions: assign(({ context, event }) => ({ reasons: [...context.reasons, event.choice as ExclusionReason] })),
          },
        ],
        BACK: 'reason',
      },
    },
    signTown: {
      meta: { prompt: () => ({ text: [t('document.ask_sign_town')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          {
            guard: nameOk,
            target: 'done',
            actions: [
              emit(({ context, event }) => makeDocument({ ...context, town: parseLatinName(textOf(event))! })),
              emit({ type: 'finish', result: { kind: 'done', purpose: 'document' } } satisfies Intent),
            ],
          },
          { actions: say('document.invalid_name') },
        ],
        BACK: 'moreReasons',
      },
    },
    done: { type: 'final' },
  },
});

function makeDocument(context: Context, foreignerNumber: string | null = null): Intent {
  if (context.kind === 'letter') {
    return {
      type: 'make-document',
      request: {
        document: 'letter',
        data: {
          surname: context.surname!,
          givenNames: context.givenNames!,
          birthDate: context.birthDate!,
          street: context.street!,
          postcode: context.postcode!,
          town: context.town!,
          request: context.request!,
          foreignerNumber,
          prefecture: context.place!,
        },
      },
    };
  }
  return {
    type: 'make-document',
    request: {
      document: 'statement',
      data: { surname: context.surname!, givenNames: context.givenNames!, birthDate: context.birthDate!, reasons: context.reasons, signTown: context.town! },
    },
  };
}
