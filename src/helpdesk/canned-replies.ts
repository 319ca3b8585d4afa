/**
 * What a volunteer can send with `/t KEY`: texts Guichet already says, with
 * their sources checked, so the person gets them in their own language and
 * the volunteer never has to translate the law. Each key names locale texts
 * sent one after the other.
 */
export const CANNED_REPLIES: Readonly<Record<string, readonly string[]>> = {
  bring: ['digital_help.bring'],
  book: ['in_person.intro', 'in_person.digital_point'],
  phone: ['phone.intro', 'phone.before_calling'],
  statement: ['in_person.statement'],
  turned_away: ['in_person.turned_away'],
  oqtf: ['oqtf.intro', 'oqtf.counting', 'oqtf.who_to_call'],
  retention: ['oqtf.deadline_retention'],
};

const CANNED = /^\/t\s+([a-z_]{1,40})\s*$/i;

/** The key of a `/t KEY` message, or undefined when it is an ordinary message. */
export function cannedKey(text: string | null): string | undefined {
  const match = text ? CANNED.exec(text.trim()) : null;
  return match ? match[1]!.toLowerCase() : undefined;
}

/** Whether a message looks like `/t something`, known or not. */
export function looksCanned(text: string | null): boolean {
  return text !== null && /^\/t(\s|$)/i.test(text.trim());
}
