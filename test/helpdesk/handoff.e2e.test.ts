import { afterEach, describe, expect, it } from 'vitest';
import { ChatwootHelpdesk } from '../../src/helpdesk/chatwoot/chatwoot-helpdesk.js';
import { CHATWOOT_WEBHOOK_PATH } from '../../src/helpdesk/chatwoot/chatwoot-webhook.js';
import type { HandoffService } from '../../src/helpdesk/handoff-service.js';
import { OpeningHours, parseWeeklyHours, type WeeklyHours } from '../../src/helpdesk/opening-hours.js';
import { startHandoffService } from '../../src/helpdesk/start-helpdesk.js';
import type { HandoffSettings, HelpdeskAction } from '../../src/engine/handoff-effects.js';
import { FakeChatwoot } from '../fakes/fake-chatwoot.js';
import { createTestApp } from '../helpers/test-app.js';

const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xd9]);
const ALWAYS = 'mon-sun 00:00-24:00';

function weekly(text: string): WeeklyHours {
  const parsed = parseWeeklyHours(text);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

interface Setup {
  app: ReturnType<typeof createTestApp>;
  chatwoot: FakeChatwoot;
  service: HandoffService;
  helpdesk: ChatwootHelpdesk;
}

let current: Setup | undefined;
afterEach(async () => {
  if (!current) return;
  await current.service.stop();
  await current.chatwoot.stop();
  await current.app.close();
  current = undefined;
});

async function setUp(options: { hours?: string; now?: string; firstResponseMinutes?: number } = {}): Promise<Setup> {
  const chatwoot = new FakeChatwoot();
  await chatwoot.start();
  const settings: HandoffSettings = {
    kind: 'chatwoot',
    organisation: 'La Cimade 93',
    hours: new OpeningHours(weekly(options.hours ?? ALWAYS), 'Europe/Paris', (date) => date === '2026-12-25'),
    timeZone: 'Europe/Paris',
    retentionDays: 90,
  };
  let service: HandoffService | undefined;
  const app = createTestApp({
    now: options.now ?? '2026-12-02T10:00:00+01:00',
    handoff: settings,
    helpdesk: { afterTurn: (actions: readonly HelpdeskAction[]) => service?.afterTurn(actions) },
  });
  const helpdesk = new ChatwootHelpdesk({ ...chatwoot.helpdeskSettings(), logger: app.logger, now: () => app.clock.now() });
  service = await startHandoffService(
    { helpdesk, settings, firstResponseMs: (options.firstResponseMinutes ?? 60) * 60_000, store: app.store, engine: app.engine, renderer: app.renderer, outbox: app.outbox, vault: app.vault, clock: app.clock, logger: app.logger },
    // Passes run when the test says so.
    { syncMs: 3_600_000, waitingMs: 3_600_000, reconcileMs: 3_600_000 },
  );
  chatwoot.webhookUrl = `http://127.0.0.1:${helpdesk.listeningPort()}${CHATWOOT_WEBHOOK_PATH}`;
  chatwoot.now = () => app.clock.now();
  current = { app, chatwoot, service, helpdesk };
  return current;
}

/** Everything settled: turns, the service's passes, the webhooks received. */
async function settle(s: Setup): Promise<void> {
  await s.app.engine.idle();
  await s.service.idle();
  await s.helpdesk.idle();
  await s.app.engine.idle();
}

function onlyConversation(chatwoot: FakeChatwoot) {
  const all = [...chatwoot.conversations.values()];
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('talking to a volunteer through Chatwoot', () => {
  it('asks consent, opens one pseudonymous conversation with a summary, and relays both ways', async () => {
    const s = await setUp();
    const { app, chatwoot } = s;
    const menu = await app.walk('p', ['4']);
    expect(menu).toMatch(/\d\. Parler à une personne \(un bénévole\)/);
    const consent = await app.choose('p', /Parler à une personne/);
    expect(consent).toMatch(/Des bénévoles de La Cimade 93 peuvent lire/);
    expect(consent).toMatch(/1\. Oui, écrire à un bénévole\n2\. Non, pas maintenant/);
    expect(await app.say('p', '1')).toMatch(/Un bénévole de La Cimade 93 vous répondra ici/);
    await settle(s);
    const conversation = onlyConversation(chatwoot);
    const contact = chatwoot.contacts.get(conversation.contactId)!;
    expect(contact.name).toMatch(/^Personne \d{4}$/);
    expect(JSON.stringify([...chatwoot.contacts.values(), ...chatwoot.conversations.values()])).not.toContain('"p"');
    const summary = chatwoot.messagesIn(conversation.id)[0]!;
    expect(summary).toMatchObject({ private: true });
    expect(summary.content).toMatch(/Langue\s: français\./);

    // The first message of a wait is acknowledged; the next ones are the volunteers' only.
    expect(await app.say('p', "Bonjour, j'ai perdu mon récépissé")).toBe('Envoyé aux bénévoles. Leur réponse arrivera ici.');
    expect(await app.say('p', '1')).toBe('');
    await settle(s);
    expect(chatwoot.messagesIn(conversation.id).filter((m) => m.messageType === 0).map((m) => m.content)).toEqual(["Bonjour, j'ai perdu mon récépissé", '1']);

    await chatwoot.agentReply(conversation.id, 'Claire Dupont', 'Bonjour, avez-vous une photo du récépissé ?');
    await settle(s);
    expect(app.outbox.transcript('p')).toMatch(/Claire, bénévole\s:\sBonjour, avez-vous une photo du récépissé/);

    // A photo both ways. After the volunteer's answer, the next message is acknowledged again.
    expect(await app.sendFile('p', JPEG)).toBe('Envoyé aux bénévoles. Leur réponse arrivera ici.');
    await settle(s);
    const withFile = chatwoot.messagesIn(conversation.id).filter((m) => m.messageType === 0 && m.attachments.length > 0);
    expect(withFile).toHaveLength(1);
    expect(Buffer.from(withFile[0]!.attachments[0]!.bytes).equals(Buffer.from(JPEG))).toBe(true);
    await chatwoot.agentReply(conversation.id, 'Claire', '', { file: { name: 'liste.jpg', bytes: JPEG } });
    await settle(s);
    const documents = app.outbox.sent.flatMap((x) => x.messages).filter((m) => m.kind === 'document');
    expect(documents.map((d) => d.kind === 'document' && d.fileName)).toContain('liste.jpg');
    expect(app.outbox.transcript('p')).toMatch(/Claire, bénévole, vous a envoyé ce document\./);
  });

  it('sends a canned reply in the person’s language, and tells the volunteers when the key is unknown', async () => {
    const s = await setUp();
    const { app, chatwoot } = s;
    await app.walk('a', ['1']); // Arabic
    await app.choose('a', /التحدث مع شخص/);
    await app.say('a', '1');
    await app.say('a', 'مرحبا');
    await settle(s);
    const conversation = onlyConversation(chatwoot);
    await chatwoot.agentReply(conversation.id, 'Karim', '/t oqtf');
    await chatwoot.agentReply(conversation.id, 'Karim', '/t nothing_like_this');
    await settle(s);
    const unmarked = (text: string) => text.replace(/[\u2066-\u2069]/g, '');
    const transcript = unmarked(app.outbox.transcript('a'));
    expect(transcript).toContain(unmarked(app.renderer.t('ar', 'oqtf.who_to_call')).slice(0, 30));
    expect(transcript).not.toContain('/t');
    expect(chatwoot.messagesIn(conversation.id).some((m) => m.private && /Réponse type inconnue/.test(m.content))).toBe(true);
  });

  it('goes back to Guichet without closing, and continues where it was', async () => {
    const s = await setUp();
    const { app } = s;
    await app.walk('m', ['4']);
    await app.choose('m', /Parler à une personne/);
    await app.say('m', '1');
    expect(await app.say('m', 'menu')).toMatch(/Menu principal/);
    const again = await app.choose('m', /Parler à une personne/);
    expect(again).toMatch(/Votre conversation avec les bénévoles est ouverte\.\n\n1\. Leur écrire\n2\. Terminer la conversation/);
    expect(await app.say('m', '1')).toMatch(/Écrivez ici aux bénévoles/);
    expect((await app.store.handoffs.listOpen(10)).length).toBe(1);
  });

  it('asks "Did this help?" when the volunteers close, and continues the same conversation within the week', async () => {
    const s = await setUp();
    const { app, chatwoot } = s;
    await app.walk('c', ['4']);
    await app.choose('c', /Parler à une personne/);
    await app.say('c', '1');
    await app.say('c', 'Bonjour');
    await settle(s);
    const conversation = onlyConversation(chatwoot);
    await app.say('c', 'menu');
    await chatwoot.resolve(conversation.id);
    await settle(s);
    const closing = app.outbox.transcript('c');
    expect(closing).toMatch(/Les bénévoles de La Cimade 93 ont fermé la conversation\.\n\nEst-ce que cela vous a aidé\s\?/);
    expect(await app.say('c', '1')).toMatch(/Merci\. Si vous leur écrivez de nouveau dans les 7 jours/);
    const [handoff] = await app.store.handoffs.listForCase((await app.store.cases.listForPerson(await app.store.people.resolveIdentity('terminal', 'c', 0)))[0]!.id);
    expect(handoff).toMatchObject({ status: 'closed', feedback: 'yes' });

    app.clock.advance(2 * 24 * 3600_000);
    const consent = await app.choose('c', /Parler à une personne/);
    expect(consent).toMatch(/reprend là où elle s'était arrêtée/);
    await app.say('c', '1');
    await settle(s);
    expect(chatwoot.conversations.size).toBe(1);
    expect(chatwoot.conversations.get(conversation.id)?.status).toBe('open');
  });

  it('ends from the person’s side too, with the same question', async () => {
    const s = await setUp();
    const { app, chatwoot } = s;
    await app.walk('e', ['5']);
    await app.choose('e', /Talk to a person/);
    await app.say('e', '1');
    await app.say('e', 'Hello');
    await settle(s);
    await app.say('e', 'back');
    const ended = await app.choose('e', /End the conversation/);
    expect(ended).toMatch(/The conversation with the volunteers is closed\.\n\nDid this help\?/);
    await settle(s);
    expect(onlyConversation(chatwoot).status).toBe('resolved');
  });

  it('answers at once out of hours, saying when someone will read and what to do if urgent', async () => {
    // Saturday 5 December 2026, 11:00 in Paris.
    const s = await setUp({ hours: 'mon-fri 09:00-17:00', now: '2026-12-05T11:00:00+01:00' });
    const { app } = s;
    await app.walk('o', ['4']);
    await app.choose('o', /Parler à une personne/);
    const opened = await app.say('o', '1');
    expect(opened).toMatch(/Les bénévoles liront votre message à partir du 7 décembre 2026 \(07\/12\/2026\) à 09:00/);
    expect(opened).toMatch(/obligation de quitter le territoire français \(OQTF\)/);
    expect(opened).toMatch(/centre de rétention/);
  });

  it('tells the person when nobody answered in the opening time allowed, and flags it once for the coordinators', async () => {
    const s = await setUp({ hours: 'mon-fri 09:00-17:00', now: '2026-12-04T16:30:00+01:00', firstResponseMinutes: 60 });
    const { app, chatwoot, service } = s;
    await app.walk('w', ['4']);
    await app.choose('w', /Parler à une personne/);
    await app.say('w', '1');
    await app.say('w', 'Bonjour ?');
    await settle(s);
    // Friday 17:30: an hour later, but only 30 open minutes.
    app.clock.advance(60 * 60_000);
    await service.checkWaiting();
    expect(app.outbox.transcript('w')).not.toMatch(/Aucun bénévole/);
    // Monday 09:45: 30 + 45 open minutes.
    app.clock.advance((2 * 24 + 16) * 3600_000 + 15 * 60_000);
    await service.checkWaiting();
    await service.checkWaiting();
    expect(app.outbox.transcript('w').match(/Aucun bénévole n'a encore répondu/g)).toHaveLength(1);
    const notes = chatwoot.messagesIn(onlyConversation(chatwoot).id).filter((m) => m.private && /coordinateurs/.test(m.content));
    expect(notes).toHaveLength(1);
  });

  it('tries a message again while Chatwoot is down, and tells the person once it gives up', async () => {
    const s = await setUp();
    const { app, chatwoot, service } = s;
    await app.walk('f', ['4']);
    await app.choose('f', /Parler à une personne/);
    await app.say('f', '1');
    await settle(s);
    chatwoot.failIncoming = 2;
    await app.say('f', 'Premier message');
    await settle(s);
    // Tried again 30 s apart, not in one burst of passes.
    await service.sync();
    expect(chatwoot.failIncoming).toBe(1);
    app.clock.advance(31_000);
    await service.sync();
    app.clock.advance(31_000);
    await service.sync();
    expect(chatwoot.messagesIn(onlyConversation(chatwoot).id).map((m) => m.content)).toContain('Premier message');
    chatwoot.failIncoming = 100;
    await app.say('f', 'Second message');
    for (let i = 0; i < 6; i++) {
      app.clock.advance(31_000);
      await service.sync();
    }
    expect(app.outbox.transcript('f').match(/Votre message n'a pas pu arriver jusqu'aux bénévoles/g)).toHaveLength(1);
  });

  it('keeps one conversation per case: a helper finds it busy, and does not continue the owner’s closed one', async () => {
    const s = await setUp();
    const { app, store } = { ...s, store: s.app.store };
    await app.walk('owner', ['4']);
    await app.choose('owner', /Parler à une personne/);
    await app.say('owner', '1');
    // A helper linked to the owner's case, working on it.
    const ownerId = await store.people.resolveIdentity('terminal', 'owner', 0);
    const caseId = (await store.cases.listForPerson(ownerId))[0]!.id;
    await app.walk('helper', ['4']);
    const helperId = await store.people.resolveIdentity('terminal', 'helper', 0);
    await store.cases.addHelper(caseId, { personId: helperId, name: 'Karim', label: 'Maman' }, 1);
    await store.people.setActiveCase(helperId, caseId);
    expect(await app.say('helper', 'bénévole')).toMatch(/Une autre personne qui s'occupe de ce dossier parle déjà avec les bénévoles/);
    await app.say('owner', 'retour');
    await app.choose('owner', /Terminer la conversation/);
    // Closed by the owner: the helper starts their own conversation, with consent.
    expect(await app.say('helper', 'bénévole')).toMatch(/Des bénévoles de La Cimade 93 peuvent lire/);
    expect(await app.say('helper', '1')).toMatch(/vous répondra ici/);
    expect((await store.handoffs.listForCase(caseId)).map((h) => h.personId).sort()).toEqual([ownerId, helperId].sort());
  });

  it('relays a reply whose webhook was lost when it reads the conversation again, once', async () => {
    const s = await setUp();
    const { app, chatwoot, service } = s;
    await app.walk('l', ['4']);
    await app.choose('l', /Parler à une personne/);
    await app.say('l', '1');
    await settle(s);
    const conversation = onlyConversation(chatwoot);
    await chatwoot.agentReply(conversation.id, 'Claire', 'Êtes-vous toujours là ?', { deliver: false });
    await service.reconcile();
    await service.reconcile();
    await settle(s);
    expect(app.outbox.transcript('l').match(/Claire, bénévole\s:\sÊtes-vous toujours là/g)).toHaveLength(1);
    // A closing whose webhook was lost too: found by reading again, asked about once.
    await chatwoot.resolve(conversation.id, { deliver: false });
    await service.reconcile();
    await service.reconcile();
    await settle(s);
    expect(app.outbox.transcript('l').match(/Est-ce que cela vous a aidé/g)).toHaveLength(1);
  });

  it('lists the conversation in the export, and erases it here and in Chatwoot with the person’s data', async () => {
    const s = await setUp();
    const { app, chatwoot } = s;
    await app.walk('d', ['4']);
    await app.choose('d', /Parler à une personne/);
    await app.say('d', '1');
    await app.say('d', 'Mon message secret-4242');
    await settle(s);
    await chatwoot.agentReply(onlyConversation(chatwoot).id, 'Claire', 'Bien reçu');
    await settle(s);
    expect(await app.say('d', '0')).toMatch(/Menu principal/);
    expect(await app.say('d', 'confidentialité')).toMatch(/Si vous écrivez à des bénévoles\s:\scette conversation/);
    await app.say('d', 'exporter');
    const exported = app.outbox.sent.flatMap((x) => x.messages).find((m) => m.kind === 'document' && m.mimeType === 'application/zip');
    expect(exported && exported.kind === 'document' && Buffer.from(exported.bytes).includes(Buffer.from('secret-4242'))).toBe(true);
    // Chatwoot is down when the person erases their data: the erasure waits for it.
    chatwoot.failDeletes = 1;
    await app.say('d', 'supprimer');
    await app.say('d', '1');
    await settle(s);
    expect(chatwoot.conversations.size).toBe(1);
    expect(await app.store.handoffs.listErasures(10)).toHaveLength(1);
    await s.service.sync();
    expect(await app.store.handoffs.listErasures(10)).toEqual([]);
    expect(chatwoot.conversations.size).toBe(0);
    expect(chatwoot.contacts.size).toBe(0);
    expect(await app.store.handoffs.listOpen(10)).toEqual([]);
    expect(app.logLines.join('')).not.toContain('secret-4242');
  });

  it('erases a conversation closed longer ago than the retention, in Chatwoot first, and keeps a recent one', async () => {
    const s = await setUp();
    const { app, chatwoot, service } = s;
    for (const who of ['old', 'new']) {
      await app.walk(who, ['4']);
      await app.choose(who, /Parler à une personne/);
      await app.say(who, '1');
      await app.say(who, `Bonjour de ${who}`);
      await settle(s);
      await app.say(who, 'retour');
      await app.choose(who, /Terminer la conversation/);
      await settle(s);
      app.clock.advance(60 * 24 * 3600_000);
    }
    expect(chatwoot.conversations.size).toBe(2);
    // 120 days after the first closing, 60 after the second: only the first is past 90 days.
    expect(await service.prune(app.clock.now())).toBe(1);
    await service.idle();
    expect([...chatwoot.messages].some((m) => m.content === 'Bonjour de old')).toBe(false);
    expect([...chatwoot.messages].some((m) => m.content === 'Bonjour de new')).toBe(true);
    expect((await app.store.handoffs.listClosedBefore(app.clock.now(), 10)).length).toBe(1);
  });
});
