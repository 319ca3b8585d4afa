import type { CasesOverview, CodeAnswer, Intent, Text } from '../../machines/lib/intents.js';
import { formatCode, helperHint, type LinkCodes } from '../cases/link-codes.js';
import type { ChannelName } from '../messages.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import type { ActivityAction, Store } from '../store/ports.js';
import type { EffectContext } from './effect-context.js';

export type CaseIntent = Extract<
  Intent,
  { type: 'list-cases' | 'switch-case' | 'show-activity' | 'create-link-code' | 'create-on-behalf-case' | 'check-link-code' | 'answer-link' | 'remove-helper' }
>;

export interface CaseEffectDeps {
  readonly store: Store;
  readonly links: LinkCodes;
  readonly reminders: ReminderService;
}

/** Where the helper writes from, in words, for the consent screen. */
function viaText(channel: ChannelName, hint: string | null): Text {
  if (channel === 'telegram') return hint ? { key: 'family.via_telegram_handle', params: { hint } } : { key: 'family.via_telegram' };
  if (channel === 'whatsapp') return hint ? { key: 'family.via_whatsapp_digits', params: { hint } } : { key: 'family.via_whatsapp' };
  if (channel === 'sms') return hint ? { key: 'family.via_sms_digits', params: { hint } } : { key: 'family.via_sms' };
  return { key: 'family.via_terminal' };
}

/** Entries the owner sees in the activity log. */
const ACTIVITY_SHOWN = 10;

const ACTIVITY_KEYS: Record<ActivityAction, string> = {
  joined: 'family.activity_joined',
  route: 'family.activity_route',
  date: 'family.activity_date',
  proof: 'family.activity_proof',
  document: 'family.activity_document',
  'call-log': 'family.activity_call',
  'letter-posted': 'family.activity_letter',
  'proof-deleted': 'family.activity_proof_deleted',
  'date-removed': 'family.activity_date_removed',
};

/**
 * Cases and helpers. The family flow only offers what makes sense; every
 * handler here checks again who may do what, because a flow's choices are
 * not access control (a stale screen, a crafted message).
 */
export async function runCaseEffect(deps: CaseEffectDeps, ctx: EffectContext, intent: CaseIntent): Promise<void> {
  const { store } = deps;
  switch (intent.type) {
    case 'list-cases':
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    case 'switch-case': {
      // Only a case the person is linked to; anything else is ignored as if never asked.
      if ((await store.cases.role(intent.caseId, ctx.personId)) !== undefined) {
        await store.people.setActiveCase(ctx.personId, intent.caseId);
        ctx.caseChanged();
        ctx.say({ key: 'family.switched' });
      }
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    }
    case 'show-activity': {
      const caseId = await ctx.caseId();
      if ((await ctx.role()) !== 'owner') return;
      const helpers = await store.cases.helpers(caseId);
      if (helpers.length === 0) {
        ctx.say({ key: 'family.no_helpers' });
        return;
      }
      const names = new Map(helpers.map((h) => [h.personId, h.name]));
      ctx.say({ key: 'family.helpers_title', params: { count: helpers.length } });
      for (const h of helpers) ctx.say({ key: 'family.helper_line', params: { name: h.name, date: { date: deps.reminders.localDay(h.addedAt) } } });
      const activity = await store.cases.listActivity(caseId, ACTIVITY_SHOWN);
      if (activity.length > 0) ctx.say({ key: 'family.activity_title' });
      for (const a of activity) {
        const name = (a.personId && names.get(a.personId)) ?? null;
        ctx.say({ key: ACTIVITY_KEYS[a.action], params: { name: name ?? { key: 'family.former_helper' }, date: { date: deps.reminders.localDay(a.at) } } });
      }
      return;
    }
    case 'create-link-code': {
      const made = await deps.links.create(ctx.personId, intent.helperName, intent.label, { channel: ctx.from.channel, hint: helperHint(ctx.from, ctx.username) }, ctx.now);
      if (made.status === 'created') ctx.say({ key: 'family.code_created', params: { code: formatCode(made.code), label: intent.label } });
      else ctx.say({ key: made.status === 'too-many-live' ? 'family.code_too_many_live' : made.status === 'too-many-today' ? 'family.code_too_many_today' : 'family.code_busy' });
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    }
    case 'create-on-behalf-case': {
      const caseId = await store.cases.createOnBehalfCase(ctx.personId, intent.label, ctx.now);
      await store.people.setActiveCase(ctx.personId, caseId);
      ctx.caseChanged();
      ctx.say({ key: 'family.behalf_created', params: { label: intent.label } });
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    }
    case 'check-link-code': {
      const checked = await deps.links.check(ctx.from, ctx.personId, intent.code, ctx.now);
      const answer: CodeAnswer = checked.status === 'ok' ? { status: 'ok', codeId: checked.codeId, helperName: checked.helperName, helperVia: viaText(checked.helperChannel, checked.helperHint) } : checked;
      return ctx.deliver({ type: 'CODE', answer, today: ctx.today });
    }
    case 'answer-link': {
      if (intent.accept) {
        const outcome = await deps.links.accept(ctx.personId, intent.codeId, ctx.now);
        if (outcome.status === 'linked') {
          // The new helper hears about dates already recorded, from now on.
          await deps.reminders.replanCase(outcome.caseId, ctx.today);
          ctx.say({ key: 'family.linked' });
          ctx.notify(outcome.helperId, { key: 'family.helper_accepted' });
        } else ctx.say({ key: 'family.code_gone' });
      } else {
        const outcome = await deps.links.decline(intent.codeId, ctx.now);
        ctx.say({ key: 'family.declined' });
        if (outcome.status === 'declined') ctx.notify(outcome.helperId, { key: 'family.helper_declined' });
      }
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    }
    case 'remove-helper': {
      const caseId = await ctx.caseId();
      if ((await ctx.role()) === 'owner' && (await store.cases.removeHelper(caseId, intent.helperId))) {
        ctx.say({ key: 'family.helper_removed' });
        ctx.notify(intent.helperId, { key: 'family.you_were_removed' });
        // A conversation the helper had open with the volunteers about this case ends with their access.
        const open = await store.handoffs.openForCase(caseId);
        if (open?.personId === intent.helperId && (await store.handoffs.close(open.id, ctx.now))) ctx.helpdesk({ type: 'close', handoffId: open.id });
      }
      return ctx.deliver({ type: 'CASES', overview: await overview(store, ctx), today: ctx.today });
    }
  }
}

async function overview(store: Store, ctx: EffectContext): Promise<CasesOverview> {
  const activeId = await ctx.caseId();
  const cases = (await store.cases.listForPerson(ctx.personId)).map((c) => ({ id: c.id, own: c.own, role: c.role, label: c.label }));
  const isOwner = (await ctx.role()) === 'owner';
  const helpers = isOwner ? (await store.cases.helpers(activeId)).map((h) => ({ id: h.personId, name: h.name })) : [];
  return { activeId, cases, helpers };
}
