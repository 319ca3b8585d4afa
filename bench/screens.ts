/**
 * What a person reads, measured per language: every screen the flows can
 * show (each reachable state's question with its options, as a text channel
 * prints it), and the messages of scripted walks through every route, the
 * call log, the documents and the triage (longest, median, messages per turn).
 * Information for content editors; nothing here is asserted.
 *
 *   npm run screens
 */
import { promptOf } from '../machines/lib/dialogue.js';
import { LANGUAGES, type Language } from '../machines/lib/intents.js';
import { MAX_MESSAGE_CHARS, packMessages } from '../src/engine/pack-messages.js';
import { formatQuestionAsText } from '../src/engine/render.js';
import type { OutboundMessage } from '../src/messages.js';
import { reachable } from '../test/helpers/flow-graph.js';
import { productionFlows } from '../test/helpers/flows.js';
import { asText, createTestApp } from '../test/helpers/test-app.js';
import { WALK_CALLS, WALK_DOCUMENTS, WALK_ROUTES } from './walks.js';

const PICK: Record<Language, string> = { ar: '1', bn: '2', pt: '3', fr: '4', en: '5' };
const BACK_WORD: Record<Language, string> = { ar: 'رجوع', bn: 'পিছনে', pt: 'voltar', fr: 'retour', en: 'back' };

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
}

async function measure(lang: Language) {
  const app = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
  // Every screen: the question of every reachable state, with Back and 0 as the engine adds them.
  const screens: number[] = [];
  /** Screens too long for one bubble, and the longest bubble once split as they are sent. */
  let split = 0;
  let longestBubble = 0;
  for (const definition of productionFlows().values()) {
    for (const snapshot of reachable(definition)) {
      if (snapshot.status !== 'active') continue;
      const prompt = promptOf(snapshot);
      if (!prompt) continue;
      const question = app.renderer.question(lang, prompt, { showBack: true, showMenu: true, token: 't', backWord: BACK_WORD[lang] });
      screens.push(formatQuestionAsText(question as Extract<OutboundMessage, { kind: 'question' }>).length);
      const bubbles = packMessages([question]);
      if (bubbles.length > 1) split++;
      for (const b of bubbles) longestBubble = Math.max(longestBubble, asText(b).length);
    }
  }
  // The walks, through the engine: what is sent, bubble by bubble.
  const lengths: number[] = [];
  const perTurn: number[] = [];
  await app.open('walker');
  let n = 0;
  for (const text of [PICK[lang], ...WALK_ROUTES, ...WALK_CALLS, ...WALK_DOCUMENTS]) {
    const replies = await app.deliver({ channel: 'terminal', address: 'walker', messageId: `w${n++}`, kind: 'text', text });
    const bubbles = replies.filter((m) => m.kind !== 'document');
    perTurn.push(bubbles.length);
    for (const m of bubbles) lengths.push(asText(m).length);
  }
  await app.close();
  return {
    lang,
    screens: screens.length,
    longestScreen: Math.max(...screens),
    messages: lengths.length,
    longest: Math.max(...lengths),
    median: median(lengths),
    split,
    longestBubble,
    over: lengths.filter((l) => l > MAX_MESSAGE_CHARS).length + (longestBubble > MAX_MESSAGE_CHARS ? 1 : 0),
    perTurn: (perTurn.reduce((a, b) => a + b, 0) / perTurn.length).toFixed(2),
    maxPerTurn: Math.max(...perTurn),
    turns: perTurn.length,
  };
}

const rows = [];
for (const lang of LANGUAGES) rows.push(await measure(lang));
console.log(`| language | screens | longest screen (split in 2 bubbles) | longest screen bubble | walk messages | longest message | median message | messages per turn (mean / max) | bubbles over ${MAX_MESSAGE_CHARS} |`);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.lang} | ${r.screens} | ${r.longestScreen} (${r.split}) | ${r.longestBubble} | ${r.messages} in ${r.turns} turns | ${r.longest} | ${r.median} | ${r.perTurn} / ${r.maxPerTurn} | ${r.over} |`);
}
