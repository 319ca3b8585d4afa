import { createTestApp } from '../test/helpers/test-app.js';
import { DateWords } from '../src/text/date-words.js';
import { parseFullDate } from '../src/text/dates.js';
const app = createTestApp();
await app.open('k'); await app.say('k', '5');
const shapes: Record<string, string> = { spaces: ' '.repeat(3998) + 'x', punct: '!'.repeat(3998) + 'x', words: 'a '.repeat(2000), digits: '1 '.repeat(2000), slash: '1/'.repeat(2000), dots: '1.'.repeat(2000), arabic: 'ال '.repeat(1333) };
for (const [name, t] of Object.entries(shapes)) {
  const s = performance.now(); await app.say('k', t); const menu = performance.now() - s;
  console.log(name, menu.toFixed(1), 'ms at the menu');
}
await app.say('k', '4'); await app.say('k', '1');
for (const [name, t] of Object.entries(shapes)) {
  const s = performance.now(); await app.say('k', t); console.log(name, (performance.now() - s).toFixed(1), 'ms at a date question');
  await app.say('k', '0'); await app.say('k', '4'); await app.say('k', '1');
}
await app.close();
