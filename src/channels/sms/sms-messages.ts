import type { OutboundMessage } from '../../messages.js';
import { encodeSms } from './sms-encoding.js';
import { formatQuestionForSms } from './sms-format.js';

/** The texts of one reply as SMS see them: a question compact, documents left out (the engine says where to get them). */
export function smsTexts(messages: readonly OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.kind === 'text' ? [m.text] : m.kind === 'question' ? [formatQuestionForSms(m)] : []));
}

const partsOf = (text: string) => encodeSms(text).parts.length;

/**
 * One reply cut into SMS of at most `maxParts` parts each: paragraphs are
 * joined while they fit (a partly filled part costs as much as a full one),
 * a paragraph too long alone is cut between lines, then between words.
 */
export function packSms(texts: readonly string[], maxParts: number): string[] {
  const pieces = texts.flatMap((t) => t.split(/\n{2,}/)).map((p) => p.trim()).filter((p) => p !== '');
  const out: string[] = [];
  let current = '';
  const push = (piece: string, separator: string) => {
    const joined = current ? `${current}${separator}${piece}` : piece;
    if (partsOf(joined) <= maxParts) {
      current = joined;
      return true;
    }
    return false;
  };
  for (const piece of pieces) {
    if (push(piece, '\n\n')) continue;
    if (current) out.push(current);
    current = '';
    if (partsOf(piece) <= maxParts) {
      current = piece;
      continue;
    }
    // Too long alone: by lines, then by words; a word longer than the limit is cut by characters.
    for (const line of piece.split('\n')) {
      if (push(line, '\n')) continue;
      if (current) out.push(current);
      current = '';
      for (const word of line.split(' ')) {
        if (push(word, ' ')) continue;
        if (current) out.push(current);
        current = '';
        let rest = word;
        while (partsOf(rest) > maxParts) {
          let cut = rest.length;
          while (cut > 1 && partsOf(rest.slice(0, cut)) > maxParts) cut = Math.floor(cut * 0.9);
          out.push(rest.slice(0, cut));
          rest = rest.slice(cut);
        }
        current = rest;
      }
    }
  }
  if (current) out.push(current);
  return out;
}
