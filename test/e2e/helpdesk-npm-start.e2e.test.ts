import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeChatwoot } from '../fakes/fake-chatwoot.js';
import { tempDir } from '../helpers/test-app.js';
import { npmStart } from './npm-start.js';

/** A port free on this machine right now, for the child's webhook server. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('npm start with HELPDESK=chatwoot', () => {
  let temp: ReturnType<typeof tempDir>;
  let chatwoot: FakeChatwoot;
  beforeAll(async () => {
    temp = tempDir('guichet-e2e-helpdesk-');
    chatwoot = new FakeChatwoot();
    await chatwoot.start();
  });
  afterAll(async () => {
    await chatwoot.stop();
    temp.remove();
  });

  it('offers a person, opens the conversation in Chatwoot with the summary, and passes the message on before it stops', async () => {
    const run = await npmStart(['4', '7', '1', 'Bonjour, je voudrais parler à quelqu’un'], {
      DATA_DIR: temp.dir,
      CHAT_USER: 'nadia',
      HELPDESK: 'chatwoot',
      HELPDESK_ORGANISATION: 'La Cimade 93',
      HELPDESK_HOURS: 'mon-sun 00:00-24:00',
      HELPDESK_PORT: String(await freePort()),
      CHATWOOT_URL: chatwoot.url,
      CHATWOOT_ACCOUNT_ID: chatwoot.accountId,
      CHATWOOT_API_TOKEN: chatwoot.apiToken,
      CHATWOOT_INBOX_IDENTIFIER: chatwoot.inboxIdentifier,
      CHATWOOT_WEBHOOK_SECRET: chatwoot.webhookSecret,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Parler à une personne \(un bénévole\)/);
    expect(run.stdout).toMatch(/Envoyé aux bénévoles/);
    const [conversation] = [...chatwoot.conversations.values()];
    expect(conversation).toBeDefined();
    const contents = chatwoot.messagesIn(conversation!.id).map((m) => m.content);
    expect(contents[0]).toMatch(/^Personne \d{4} — demande à parler à un bénévole/);
    expect(contents).toContain('Bonjour, je voudrais parler à quelqu’un');
    expect(JSON.stringify([...chatwoot.contacts.values()])).not.toContain('nadia');
  });
});
