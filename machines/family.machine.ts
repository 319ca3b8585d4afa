import { assign, emit, setup } from 'xstate';
import { flowTypes, say } from './lib/dialogue.js';
import { parseLinkCode, parseShownName } from './lib/answers.js';
import { choice, t, type CaseChoice, type CasesOverview, type Choice, type Intent, type Prompt, type Text } from './lib/intents.js';
import { isChoice, retryPrompt } from './lib/steps.js';

/**
 * "Family and helpers": which case the person is working on (their own, a
 * relative's), switching between them, helping someone (with a code the
 * other person sends from their own phone, or on their behalf when they have
 * none), typing a code received from a helper and agreeing to it, and for an
 * owner the list of helpers, what they did, and removing one.
 *
 * Every change is checked again by the engine: the choices shown here are a
 * convenience, never the access control.
 */
interface Context {
  overview: CasesOverview | null;
  wantsCode: boolean;
  helperName: string | null;
  label: string | null;
  codeId: string | null;
  codeHelper: string | null;
  codeVia: Text | null;
  selectedHelper: string | null;
  /** A code typed at the main menu, checked as soon as the flow opens. */
  pendingCode: string | null;
}

/** Names and labels are shown to others in messages: short, one line. */
const MAX_NAME = 40;
const CASE_PREFIX = 'case:';
const HELPER_PREFIX = 'helper:';


function active(context: Context): CaseChoice | undefined {
  return context.overview?.cases.find((c) => c.id === context.overview?.activeId);
}

function caseLabel(c: CaseChoice): Text {
  if (c.own) return t('family.case_own');
  return c.role === 'owner' ? t('family.case_on_behalf', { label: c.label ?? '' }) : t('family.case_helped', { label: c.label ?? '' });
}

function overviewPrompt(context: Context): Prompt {
  const current = active(context);
  // Fixed places, whatever case is open: 1 help someone, 2 type a code, 3 the helpers;
  // "switch" comes last and only once there is another case to switch to.
  const choices: Choice[] = [choice('help', 'family.help_someone'), choice('code', 'family.enter_code'), choice('helpers', 'family.helpers')];
  if ((context.overview?.cases.length ?? 0) > 1) choices.push(choice('switch', 'family.switch'));
  return { text: [t('family.working_on', { case: current ? caseLabel(current) : t('family.case_own') }), t('family.intro')], choices };
}

const nameGuard = ({ event }: { event: { type: string; text?: string } }) => event.type === 'TEXT' && parseShownName(event.text ?? '', MAX_NAME) !== undefined;
const tidyName = (text: string) => parseShownName(text, MAX_NAME)!;

