import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_DIR, LOCALES_DIR } from '../../src/paths.js';

/**
 * French puts a non-breaking space before : ; ? ! and inside « », so a
 * small screen never starts a line with the sign alone. Checked in the chat
 * texts and in the documents' texts (the words people type, `commands`, and
 * the language names are not sentences).
 */
function sentences(tree: unknown, path = ''): [string, string][] {
  if (typeof tree === 'string') return [[path, tree]];
  if (Array.isArray(tree)) return tree.flatMap((v, i) => sentences(v, `${path}[${i}]`));
  return Object.entries(tree as Record<string, unknown>)
    .filter(([k]) => !(path === '' && (k === 'commands' || k === 'language')))
    .flatMap(([k, v]) => sentences(v, path ? `${path}.${k}` : k));
}

const files = {
  'locales/fr.json': JSON.parse(readFileSync(join(LOCALES_DIR, 'fr.json'), 'utf8')) as unknown,
  'content/documents/fr.json': JSON.parse(readFileSync(join(CONTENT_DIR, 'documents', 'fr.json'), 'utf8')) as unknown,
  'content/helpdesk/fr.json': JSON.parse(readFileSync(join(CONTENT_DIR, 'helpdesk', 'fr.json'), 'utf8')) as unknown,
};

describe('French typography', () => {
  for (const [file, tree] of Object.entries(files)) {
    it(`${file}: a non-breaking space before : ; ? ! and inside « »`, () => {
      const wrong: string[] = [];
      for (const [key, text] of sentences(tree)) {
        // The sign ends a word (followed by a space, a bracket or the end): not a time (9:30) or a link (https://).
        const bad = /(?:^|[^\u00a0])[:;?!](?=\s|$|\))|«[^\u00a0]|[^\u00a0]»/.exec(text.replace(/https?:\/\/\S+/g, ''));
        if (bad) wrong.push(`${key}: …${text.slice(Math.max(0, bad.index - 15), bad.index + 5)}…`);
      }
      expect(wrong).toEqual([]);
    });
  }

  it('catches the ordinary space it forbids', () => {
    const bad = /(?:^|[^\u00a0])[:;?!](?=\s|$|\))/;
    expect(bad.test('Votre date : 12')).toBe(true);
    expect(bad.test('Votre date\u00a0: 12')).toBe(false);
    expect(bad.test('à 9:30')).toBe(false);
  });
});
