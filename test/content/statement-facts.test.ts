import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../machines/lib/intents.js';
import { buildFactIndex } from '../../src/content/fact-index.js';
import { loadContent } from '../../src/content/load-content.js';
import { loadStatements } from '../../src/content/load-statements.js';
import { ContentError } from '../../src/errors.js';
import { loadLocaleFiles } from '../../src/i18n/translator.js';
import { loadDocumentTexts } from '../../src/content/load-documents.js';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';
import { tempDir } from '../helpers/test-app.js';

/**
 * Every sentence that states law rests on facts of the ledger: route steps
 * name theirs in the route files, other sentences in statements.json. A
 * sentence that reads like law (a deadline, a right, a procedure) and names
 * no fact fails here, unless it is listed below as practical wording.
 */
const content = loadContent(CONTENT_DIR);
const statements = loadStatements(CONTENT_DIR, content);
const index = buildFactIndex(content, statements);
const locales = loadLocaleFiles(LOCALES_DIR);
const documents = loadDocumentTexts(CONTENT_DIR);

function flatten(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree as Record<string, unknown>)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    // A paragraph list (the letter's body) is one text of the document.
    else if (Array.isArray(v)) out.set(prefix + k, v.join('\n'));
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}

/** Words that make an English sentence a statement about the law or the administration's duties. */
const READS_LIKE_LAW =
  /ANEF|OQTF|récépissé|attestation|CESEDA|Conseil d'État|court|judge|appeal|deadline|days? before|months? before|within|legal aid|aide juridictionnelle|Défenseur|\bmust\b|\bright\b|implicit|\bexams?\b|examen|contrat|\bfees?\b|1968|assignation|rétention|0 806|34 30|09 69|refus|\blaw\b|prefect\b/i;
/** Short labels (a menu entry, an option) name things; sentences state them. */
const MIN_SENTENCE = 60;

/** Sentences that match the words above but state no law: what each one is instead. */
const PRACTICAL: Readonly<Record<string, string>> = {
  'help.text': 'how to use Guichet',
  'privacy.text': "Guichet's own data practice",
  'privacy.retention': "Guichet's own retention and erasure",
  'date.ask_day': 'a question',
  'phone.ask_number': 'a question',
  'phone.invalid_number': 'an input hint',
  'mobile_desks.ask_place': 'a question',
  'mobile_desks.your_prefecture': 'an address lookup result',
  'triage.ask_expiry': 'a question',
  'triage.ask_expiry_day': 'a question',
  'triage.ask_place': 'a question',
  'triage.result_place': 'an address lookup result',
  'triage.ask_filing_month': 'a question about Guichet reminders',
  'triage.exams_reminders': 'what Guichet will do',
  'document.ask_birth_day': 'a question',
  'document.ask_street': 'a question',
  'document.address_note': 'a practical note on the letter',
  'dates.ask_permit_day': 'a question',
  'dates.ask_provisional_day': 'a question',
  'dates.ask_appointment_place': 'a question',
  'reminders.appointment_eve': 'what to bring, practical',
  'reminders.appointment_today': 'what to bring, practical',
  'reminders.provisional_last': 'a date reminder',
  'proof.ask_day': 'a question',
  'family.ask_label': 'a question',
  'family.code_own': 'how family codes work',
  'source.none': 'how "source" works',
  'source.fact_verified': 'the source listing itself',
  'source.fact_unverified': 'the source listing itself',
  'helpdesk.feedback_thanks': "Guichet's own rule: writing again within a week continues the conversation",
  'helpdesk.feedback_sorry': "Guichet's own rule: writing again within a week continues the conversation",
  'helpdesk.privacy': "Guichet's own data practice",
};

function stepKeys(): Set<string> {
  const keys = new Set<string>();
  for (const route of content.routes.values()) {
    for (const step of route.steps) {
      keys.add(step.text);
      for (const item of step.checklist ?? []) keys.add(item);
    }
  }
  return keys;
}

/** The sentences that read like law and have no fact behind them. */
function unsourced(sentences: ReadonlyMap<string, string>): string[] {
  const inRoutes = stepKeys();
  return [...sentences]
    .filter(([key, text]) => text.length >= MIN_SENTENCE && READS_LIKE_LAW.test(text))
    .filter(([key]) => !(key in PRACTICAL))
    .filter(([key]) => !(inRoutes.has(key) ? content.routes.size > 0 && isStepWithFacts(key) : index.factsOf(key).length > 0))
    .map(([key]) => key);
}

function isStepWithFacts(key: string): boolean {
  for (const route of content.routes.values()) {
    for (const step of route.steps) {
      if ((step.text === key || step.checklist?.includes(key)) && step.facts.length > 0) return true;
    }
  }
  return false;
}

/** In the French documents: citing a text, a court or a duty of the administration. */
const CITES_LAW = /Conseil d'État|article [LR]\.|CESEDA|code de|\b[LR]\.\d|accusé de réception|prévus pour/i;

describe('every legal statement is tied to the facts it rests on', () => {
  const en = flatten(locales.en);
  const documentTexts = flatten(documents);

  it('names a fact for every sentence of the French documents that cites the law', () => {
    const cites = [...documentTexts].filter(([, text]) => CITES_LAW.test(text)).map(([key]) => key);
    expect(cites).toEqual(expect.arrayContaining(['letter.body', 'statement.request']));
    expect(cites.filter((key) => index.factsOf(key).length === 0)).toEqual([]);
  });

  it('names a fact for every sentence that reads like law', () => {
    expect(unsourced(en)).toEqual([]);
  });

  it('catches a new sentence that states a deadline without a fact', () => {
    const withNew = new Map(en);
    withNew.set('reminders.invented', 'Your request must be made within two months before your permit ends, at the prefecture.');
    expect(unsourced(withNew)).toEqual(['reminders.invented']);
  });

  it('lists only keys that exist in every language, and no practical sentence twice', () => {
    for (const lang of LANGUAGES) {
      const flat = flatten(locales[lang]);
      for (const key of statements.keys()) expect(flat.has(key) || documentTexts.has(key), `${lang}: ${key}`).toBe(true);
    }
    for (const key of Object.keys(PRACTICAL)) {
      expect(en.has(key), key).toBe(true);
      expect(statements.has(key), key).toBe(false);
    }
  });

  it('stops start-up when a sentence cites a fact that does not exist', () => {
    const temp = tempDir();
    cpSync(CONTENT_DIR, temp.dir, { recursive: true });
    const file = join(temp.dir, 'facts', 'statements.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    data.statements['reminders.anef_open'] = ['F-INVENTED'];
    writeFileSync(file, JSON.stringify(data));
    const copy = loadContent(temp.dir);
    expect(() => loadStatements(temp.dir, copy)).toThrow(ContentError);
    expect(() => loadStatements(temp.dir, copy)).toThrow(/reminders\.anef_open cites unknown fact F-INVENTED/);
    temp.remove();
  });
});