export const familyMachine = setup({
  types: flowTypes<Context>(),
  guards: {
    hasPendingCode: ({ context }) => context.pendingCode !== null,
  },
  actions: {
    checkCode: emit(({ context, event }): Intent => ({ type: 'check-link-code', code: (event.type === 'TEXT' ? parseLinkCode(event.text) : context.pendingCode) ?? '' })),
  },
}).createMachine({
  id: 'family',
  context: ({ input }) => {
    const code = typeof input.params?.code === 'string' ? parseLinkCode(input.params.code) : undefined;
    return { overview: null, wantsCode: false, helperName: null, label: null, codeId: null, codeHelper: null, codeVia: null, selectedHelper: null, pendingCode: code ?? null };
  },
  initial: 'loading',
  states: {
    loading: {
      entry: emit({ type: 'list-cases' } satisfies Intent),
      meta: { prompt: retryPrompt },
      on: {
        CHOOSE: { guard: isChoice('retry'), target: 'loading', reenter: true },
        CASES: [
          { guard: 'hasPendingCode', target: 'checking', actions: [assign(({ event }) => ({ overview: event.overview })), 'checkCode', assign({ pendingCode: null })] },
          { target: 'overview', actions: assign(({ event }) => ({ overview: event.overview })) },
        ],
      },
    },
    overview: {
      meta: { prompt: overviewPrompt },
      on: {
        CHOOSE: [
          { guard: isChoice('switch'), target: 'switch' },
          { guard: ({ context, event }) => isChoice('helpers')({ event }) && (context.overview?.helpers.length ?? 0) > 0, target: 'helpers' },
          // Helpers are linked to a person's own case: elsewhere, say where to find them.
          { guard: ({ context, event }) => isChoice('helpers')({ event }) && active(context)?.own !== true, actions: say('family.helpers_owner_only') },
          // Nobody to list or remove: the engine says so and how someone becomes a helper.
          { guard: isChoice('helpers'), actions: emit({ type: 'show-activity' } satisfies Intent) },
          { guard: isChoice('help'), target: 'hasPhone' },
          { guard: isChoice('code'), target: 'code' },
        ],
        CASES: { actions: assign(({ event }) => ({ overview: event.overview })) },
      },
    },
    switch: {
      meta: {
        prompt: (context) => ({
          text: [t('family.ask_switch')],
          choices: (context.overview?.cases ?? []).map((c) => ({ id: `${CASE_PREFIX}${c.id}`, label: caseLabel(c) })),
        }),
      },
      on: {
        CHOOSE: {
          guard: ({ context, event }) => event.choice.startsWith(CASE_PREFIX) && (context.overview?.cases ?? []).some((c) => `${CASE_PREFIX}${c.id}` === event.choice),
          target: 'loading',
          actions: emit(({ event }) => ({ type: 'switch-case', caseId: event.type === 'CHOOSE' ? event.choice.slice(CASE_PREFIX.length) : '' }) satisfies Intent),
        },
        BACK: 'overview',
      },
    },
    hasPhone: {
      meta: {
        prompt: () => ({ text: [t('family.ask_has_phone')], choices: [choice('yes', 'family.has_phone_yes'), choice('no', 'family.has_phone_no')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'helperName', actions: assign({ wantsCode: true }) },
          { guard: isChoice('no'), target: 'label', actions: assign({ wantsCode: false }) },
        ],
        BACK: 'overview',
      },
    },
    helperName: {
      meta: { prompt: () => ({ text: [t('family.ask_helper_name')], choices: [], freeText: true }) },
      on: {
        TEXT: [{ guard: nameGuard, target: 'label', actions: assign(({ event }) => ({ helperName: tidyName(event.text) })) }, { actions: say('family.name_invalid') }],
        BACK: 'hasPhone',
      },
    },
    label: {
      meta: { prompt: () => ({ text: [t('family.ask_label')], choices: [], freeText: true }) },
      on: {
        TEXT: [
          {
            guard: ({ context, event }) => context.wantsCode && nameGuard({ event }),
            target: 'loading',
            actions: emit(({ context, event }) => ({ type: 'create-link-code', helperName: context.helperName ?? '', label: tidyName(event.text) }) satisfies Intent),
          },
          { guard: nameGuard, target: 'confirmBehalf', actions: assign(({ event }) => ({ label: tidyName(event.text) })) },
          { actions: say('family.name_invalid') },
        ],
        BACK: 'hasPhone',
      },
    },
    confirmBehalf: {
      meta: {
        prompt: (context) => ({
          text: [t('family.confirm_behalf', { label: context.label ?? '' })],
          choices: [choice('yes', 'family.confirm_behalf_yes'), choice('no', 'common.no')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'loading', actions: emit(({ context }) => ({ type: 'create-on-behalf-case', label: context.label ?? '' }) satisfies Intent) },
          { guard: isChoice('no'), target: 'overview', actions: say('family.behalf_cancelled') },
        ],
        BACK: 'label',
      },
    },
    code: {
      meta: { prompt: () => ({ text: [t('family.ask_code')], choices: [], freeText: true, answer: 'number' }) },
      on: {
        TEXT: [{ guard: ({ event }) => parseLinkCode(event.text) !== undefined, target: 'checking', actions: 'checkCode' }, { actions: say('family.code_format') }],
        BACK: 'overview',
      },
    },
    // Waits for the engine's CODE answer.
    checking: {
      meta: { prompt: retryPrompt },
      on: {
        CHOOSE: { guard: isChoice('retry'), target: 'code' },
        CODE: [
          {
            guard: ({ event }) => event.answer.status === 'ok',
            target: 'consent',
            actions: assign(({ event }) => (event.answer.status === 'ok' ? { codeId: event.answer.codeId, codeHelper: event.answer.helperName, codeVia: event.answer.helperVia } : {})),
          },
          {
            guard: ({ event }) => event.answer.status === 'wrong',
            target: 'code',
            actions: emit(({ event }) => ({ type: 'say', text: t('family.code_wrong', { count: event.type === 'CODE' && event.answer.status === 'wrong' ? event.answer.triesLeft : 0 }) }) satisfies Intent),
          },
          { guard: ({ event }) => event.answer.status === 'locked', target: 'overview', actions: say('family.code_locked') },
          { guard: ({ event }) => event.answer.status === 'busy', target: 'overview', actions: say('family.code_busy') },
          { guard: ({ event }) => event.answer.status === 'own', target: 'overview', actions: say('family.code_own') },
          { target: 'overview', actions: say('family.code_already') },
        ],
      },
    },
    consent: {
      meta: {
        prompt: (context) => ({
          // The name is what the helper typed; beside it, what they could not choose.
          text: [t('family.consent', { name: context.codeHelper ?? '', via: context.codeVia ?? t('family.via_terminal') })],
          choices: [choice('yes', 'family.consent_yes'), choice('no', 'family.consent_no')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'loading', actions: emit(({ context }) => ({ type: 'answer-link', codeId: context.codeId ?? '', accept: true }) satisfies Intent) },
          { guard: isChoice('no'), target: 'loading', actions: emit(({ context }) => ({ type: 'answer-link', codeId: context.codeId ?? '', accept: false }) satisfies Intent) },
        ],
      },
    },
    helpers: {
      entry: emit({ type: 'show-activity' } satisfies Intent),
      meta: {
        prompt: (context) => ({
          text: [t('family.ask_helper_action')],
          choices: (context.overview?.helpers ?? []).map((h) => choice(`${HELPER_PREFIX}${h.id}`, 'family.remove_helper', { name: h.name })),
        }),
      },
      on: {
        CHOOSE: {
          guard: ({ context, event }) => (context.overview?.helpers ?? []).some((h) => `${HELPER_PREFIX}${h.id}` === event.choice),
          target: 'confirmRemove',
          actions: assign(({ event }) => ({ selectedHelper: event.choice.slice(HELPER_PREFIX.length) })),
        },
        BACK: 'overview',
      },
    },
    confirmRemove: {
      meta: {
        prompt: (context) => ({
          text: [t('family.confirm_remove', { name: context.overview?.helpers.find((h) => h.id === context.selectedHelper)?.name ?? '' })],
          choices: [choice('yes', 'family.remove_yes'), choice('no', 'common.no')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'loading', actions: emit(({ context }) => ({ type: 'remove-helper', helperId: context.selectedHelper ?? '' }) satisfies Intent) },
          { guard: isChoice('no'), target: 'helpers' },
        ],
        BACK: 'helpers',
      },
    },
  },
});
