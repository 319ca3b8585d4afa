import { describe, expect, it } from 'vitest';
import { buildCommandWords, interpretInput, MAX_MATCHED_LENGTH, type NumberedQuestion } from '../../src/engine/interpret-input.js';

const commands = buildCommandWords((c) => (c === 'menu' ? ['menu'] : c === 'help' ? ['help'] : []));
const question: NumberedQuestion = {
  choices: [{ id: 'court', label: { key: 'x' } }],
  choiceLabels: ['When nothing works: going to court'],
  freeText: false,
  showBack: true,
  showMenu: true,
  token: 't',
};
const text = (t: string) => ({ kind: 'text' as const, text: t });

describe('interpreting what is typed', () => {
  it('takes a short text for a command or an option by its words', () => {
    expect(interpretInput(text('menu'), question, commands)).toEqual({ type: 'command', command: 'menu' });
    expect(interpretInput(text('court'), question, commands)).toEqual({ type: 'choose', choice: 'court' });
  });

  it('does not fold and compare a long text at all: it is never a command or a label', () => {
    const long = `${' '.repeat(MAX_MATCHED_LENGTH)}menu`;
    expect(interpretInput(text(long), question, commands)).toEqual({ type: 'not-understood' });
    expect(interpretInput(text(`court ${'x'.repeat(4000)}`), question, commands)).toEqual({ type: 'not-understood' });
    // Where text is the answer, a long one is the answer.
    expect(interpretInput(text('y'.repeat(4000)), { ...question, freeText: true }, commands)).toEqual({ type: 'text', text: 'y'.repeat(4000) });
  });
});
