import type { OutboundMessage, OutboundOption } from '../../messages.js';

/** One option as an SMS shows it: "1 Oui"; in Arabic the number is isolated so it stays before its word. */
function compactOption(direction: 'ltr' | 'rtl', option: OutboundOption): string {
  if (option.typed) return option.typed;
  return direction === 'rtl' ? `\u2066${option.number}\u2069 ${option.label}` : `${option.number} ${option.label}`;
}

/**
 * A question as one SMS text: the question, then its options on one line
 * ("1 Oui 2 Non 0 Menu"). Every character is paid for and a basic phone's
 * screen is a few lines, so the option details a chat app shows are left out
 * and options are separated by two spaces rather than lines. An option typed
 * as a word ("or type back") keeps its own line.
 */
export function formatQuestionForSms(message: Extract<OutboundMessage, { kind: 'question' }>): string {
  const numbered = message.options.filter((o) => !o.typed).map((o) => compactOption(message.direction, o));
  const typed = message.options.filter((o) => o.typed).map((o) => o.typed!);
  const lines = [message.text];
  if (numbered.length > 0) lines.push(numbered.join('  '));
  lines.push(...typed);
  return lines.join('\n');
}
