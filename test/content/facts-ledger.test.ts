import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContent } from '../../src/content/load-content.js';
import { ContentError } from '../../src/errors.js';
import { CONTENT_DIR, PROJECT_ROOT } from '../../src/paths.js';
import { npmRun } from '../e2e/npm-start.js';
import { tempDir } from '../helpers/test-app.js';

const content = loadContent(CONTENT_DIR);
const facts = [...content.facts.values()];

/** The revised brief every legal statement comes from: beside the checkout (../shared), in CI as here. */
const BRIEF = join(PROJECT_ROOT, '..', 'shared', 'brief', 'facts.md');

/** Load a temporary copy of content/ whose ledger was changed by `edit`. */
function loadEdited(edit: (ledger: { facts: Record<string, unknown>[] }) => void): () => unknown {
  const temp = tempDir();
  cpSync(CONTENT_DIR, temp.dir, { recursive: true });
  const file = join(temp.dir, 'facts', 'facts.json');
  const ledger = JSON.parse(readFileSync(file, 'utf8')) as { facts: Record<string, unknown>[] };
  edit(ledger);
  writeFileSync(file, JSON.stringify(ledger));
  return () => {
    try {
      return loadContent(temp.dir);
    } finally {
      temp.remove();
    }
  };
}

function fact(ledger: { facts: Record<string, unknown>[] }, id: string): Record<string, unknown> {
  const found = ledger.facts.find((f) => f.id === id);
  if (!found) throw new Error(`no fact ${id} in the ledger`);
  return found;
}

describe('facts ledger: dates and sources', () => {
  it('gives every fact a check date and a review date no earlier than it', () => {
    for (const f of facts) {
      expect(f.checked, f.id).toMatch(/^\d{4}-\d{2}(-\d{2})?$/);
      expect(f.reviewBy, f.id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(f.reviewBy >= (f.checked.length === 7 ? `${f.checked}-01` : f.checked), f.id).toBe(true);
    }
  });

  it('cites pages, not sites: every source is https with a path', () => {
    for (const f of facts) {
      for (const source of f.sources) {
        const url = new URL(source.url);
        expect(url.protocol, `${f.id} ${source.url}`).toBe('https:');
        expect(url.pathname.length, `${f.id} ${source.url}`).toBeGreaterThan(1);
        expect(source.label.length, `${f.id} ${source.url}`).toBeGreaterThan(3);
      }
    }
  });

  it('stops start-up on a bare-domain source, naming the fact', () => {
    const load = loadEdited((ledger) => {
      (fact(ledger, 'F-CE-2022').sources as unknown[]).push({ label: "Conseil d'État", url: 'https://www.conseil-etat.fr/' });
    });
    expect(load).toThrow(ContentError);
    expect(loadEdited((ledger) => (fact(ledger, 'F-CE-2022').sources as unknown[]).push({ label: 'x', url: 'https://www.conseil-etat.fr' }))).toThrow(
      /facts\.json: facts\.\d+\.sources\.\d+\.url: fact F-CE-2022: source https:\/\/www\.conseil-etat\.fr\/? must be a page/,
    );
  });

  it('stops start-up on a source that is not https, naming the fact', () => {
    const load = loadEdited((ledger) => {
      (fact(ledger, 'F-ACK').sources as { url: string }[])[0]!.url = 'http://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031367338';
    });
    expect(load).toThrow(/fact F-ACK: source http:\/\/www\.legifrance\.gouv\.fr\/\S+ must use https/);
  });

  it('stops start-up when a review date is missing or before the check date', () => {
    expect(loadEdited((ledger) => delete fact(ledger, 'F-ACK').reviewBy)).toThrow(/facts\.json: facts\.\d+\.reviewBy/);
    expect(loadEdited((ledger) => (fact(ledger, 'F-ACK').reviewBy = '2026-10-31'))).toThrow(/fact F-ACK: reviewBy 2026-10-31 is before checked 2026-11/);
    expect(loadEdited((ledger) => (fact(ledger, 'F-ACK').reviewBy = '2027-02-30'))).toThrow(/reviewBy: not a calendar date/);
  });
});

describe('facts ledger follows the revised brief', () => {
  it.skipIf(!existsSync(BRIEF))('has every fact id of facts.md', () => {
    const ids = [...readFileSync(BRIEF, 'utf8').matchAll(/^- (F-[A-Z0-9-]+) —/gm)].map((m) => m[1]!);
    expect(ids.length).toBeGreaterThanOrEqual(29);
    expect(ids.filter((id) => !content.facts.has(id))).toEqual([]);
  });

  it('keeps the details facts.md marks unverified as unverified facts of their own', () => {
    for (const id of ['F-CCC-HOURS', 'F-FS-ANEF', 'F-FS-MOBILE', 'F-AIDANTS-CONNECT-ANEF', 'F-DDD-HOURS', 'F-EXAMS-EXEMPTIONS', 'F-LATE-FEE', 'F-CRA-ASSOC-BILL']) {
      expect(content.facts.get(id)?.status, id).toBe('unverified');
    }
    for (const id of ['F-CCC', 'F-FS', 'F-AIDANTS-CONNECT', 'F-DDD', 'F-2026-EXAMS', 'F-FEES-2026', 'F-CRA-ASSOC']) {
      expect(content.facts.get(id)?.status, id).toBe('verified');
    }
  });
});

describe('npm run facts', () => {
  const facts$ = (at: string) => npmRun(['run', 'facts', '--silent', '--', '--at', at], [], {});

  it('lists every fact, with its sources, when all are due', async () => {
    const { stdout, stderr, code } = await facts$('2030-01-01');
    expect(code, stderr).toBe(0);
    expect(stdout).toContain(`${facts.length} of ${facts.length} facts are due for review on 2030-01-01`);
    for (const f of facts) {
      expect(stdout, f.id).toMatch(new RegExp(`^${f.id} +${f.status} +${f.checked} +${f.reviewBy}$`, 'm'));
      for (const source of f.sources) expect(stdout, f.id).toContain(`- ${source.label}: ${source.url}`);
    }
  });

  it('says in one line that none is due on 2026-12-01, with the count and the next review date', async () => {
    const { stdout, stderr, code } = await facts$('2026-12-01');
    expect(code, stderr).toBe(0);
    const next = facts.map((f) => f.reviewBy).sort()[0]!;
    expect(stdout.trim()).toMatch(new RegExp(`^No fact is due for review on 2026-12-01: ${facts.length} facts in the ledger, next review on ${next} \\(F-[A-Z0-9-]+( and \\d+ more)?\\)\\.$`));
  });

  it('refuses a date that is not a calendar day', async () => {
    const { stderr, code } = await facts$('2026-13-01');
    expect(code).toBe(2);
    expect(stderr).toContain('--at: expected a calendar date YYYY-MM-DD');
  });
});
