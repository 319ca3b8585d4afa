import type { OutboundMessage } from '../messages.js';
import { formatQuestionAsText } from './render.js';

/** Longest message Guichet sends: about one screen of a small phone. */
export const MAX_MESSAGE_CHARS = 700;

type TextMessage = Extract<OutboundMessage, { kind: 'text' }>;
type QuestionMessage = Extract<OutboundMessage, { kind: 'question' }>;

/**
 * The replies of one turn as bubbles a small phone shows well: none longer
 * than `max` characters (a long text is cut at paragraph, then line, then
 * sentence boundaries), and short consecutive texts — a list's lines, a
 * confirmation and what follows — joined into one bubble, the question
 * included, so that WhatsApp does not receive one message per line.
 */
export function packMessages(messages: readonly OutboundMessage[], max = MAX_MESSAGE_CHARS): OutboundMessage[] {
  const split = messages.flatMap((m) => splitLong(m, max));
  const packed: OutboundMessage[] = [];
  for (const message of split) {
    const last = packed[packed.length - 1];
    const joined = last ? join(last, message, max) : undefined;
    if (joined) packed[packed.length - 1] = joined;
    else packed.push(message);
  }
  return packed;
}

function length(message: OutboundMessage): number {
  if (message.kind === 'text') return message.text.length;
  if (message.kind === 'question') return formatQuestionAsText(message).length;
  return 0;
}

/** A text followed by a text or a question, in the same direction, when both fit in one bubble. */
function join(first: OutboundMessage, second: OutboundMessage, max: number): OutboundMessage | undefined {
  if (first.kind !== 'text' || second.kind === 'document' || first.direction !== second.direction) return undefined;
  if (first.text.length + 2 + length(second) > max) return undefined;
  return { ...second, text: `${first.text}\n\n${second.text}` };
}

/** A message over the limit as several: texts first, the question (with its options) last. */
function splitLong(message: OutboundMessage, max: number): OutboundMessage[] {
  if (message.kind === 'document' || length(message) <= max) return [message];
  if (message.kind === 'text') return cut(message.text, max).map((text): TextMessage => ({ ...message, text }));
  const question: QuestionMessage = message;
  // What the options take on a text channel; the text before them gets the rest.
  const room = max - (formatQuestionAsText({ ...question, text: '' }).length + 2);
  const { head, tail } = splitTail(question.text, room);
  const texts = (head ? cut(head, max) : []).map((text): TextMessage => ({ kind: 'text', text, direction: question.direction }));
  return [...texts, { ...question, text: tail }];
}

/**
 * The question keeps as much of its text as fits beside its options, taken
 * from the end: the lines that lead into the options ("The ways that fit
 * you, in order") stay with them rather than end the bubble before.
 */
function splitTail(text: string, room: number): { head: string; tail: string } {
  for (const boundary of ['\n\n', '\n', '. ']) {
    const pieces = text.split(boundary);
    let start = pieces.length;
    while (start > 0 && pieces.slice(start - 1).join(boundary).length <= room) start--;
    if (start < pieces.length && start > 0) {
      const head = pieces.slice(0, start).join(boundary);
      return { head: boundary === '. ' ? `${head}.` : head, tail: pieces.slice(start).join(boundary) };
    }
  }
  // Not even the last sentence fits beside the options: it goes with them anyway (a question needs its words).
  const lines = text.split('\n');
  return { head: lines.slice(0, -1).join('\n'), tail: lines[lines.length - 1]! };
}

/** Cut text into pieces of at most `max` characters, at the largest boundary that allows it. */
export function cut(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  for (const boundary of ['\n\n', '\n', '. ', ' ']) {
    const pieces = text.split(boundary);
    if (pieces.length < 2 || pieces.some((p) => p.length > max && boundary === ' ')) continue;
    const out: string[] = [];
    let current = '';
    for (const piece of pieces) {
      const next = current ? `${current}${boundary}${piece}` : piece;
      if (next.length <= max) current = next;
      else {
        if (current) out.push(boundary === '. ' ? `${current}.` : current);
        current = piece;
      }
    }
    if (current) out.push(current);
    // A piece still too long is cut again at a finer boundary.
    return out.flatMap((p) => (p.length > max ? cut(p, max) : [p]));
  }
  // One unbroken run (no spaces at all): cut by length, never inside a surrogate pair.
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(i + max, text.length);
    const code = text.charCodeAt(end - 1);
    if (end < text.length && code >= 0xd800 && code <= 0xdbff) end--;
    out.push(text.slice(i, end));
    i = end;
  }
  return out;
}
