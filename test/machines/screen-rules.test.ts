import { createActor } from 'xstate';
import { describe, expect, it } from 'vitest';
import { promptOf } from '../../machines/lib/dialogue.js';
import type { CaseChoice } from '../../machines/lib/intents.js';
import { GLOBAL_COMMANDS, LANGUAGES, type FlowEvent, type Language, type Prompt } from '../../machines/lib/intents.js';
import { buildCommandWords, MAX_MATCHED_LENGTH } from '../../src/engine/interpret-input.js';
import { MAX_MESSAGE_CHARS, packMessages } from '../../src/engine/pack-messages.js';
import type { OutboundMessage } from '../../src/messages.js';
import { matchKey } from '../../src/text/normalize-input.js';
import { reachable, today } from '../helpers/flow-graph.js';
import { productionFlows } from '../helpers/flows.js';
import { asText, createTestApp } from '../helpers/test-app.js';
import { WALK_CALLS, WALK_DOCUMENTS, WALK_ROUTES } from '../../bench/walks.js';

/**
 * The rule book of every screen, in every language: each reachable state of
 * every flow, rendered as a person sees it on a text channel.
 * - 0 is the main menu, and it is the only way to it (no "Main menu" option by name);
 * - Back is the last numbered option, and no flow offers its own;
 * - numbers run 1, 2, 3… with no gap;
 * - no message over the limit once packed into bubbles;
 * - no option whose words are a command word (typing it would run the command
 *   instead), unless the option is that very command (the menu's "Help").
 */
const app = createTestApp();
// With a helpdesk: every screen Guichet can show, the conversation with volunteers included.
const flows = [...productionFlows({ helpdesk: true }).values()];
const screens = flows.flatMap((definition) =>
  reachable(definition)
    .filter((s) => s.status === 'active')
    .map((snapshot) => ({ flow: definition.id, state: JSON.stringify(snapshot.value), prompt: promptOf(snapshot) }))
    .filter((s): s is { flow: typeof s.flow; state: string; prompt: Prompt } => s.prompt !== undefined),
);
const commands = buildCommandWords((command) => LANGUAGES.flatMap((lang) => app.renderer.t(lang, `commands.${command}`).split('|')));
const BACK_WORD: Record<Language, string> = { ar: 'رجوع', bn: 'পিছনে', pt: 'voltar', fr: 'retour', en: 'back' };

function render(lang: Language, prompt: Prompt) {
  return app.renderer.question(lang, prompt, { showBack: true, showMenu: true, token: 't', backWord: BACK_WORD[lang] }) as Extract<OutboundMessage, { kind: 'question' }>;
}

describe('every screen follows the rule book', () => {
  it('explores enough of the flows to mean something', () => {
    expect(screens.length).toBeGreaterThan(100);
  });

  it('offers no "Main menu" or "Back" of its own: the engine adds Back last and 0', () => {
    const own = screens.filter((s) => s.prompt.choices.some((c) => c.label.key === 'common.main_menu' || c.label.key === 'common.back'));
    expect(own.map((s) => `${s.flow} ${s.state}`)).toEqual([]);
  });

  for (const lang of LANGUAGES) {
    it(`${lang}: numbers 1…n, then Back, then 0 for the menu; every bubble within ${MAX_MESSAGE_CHARS} characters`, () => {
      for (const { flow, state, prompt } of screens) {
        const where = `${lang} ${flow} ${state}`;
        const question = render(lang, prompt);
        const numbers = question.options.map((o) => o.number);
        const n = prompt.choices.length;
        expect(numbers, where).toEqual([...Array.from({ length: n + 1 }, (_, i) => i + 1), 0]);
        expect(question.options[n]!.label, where).toBe(app.renderer.t(lang, 'common.back'));
        expect(question.options[n + 1]!.label, where).toBe(app.renderer.t(lang, 'common.main_menu'));
        for (const bubble of packMessages([question])) expect(asText(bubble).length, where).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      }
    });

    it(`${lang}: every option label and command word is short enough to be matched when typed`, () => {
      const longest = Math.max(
        ...screens.flatMap(({ prompt }) => render(lang, prompt).options.map((o) => o.label.length)),
        ...GLOBAL_COMMANDS.flatMap((c) => app.renderer.t(lang, `commands.${c}`).split('|').map((w) => w.length)),
      );
      expect(longest).toBeLessThanOrEqual(MAX_MATCHED_LENGTH);
    });

    it(`${lang}: no option reads as a command word`, () => {
      const clashes: string[] = [];
      for (const { flow, state, prompt } of screens) {
        const question = render(lang, prompt);
        prompt.choices.forEach((c, i) => {
          const command = commands.get(matchKey(question.options[i]!.label));
          if (command && command !== (c.id as (typeof GLOBAL_COMMANDS)[number])) clashes.push(`${flow} ${state}: "${question.options[i]!.label}" is "${command}"`);
        });
      }
      expect(clashes).toEqual([]);
    });
  }
});

