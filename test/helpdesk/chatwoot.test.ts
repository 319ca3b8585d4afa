import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatwootHelpdesk } from '../../src/helpdesk/chatwoot/chatwoot-helpdesk.js';
import { CHATWOOT_WEBHOOK_PATH, SIGNATURE_TOLERANCE_S } from '../../src/helpdesk/chatwoot/chatwoot-webhook.js';
import type { FromVolunteer, HelpdeskConversationStart } from '../../src/helpdesk/helpdesk.js';
import { FakeChatwoot } from '../fakes/fake-chatwoot.js';
import { memoryLogger } from '../helpers/silent-logger.js';

const start: HelpdeskConversationStart = {
  handoffId: 'h-1',
  pseudonym: 'Personne 4821',
  language: 'bn',
  departement: '93',
  route: 'Téléphone',
  summary: 'Langue : bengali. Titre de séjour valable jusqu’au 15/03/2027.',
};

describe('the Chatwoot helpdesk, against a fake Chatwoot over HTTP', () => {
  let chatwoot: FakeChatwoot;
  let helpdesk: ChatwootHelpdesk;
  const received: FromVolunteer[] = [];
  const closed: string[] = [];
  const log = memoryLogger();

  beforeEach(async () => {
    received.length = 0;
    closed.length = 0;
    chatwoot = new FakeChatwoot();
    await chatwoot.start();
    helpdesk = new ChatwootHelpdesk({ ...chatwoot.helpdeskSettings(), logger: log.logger });
    await helpdesk.start({
      volunteerMessage: async (m) => void received.push(m),
      closed: async (id) => void closed.push(id),
    });
    chatwoot.webhookUrl = `http://127.0.0.1:${helpdesk.listeningPort()}${CHATWOOT_WEBHOOK_PATH}`;
  });
  afterEach(async () => {
    await helpdesk.stop();
    await chatwoot.stop();
  });

  it('opens a conversation for a pseudonymous contact, the summary as a private note', async () => {
    const opened = await helpdesk.open(start);
    const conversation = chatwoot.conversations.get(Number(opened.conversationId))!;
    const contact = chatwoot.contacts.get(conversation.contactId)!;
    expect(contact.name).toBe('Personne 4821');
    expect(contact.attributes).toEqual({ language: 'bn', departement: '93' });
    expect(conversation.attributes).toEqual({ language: 'bn', departement: '93', route: 'Téléphone' });
    expect(chatwoot.messagesIn(conversation.id)).toEqual([expect.objectContaining({ content: start.summary, private: true, messageType: 1 })]);
  });

  it('writes the person’s text and files in as incoming messages', async () => {
    const opened = await helpdesk.open(start);
    await helpdesk.post(opened.conversationId, opened.data, { text: 'আমার কার্ড হারিয়ে গেছে', file: null });
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
    await helpdesk.post(opened.conversationId, opened.data, { text: null, file: { fileName: 'recu.jpg', mimeType: 'image/jpeg', bytes: photo } });
    const incoming = chatwoot.messagesIn(Number(opened.conversationId)).filter((m) => m.messageType === 0);
    expect(incoming.map((m) => m.content)).toEqual(['আমার কার্ড হারিয়ে গেছে', '']);
    expect(incoming[1]!.attachments).toEqual([{ name: 'recu.jpg', bytes: photo }]);
  });

  it('passes on a human volunteer’s public reply with their first name, and nothing else', async () => {
    const opened = await helpdesk.open(start);
    const id = Number(opened.conversationId);
    await chatwoot.agentReply(id, 'Claire Dupont', 'Bonjour, je regarde votre dossier.');
    await chatwoot.agentReply(id, 'Claire Dupont', 'note entre bénévoles', { private: true });
    await chatwoot.agentReply(id, 'Bot', 'automatic', { senderType: 'AgentBot' });
    await helpdesk.idle();
    expect(received).toEqual([{ messageId: expect.any(String), conversationId: opened.conversationId, firstName: 'Claire', text: 'Bonjour, je regarde votre dossier.', file: null }]);
  });

  it('fetches a file a volunteer attached', async () => {
    const opened = await helpdesk.open(start);
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 9, 9]);
    await chatwoot.agentReply(Number(opened.conversationId), 'Karim', '', { file: { name: 'liste.jpg', bytes } });
    await helpdesk.idle();
    expect(received[0]).toMatchObject({ firstName: 'Karim', text: null, file: { fileName: 'liste.jpg', mimeType: 'image/jpeg' } });
    expect(Buffer.from(received[0]!.file!.bytes).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses a wrong signature and a stale timestamp, and handles a replayed delivery once', async () => {
    const opened = await helpdesk.open(start);
    const reply = { ...chatwoot.messageEvent({ id: 900, conversationId: Number(opened.conversationId), content: 'forged', messageType: 1, private: false, senderType: 'User', senderName: 'Mallory', attachments: [] }) };
    expect(await chatwoot.sendWebhook(reply, { secret: 'not-the-secret' })).toBe(401);
    expect(await chatwoot.sendWebhook(reply, { timestamp: Math.floor(Date.now() / 1000) - SIGNATURE_TOLERANCE_S - 5 })).toBe(401);
    expect(await chatwoot.sendWebhook(reply, { delivery: 'd-42' })).toBe(200);
    expect(await chatwoot.sendWebhook(reply, { delivery: 'd-42' })).toBe(200);
    await helpdesk.idle();
    expect(received.map((m) => m.text)).toEqual(['forged']);
    expect(log.lines.join('')).not.toContain('forged');
  });

  it('reports the conversation resolved', async () => {
    const opened = await helpdesk.open(start);
    await chatwoot.resolve(Number(opened.conversationId));
    await helpdesk.idle();
    expect(closed).toEqual([opened.conversationId]);
  });

  it('reads the volunteers’ replies again when a webhook was lost', async () => {
    const opened = await helpdesk.open(start);
    await chatwoot.agentReply(Number(opened.conversationId), 'Claire', 'Vous êtes là ?', { deliver: false });
    await helpdesk.idle();
    expect(received).toEqual([]);
    expect((await helpdesk.volunteerMessages(opened.conversationId)).map((m) => [m.firstName, m.text])).toEqual([['Claire', 'Vous êtes là ?']]);
  });

  it('reopens and closes through the status, and erases the conversation and the contact', async () => {
    const opened = await helpdesk.open(start);
    const id = Number(opened.conversationId);
    await helpdesk.close(opened.conversationId, opened.data);
    expect(chatwoot.conversations.get(id)?.status).toBe('resolved');
    await helpdesk.reopen(opened.conversationId, opened.data);
    expect(chatwoot.conversations.get(id)?.status).toBe('open');
    await helpdesk.erase(opened.conversationId, opened.data);
    expect(chatwoot.conversations.size).toBe(0);
    expect(chatwoot.contacts.size).toBe(0);
    expect(chatwoot.messages).toEqual([]);
    // Already gone is done.
    await helpdesk.erase(opened.conversationId, opened.data);
  });
});
