/**
 * Text a person typed (a call note, a helper's name) may be in Bengali or
 * Arabic inside a French document. DejaVu has no Bengali glyphs and pdfkit
 * does not reorder right-to-left text, so a line is cut into runs, each with
 * the font of its script, and the words of each Arabic stretch are laid out
 * right to left. Each word keeps its letters in typed order: the font's
 * shaping joins and orders the letters of one word itself.
 */

export type Script = 'latin' | 'arabic' | 'bengali';

export interface Run {
  readonly text: string;
  /** The font to draw it with. */
  readonly script: Script;
}

const ARABIC = /[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]/;
/** Bengali letters and the danda (।), which the Bengali font has and DejaVu lacks. */
const BENGALI = /[\u0980-\u09ff\u0964\u0965]/;
/** Words (letters with their marks), and everything else one character class at a time. */
const TOKENS = /\s+|[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]+/gu;

/** Whether the text needs more than the Latin font: most French lines do not. */
export function needsScriptRuns(text: string): boolean {
  return ARABIC.test(text) || BENGALI.test(text);
}

/** The font a token needs. Digits, spaces and Latin punctuation are in DejaVu, which has them all. */
function fontOf(token: string): Script {
  if (ARABIC.test(token)) return 'arabic';
  if (BENGALI.test(token)) return 'bengali';
  return 'latin';
}

/**
 * The runs of one line, in the order they are drawn left to right on a
 * French (left-to-right) page: within a stretch of Arabic words (with the
 * spaces, digits and punctuation between them) the order is reversed; each
 * run is drawn in the font of its own characters.
 */
export function scriptRuns(line: string): Run[] {
  const tokens = (line.match(TOKENS) ?? []).map((text) => ({ text, script: fontOf(text), strong: /\p{L}/u.test(text) }));
  const rtl = tokens.map((token, i) => {
    if (token.strong) return token.script === 'arabic';
    const before = tokens.slice(0, i).reverse().find((t) => t.strong);
    const after = tokens.slice(i + 1).find((t) => t.strong);
    return before?.script === 'arabic' && after?.script === 'arabic';
  });
  const ordered: Run[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (!rtl[i]) {
      ordered.push({ text: tokens[i]!.text, script: tokens[i]!.script });
      i++;
      continue;
    }
    let j = i;
    while (j < tokens.length && rtl[j]) j++;
    for (let k = j - 1; k >= i; k--) ordered.push({ text: tokens[k]!.text, script: tokens[k]!.script });
    i = j;
  }
  return merge(ordered);
}

/** Neighbouring runs in one font drawn as one; Arabic words stay apart (each is shaped on its own). */
function merge(runs: Run[]): Run[] {
  const out: Run[] = [];
  for (const run of runs) {
    const last = out[out.length - 1];
    if (last && last.script === run.script && run.script !== 'arabic') out[out.length - 1] = { text: last.text + run.text, script: run.script };
    else out.push(run);
  }
  return out;
}
