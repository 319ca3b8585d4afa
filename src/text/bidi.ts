/**
 * Right-to-left display. Inside an Arabic sentence, a run of digits or Latin
 * letters (a phone number, a date, "France Services") is wrapped in Unicode
 * isolates so that it keeps its own left-to-right order and does not pull the
 * surrounding punctuation with it.
 */
export const LRI = '\u2066';
export const PDI = '\u2069';

// Starts and ends on a Latin letter or a digit (a leading + for phone numbers, @ for usernames);
// inside, it may hold spaces and the punctuation found in numbers, dates,
// times and French terms.
const LTR_RUN = /[+@]?[\p{Script=Latin}\d](?:[\p{Script=Latin}\d .,:/'’\-–@_]*[\p{Script=Latin}\d])?/gu;

export function isolateLtrRuns(text: string): string {
  return text.replace(LTR_RUN, (run) => `${LRI}${run}${PDI}`);
}
