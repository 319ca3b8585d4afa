import { createHash } from 'node:crypto';
import type { HandoffStatus, Intent } from '../../machines/lib/intents.js';
import { hhmm, type OpeningHours } from '../helpdesk/opening-hours.js';
import { zonedMinutes } from '../reminders/local-time.js';
import type { Handoff, HelpdeskKind, Store } from '../store/ports.js';
import type { Vault } from '../vault/vault.js';
import { recordId } from './call-log-effects.js';
import type { EffectContext } from './effect-context.js';
import { REFUSALS } from './proof-effects.js';

export type HandoffIntent = Extract<Intent, { type: 'handoff-check' | 'handoff-open' | 'handoff-relay' | 'handoff-close' | 'handoff-feedback' }>;

/** The helpdesk as configured: who reads, when, and for how long conversations are kept. */
export interface HandoffSettings {
  readonly kind: HelpdeskKind;
  readonly organisation: string;
  readonly hours: OpeningHours;
  readonly timeZone: string;
  readonly retentionDays: number;
}

/** What the turn asks of the helpdesk once it is saved (the helpdesk is never called mid-turn: a retried turn would call it twice). */
export type HelpdeskAction =
  | { readonly type: 'sync' }
  | { readonly type: 'close'; readonly handoffId: string }
  | { readonly type: 'reopen'; readonly handoffId: string };

export interface HandoffEffectDeps {
  readonly store: Store;
  readonly vault: Vault;
  readonly settings: HandoffSettings;
  readonly localDay: (epoch: number) => string;
}

/** Writing again within this time after a closing continues the same conversation. */
export const REOPEN_WITHIN_MS = 7 * 24 * 3600_000;

/** "Personne 4821": what volunteers call the person, the same for a handoff whatever the retries. */
export function pseudonymOf(handoffId: string): string {
  return `Personne ${1000 + (parseInt(createHash('sha256').update(handoffId).digest('hex').slice(0, 8), 16) % 9000)}`;
}

/**
 * Where this person's conversation about the case stands. Volunteers answer
 * the person who opened it: someone else on the case (the owner, a helper)
 * finds it busy, and does not continue another person's closed one.
 */
async function statusOf(store: Store, caseId: string, personId: string, now: number): Promise<{ status: HandoffStatus; handoff: Handoff | undefined }> {
  const open = await store.handoffs.openForCase(caseId);
  if (open) return { status: open.personId === personId ? 'open' : 'busy', handoff: open };
  const latest = await store.handoffs.latestForCase(caseId);
  if (latest?.personId === personId && latest.closedAt !== null && now - latest.closedAt < REOPEN_WITHIN_MS) return { status: 'reopenable', handoff: latest };
  return { status: 'none', handoff: undefined };
}

export async function runHandoffEffect(deps: HandoffEffectDeps, ctx: EffectContext, intent: HandoffIntent): Promise<void> {
  const { store, settings } = deps;
  const caseId = await ctx.caseId();
  const organisation = settings.organisation;
  switch (intent.type) {
    case 'handoff-check': {
      const { status } = await statusOf(store, caseId, ctx.personId, ctx.now);
      return ctx.deliver({ type: 'HANDOFF', status, organisation, today: ctx.today });
    }
    case 'handoff-open': {
      const { status, handoff } = await statusOf(store, caseId, ctx.personId, ctx.now);
      if (status === 'busy') return ctx.deliver({ type: 'HANDOFF', status, organisation, today: ctx.today });
      if (status === 'reopenable' && handoff && (await store.handoffs.reopen(handoff.id, ctx.now))) ctx.helpdesk({ type: 'reopen', handoffId: handoff.id });
      else if (status === 'none') {
        const id = recordId('handoff', ctx.personId, ctx.messageKey);
        await store.handoffs.open({ id, caseId, personId: ctx.personId, helpdesk: settings.kind, pseudonym: pseudonymOf(id), openedAt: ctx.now });
      }
      ctx.say({ key: 'helpdesk.opened', params: { organisation } });
      if (!settings.hours.isOpen(ctx.now)) sayOutOfHours(deps, ctx);
      ctx.helpdesk({ type: 'sync' });
      return ctx.deliver({ type: 'HANDOFF', status: 'open', organisation, today: ctx.today });
    }
    case 'handoff-relay':
      return relay(deps, ctx, caseId, { text: intent.text, vaultItemId: null });
    case 'handoff-close': {
      const open = await store.handoffs.openForCase(caseId);
      if (open?.personId === ctx.personId && (await store.handoffs.close(open.id, ctx.now))) ctx.helpdesk({ type: 'close', handoffId: open.id });
      ctx.say({ key: 'helpdesk.ended' });
      return ctx.deliver({ type: 'HANDOFF', status: 'closed', organisation, today: ctx.today });
    }
    case 'handoff-feedback': {
      const latest = await store.handoffs.latestForCase(caseId);
      if (latest) await store.handoffs.setFeedback(latest.id, intent.helped ? 'yes' : 'no');
      return;
    }
  }
}

