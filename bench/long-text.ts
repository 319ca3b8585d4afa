import { asText, createTestApp } from '../test/helpers/test-app.js';

/**
 * What one 4,000-character message (the longest kept) costs a turn, at the
 * main menu (a command or an option is looked for), and of a 500-character
 * note (the longest a call note takes): the slowest of several shapes
 * (spaces, punctuation, words, newlines, Arabic, dates), median of `runs` each.
 */
export async function longTextTurn(runs = 30): Promise<{ menuMs: number; noteMs: number }> {
  const app = createTestApp();
  const shapes = [' '.repeat(3999) + 'x', '!'.repeat(3999) + 'x', 'a '.repeat(2000), '\n'.repeat(3999) + 'x', 'ال '.repeat(1333), '12/'.repeat(1333)];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const time = async (who: string, text: string) => {
    const started = performance.now();
    asText((await app.deliver({ channel: 'terminal', address: who, messageId: `${who}-${Math.random()}`, kind: 'text', text }))[0]!);
    return performance.now() - started;
  };
  try {
    await app.walk('menu', ['5']);
    let menuMs = 0;
    for (const shape of shapes) {
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await time('menu', shape));
      menuMs = Math.max(menuMs, median(times));
    }
    // The phone route's note question: the text is the answer.
    await app.walk('note', ['5', '3', '2', '1', '1', '1', '1', '1', '1']);
    let noteMs = 0;
    for (const shape of shapes) {
      const times = [];
      for (let i = 0; i < runs; i++) {
        times.push(await time('note', shape.slice(0, 500)));
        await app.say('note', '2');
        for (const answer of ['1', '1', '1', '1', '1']) await app.say('note', answer);
      }
      noteMs = Math.max(noteMs, median(times));
    }
    return { menuMs, noteMs };
  } finally {
    await app.close();
  }
}
