import { afterEach, describe, expect, it } from 'vitest';
import { caseSummary } from '../../src/helpdesk/case-summary.js';
import { VolunteerTexts } from '../../src/helpdesk/volunteer-texts.js';
import { CONTENT_DIR } from '../../src/paths.js';
import { createTestApp } from '../helpers/test-app.js';

let app: ReturnType<typeof createTestApp> | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

describe('the summary volunteers read', () => {
  it('gives the language, the département, the route and step, the dates and the documents’ names, and nothing personal', async () => {
    app = createTestApp();
    const { store, renderer } = app;
    const personId = await store.people.resolveIdentity('whatsapp', '33612345678@s.whatsapp.net', 1);
    await store.people.setLanguage(personId, 'bn');
    const caseId = await store.cases.ensureOwnCase(personId, 1);
    await store.conversations.save(
      personId,
      {
        frames: [
          { machineId: 'triage', machineVersion: 1, snapshot: { status: 'active', value: 'ask_expiry', context: { place: { departementCode: '93', departementName: 'Seine-Saint-Denis', prefectureCity: 'Bobigny' } } } },
        ],
      },
      0,
      1,
    );
    await store.reminders.setDate({ caseId, kind: 'permit-expiry', data: { date: '2027-03-15' }, updatedAt: 1 });
    await store.vault.put(
      { id: 'item-1', caseId, kind: 'anef-receipt', documentDate: '2026-11-12', mimeType: 'image/jpeg', size: 10, sha256: 'ab'.repeat(32), receivedAt: 1, channel: 'whatsapp', senderId: personId },
      new Uint8Array(10),
    );
    await store.handoffs.open({ id: 'h-1', caseId, personId, helpdesk: 'chatwoot', pseudonym: 'Personne 4821', openedAt: 2 });
    const summary = await caseSummary(store, renderer, VolunteerTexts.load(CONTENT_DIR), (await store.handoffs.get('h-1'))!);
    expect(summary).toMatchObject({ language: 'bn', departement: '93' });
    expect(summary.text).toMatch(/^Personne 4821 — demande à parler à un bénévole/);
    expect(summary.text).toContain('Langue\u00a0: bengali.');
    expect(summary.text).toContain('Département\u00a0: 93.');
    expect(summary.text).toMatch(/Démarche en cours\s: .+ \(étape «\sask_expiry\s»\)\./);
    expect(summary.text).toMatch(/Fin du titre de séjour\u00a0: 15 mars 2027/);
    expect(summary.text).toMatch(/• .+ du 12\/11\/2026/);
    expect(summary.text).not.toContain('33612345678');
    expect(summary.text).not.toContain(personId);
  });
});