/**
 * Before a person is erased: every conversation they opened, and every one in
 * the cases they own, is queued for erasure at the helpdesk. The queue holds
 * only the helpdesk's own ids and outlives the person, so a helpdesk that is
 * down now is erased from when it answers again.
 */
export async function eraseAtHelpdeskLater(store: Store, ctx: EffectContext): Promise<void> {
  const handoffs = await store.handoffs.listByPerson(ctx.personId);
  for (const c of await store.cases.listForPerson(ctx.personId)) if (c.role === 'owner') handoffs.push(...(await store.handoffs.listForCase(c.id)));
  for (const h of handoffs) await queueHelpdeskErasure(store, h, ctx.now);
  if (handoffs.length > 0) ctx.helpdesk({ type: 'sync' });
}

/** Queue the helpdesk's copy of a conversation for erasure (nothing to do when it was never made there). */
export async function queueHelpdeskErasure(store: Store, handoff: Handoff, now: number): Promise<void> {
  if (handoff.externalId) await store.handoffs.queueErasure({ id: handoff.id, helpdesk: handoff.helpdesk, externalId: handoff.externalId, externalData: handoff.externalData, queuedAt: now });
}

/** A file sent while writing to the volunteers: kept in the case's vault (sealed), then passed on. */
export async function relayAttachment(deps: HandoffEffectDeps, ctx: EffectContext, bytes: Uint8Array): Promise<void> {
  const caseId = await ctx.caseId();
  const kept = await deps.vault.keep({ id: recordId('proof', ctx.personId, ctx.messageKey), caseId, bytes, channel: ctx.from.channel, senderId: ctx.personId, receivedAt: ctx.now });
  if (!kept.kept) return ctx.say({ key: REFUSALS[kept.problem] });
  await ctx.activity('proof');
  return relay(deps, ctx, caseId, { text: null, vaultItemId: kept.item.id });
}

async function relay(deps: HandoffEffectDeps, ctx: EffectContext, caseId: string, content: { text: string | null; vaultItemId: string | null }): Promise<void> {
  const { store } = deps;
  let { status, handoff } = await statusOf(store, caseId, ctx.personId, ctx.now);
  if (status === 'busy') return ctx.deliver({ type: 'HANDOFF', status, organisation: deps.settings.organisation, today: ctx.today });
  if (status === 'reopenable' && handoff && (await store.handoffs.reopen(handoff.id, ctx.now))) {
    // Writing again within the week continues the same conversation.
    ctx.say({ key: 'helpdesk.reopened' });
    ctx.helpdesk({ type: 'reopen', handoffId: handoff.id });
    handoff = await store.handoffs.get(handoff.id);
    status = 'open';
  }
  if (status !== 'open' || !handoff) return ctx.deliver({ type: 'HANDOFF', status: 'closed', organisation: deps.settings.organisation, today: ctx.today });
  const startsWait = handoff.waitingSince === null;
  const recorded = await store.handoffs.addMessage({
    id: recordId('handoff-message', ctx.personId, ctx.messageKey),
    handoffId: handoff.id,
    at: ctx.now,
    from: 'person',
    author: null,
    ...content,
    state: 'pending',
  });
  if (recorded && startsWait) {
    ctx.say({ key: 'helpdesk.sent' });
    // Out of hours, said once per closed stretch: not again right after opening in it.
    const { hours } = deps.settings;
    const saidAtOpening = !hours.isOpen(handoff.openedAt) && hours.nextOpening(handoff.openedAt) === hours.nextOpening(ctx.now);
    if (!hours.isOpen(ctx.now) && !saidAtOpening) sayOutOfHours(deps, ctx);
  }
  ctx.helpdesk({ type: 'sync' });
}

function sayOutOfHours(deps: HandoffEffectDeps, ctx: EffectContext): void {
  const next = deps.settings.hours.nextOpening(ctx.now);
  if (next === undefined) return;
  const time = hhmm(zonedMinutes(next, deps.settings.timeZone));
  ctx.say({ key: 'helpdesk.out_of_hours', params: { date: { date: deps.localDay(next) }, time } });
}