describe('every message of the scripted walks (every route, the call log, the documents, the triage)', () => {
  const PICK: Record<Language, string> = { ar: '1', bn: '2', pt: '3', fr: '4', en: '5' };
  for (const lang of LANGUAGES) {
    it(`${lang}: within ${MAX_MESSAGE_CHARS} characters, whatever the data a walk fills in`, async () => {
      const walker = createTestApp({ now: '2026-12-01T10:00:00+01:00' });
      try {
        await walker.open('walker');
        const over: string[] = [];
        for (const [n, text] of [PICK[lang], ...WALK_ROUTES, ...WALK_CALLS, ...WALK_DOCUMENTS].entries()) {
          const replies = await walker.deliver({ channel: 'terminal', address: 'walker', messageId: `w${n}`, kind: 'text', text });
          for (const m of replies) if (m.kind !== 'document' && asText(m).length > MAX_MESSAGE_CHARS) over.push(`after "${text}" (message ${n}): ${asText(m).length}`);
        }
        expect(over).toEqual([]);
      } finally {
        await walker.close();
      }
    });
  }
});

/** The question a flow shows after these events. */
function promptAfter(flowId: string, events: FlowEvent[]): Prompt {
  const definition = productionFlows().get(flowId as never)!;
  const actor = createActor(definition.machine, { input: { today, ...(definition.defaultParams ? { params: definition.defaultParams } : {}) } });
  actor.start();
  for (const event of events) actor.send(event);
  const prompt = promptOf(actor.getSnapshot());
  actor.stop();
  return prompt!;
}

const ids = (prompt: Prompt) => prompt.choices.map((c) => c.id);

describe('an option keeps its number when a list grows', () => {
  const own: CaseChoice = { id: 'c1', own: true, role: 'owner', label: null };
  const mum: CaseChoice = { id: 'c2', own: false, role: 'helper', label: 'Fatima' };
  const cases = (list: CaseChoice[], activeId = 'c1'): FlowEvent => ({ type: 'CASES', overview: { activeId, cases: list, helpers: [] }, today });

  it('family: help, code and helpers stay 1, 2, 3 with one case, two, and in the other case', () => {
    const alone = ids(promptAfter('family', [cases([own])]));
    const two = ids(promptAfter('family', [cases([own, mum])]));
    const inOther = ids(promptAfter('family', [cases([own, mum], 'c2')]));
    expect(alone).toEqual(['help', 'code', 'helpers']);
    expect(two.slice(0, 3)).toEqual(alone);
    expect(inOther).toEqual(two);
  });

  it('family: a new case is added after those already listed', () => {
    const dad: CaseChoice = { id: 'c3', own: false, role: 'owner', label: 'Ali' };
    const before = ids(promptAfter('family', [cases([own, mum]), { type: 'CHOOSE', choice: 'switch', today }]));
    const after = ids(promptAfter('family', [cases([own, mum, dad]), { type: 'CHOOSE', choice: 'switch', today }]));
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('documents: the evidence file stays 1 however many documents there are', () => {
    const item = (n: number) => ({ id: `p${n}`, kind: 'postal-receipt' as const, date: '2026-11-20' });
    for (const count of [0, 1, 5]) expect(ids(promptAfter('proofs', [{ type: 'PROOFS', items: Array.from({ length: count }, (_, i) => item(i)), today }]))[0]).toBe('evidence');
  });

  it('statement reasons: each reason keeps its number once chosen, ticked', () => {
    const node = productionFlows().get('document.statement')!.machine.root.states.moreReasons!;
    const prompt = (node.meta as { prompt: (c: { reasons: string[] }) => Prompt }).prompt;
    const one = prompt({ reasons: ['no_computer'] });
    const three = prompt({ reasons: ['no_computer', 'no_internet', 'reading'] });
    expect(ids(three)).toEqual(ids(one));
    const ticked = three.choices.filter((c) => c.label.key === 'document.reason_picked').map((c) => c.id);
    expect(ticked).toEqual(['no_computer', 'no_internet', 'reading']);
  });
});
