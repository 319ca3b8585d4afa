import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cut, MAX_MESSAGE_CHARS, packMessages } from '../../src/engine/pack-messages.js';
import { formatQuestionAsText } from '../../src/engine/render.js';
import type { OutboundMessage } from '../../src/messages.js';

const text = (t: string, direction: 'ltr' | 'rtl' = 'ltr'): OutboundMessage => ({ kind: 'text', text: t, direction });
const question = (t: string, options = 3): OutboundMessage => ({
  kind: 'question',
  text: t,
  options: Array.from({ length: options }, (_, i) => ({ number: i + 1, label: `Option ${i + 1}` })),
  token: 'tok',
  direction: 'ltr',
});
const shown = (m: OutboundMessage) => (m.kind === 'question' ? formatQuestionAsText(m) : m.kind === 'text' ? m.text : '');

describe('messages for a small phone', () => {
  it('joins a list sent line by line into one bubble, the question included', () => {
    const packed = packMessages([text('Your dates.'), text('• Permit ends: 19 June 2027'), text('Next reminder: 19 February 2027.'), question('What do you want to change?')]);
    expect(packed).toHaveLength(1);
    expect(packed[0]!.kind).toBe('question');
    expect(shown(packed[0]!)).toBe('Your dates.\n\n• Permit ends: 19 June 2027\n\nNext reminder: 19 February 2027.\n\nWhat do you want to change?\n\n1. Option 1\n2. Option 2\n3. Option 3');
  });

  it('cuts a long text at paragraph boundaries, none over the limit, nothing lost', () => {
    const paragraphs = Array.from({ length: 6 }, (_, i) => `Paragraph ${i} `.repeat(15).trim());
    const packed = packMessages([text(paragraphs.join('\n\n'))]);
    expect(packed.length).toBeGreaterThan(1);
    for (const m of packed) expect(shown(m).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
    expect(packed.map(shown).join('\n\n')).toBe(paragraphs.join('\n\n'));
  });

  it('keeps a long question’s options with its last paragraph', () => {
    const long = Array.from({ length: 5 }, (_, i) => `Step ${i}: ${'words '.repeat(40).trim()}`).join('\n\n');
    const packed = packMessages([question(long, 9)]);
    expect(packed[packed.length - 1]!.kind).toBe('question');
    for (const m of packed) expect(shown(m).length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
  });

  it('never joins across a file or a change of direction', () => {
    const file: OutboundMessage = { kind: 'document', fileName: 'a.pdf', mimeType: 'application/pdf', bytes: new Uint8Array([1]) };
    expect(packMessages([text('a'), file, text('b')])).toHaveLength(3);
    expect(packMessages([text('a', 'rtl'), text('b')])).toHaveLength(2);
  });

  it('cuts any text, in any script, into pieces within the limit that keep every character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 3000 }), fc.integer({ min: 20, max: 700 }), (s, max) => {
        const pieces = cut(s, max);
        for (const p of pieces) expect(p.length).toBeLessThanOrEqual(max);
        // Boundaries are dropped between pieces; every other character stays, in order.
        expect(pieces.join('').replace(/\s|\./g, '')).toBe(s.replace(/\s|\./g, ''));
      }),
      { numRuns: 2000 },
    );
  });
});
