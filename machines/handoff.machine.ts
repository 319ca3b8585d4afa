import { assign, emit, setup } from 'xstate';
import { finish, flowTypes, intent, say } from './lib/dialogue.js';
import { choice, t, type HandoffStatus, type Intent } from './lib/intents.js';
import { isChoice, retryPrompt } from './lib/steps.js';

interface Context {
  /** Opened by Guichet when the volunteers closed: straight to "Did this help?". */
  readonly feedbackOnly: boolean;
  readonly status: HandoffStatus | null;
  /** Whose volunteers read, named before the person agrees. */
  readonly organisation: string;
}

const isStatus = (...statuses: HandoffStatus[]) => ({ event }: { event: { type: string; status?: HandoffStatus } }) =>
  event.type === 'HANDOFF' && statuses.includes(event.status!);

/**
 * Talking to a volunteer, as an overlay on whatever the person was doing:
 * consent first, then everything they write goes to the volunteers until
 * they go back ("back" to this screen, `0` or "menu" to Guichet) or end it.
 * Closing, from either side, ends with one question.
 */
export const handoffMachine = setup({
  types: flowTypes<Context>(),
}).createMachine({
  id: 'handoff',
  context: ({ input }) => ({ feedbackOnly: input.params?.step === 'feedback', status: null, organisation: '' }),
  initial: 'checking',
  states: {
    // The answer comes within the same turn; the retry question shows only if it never did.
    checking: {
      always: { guard: ({ context }) => context.feedbackOnly, target: 'feedback' },
      entry: intent({ type: 'handoff-check' }),
      meta: { prompt: retryPrompt },
      on: {
        CHOOSE: { guard: isChoice('retry'), target: 'checking', reenter: true },
        HANDOFF: [
          { guard: isStatus('open'), target: 'open' },
          { guard: isStatus('busy'), actions: [say('helpdesk.case_busy'), finish()] },
          { target: 'consent', actions: assign(({ event }) => (event.type === 'HANDOFF' ? { status: event.status, organisation: event.organisation } : {})) },
        ],
      },
    },
    consent: {
      meta: {
        prompt: (context) => ({
          text: [t('helpdesk.consent', { organisation: context.organisation }), ...(context.status === 'reopenable' ? [t('helpdesk.consent_continues')] : [])],
          choices: [choice('yes', 'helpdesk.consent_yes'), choice('no', 'helpdesk.consent_no')],
        }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), target: 'opening', actions: intent({ type: 'handoff-open' }) },
          { guard: isChoice('no'), actions: [say('helpdesk.consent_declined'), finish()] },
        ],
        BACK: { actions: finish() },
      },
    },
    opening: {
      meta: { prompt: retryPrompt },
      on: {
        CHOOSE: { guard: isChoice('retry'), target: 'opening', reenter: true, actions: intent({ type: 'handoff-open' }) },
        HANDOFF: [{ guard: isStatus('open'), target: 'relay' }, { guard: isStatus('busy'), actions: [say('helpdesk.case_busy'), finish()] }, { actions: finish() }],
      },
    },
    open: {
      meta: {
        prompt: () => ({ text: [t('helpdesk.open_title')], choices: [choice('write', 'helpdesk.write'), choice('end', 'helpdesk.end')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('write'), target: 'relay' },
          { guard: isChoice('end'), target: 'ending', actions: intent({ type: 'handoff-close' }) },
        ],
        // The volunteers closed while this screen was on: the question comes at once.
        HANDOFF: [{ guard: isStatus('closed'), target: 'feedback' }],
        BACK: { actions: finish() },
      },
    },
    ending: {
      meta: { prompt: retryPrompt },
      on: {
        CHOOSE: { guard: isChoice('retry'), target: 'ending', reenter: true, actions: intent({ type: 'handoff-close' }) },
        HANDOFF: 'feedback',
      },
    },
    relay: {
      meta: { prompt: () => ({ text: [t('helpdesk.relay_hint')], choices: [], freeText: true, relay: true }) },
      on: {
        TEXT: { actions: emit(({ event }) => ({ type: 'handoff-relay', text: event.type === 'TEXT' ? event.text : '' }) satisfies Intent) },
        HANDOFF: [{ guard: isStatus('closed'), target: 'feedback' }, { guard: isStatus('busy'), actions: [say('helpdesk.case_busy'), finish()] }],
        BACK: 'open',
      },
    },
    feedback: {
      meta: {
        prompt: () => ({ text: [t('helpdesk.feedback_question')], choices: [choice('yes', 'helpdesk.feedback_yes'), choice('no', 'helpdesk.feedback_no')] }),
      },
      on: {
        CHOOSE: [
          { guard: isChoice('yes'), actions: [intent({ type: 'handoff-feedback', helped: true }), say('helpdesk.feedback_thanks'), finish()] },
          { guard: isChoice('no'), actions: [intent({ type: 'handoff-feedback', helped: false }), say('helpdesk.feedback_sorry'), finish()] },
        ],
        BACK: { actions: finish() },
      },
    },
  },
});
