/**
 * Scripted walks through every route, as people would type them. Each walk
 * starts at the main menu and ends there.
 */
export const WALKS: readonly (readonly string[])[] = [
  // Free digital help desks, all the way, then to the phone route and back.
  ['1', '1', '1', '1', '1', '1', 'menu'],
  // Phone route: read everything, note a call with a typed date, see saved calls.
  ['2', '1', '1', '1', '3', '12', '11', '1', '1', '14h30', '1', 'Martin', '2', 'rappeler lundi', '2', '2', '3', '2'],
  // Phone route: quick call log for today, with back steps and a wrong answer.
  ['2', '2', '1', 'back', '1', '9h', '1', '1', 'what?', '1', '1', '2'],
  // Help, privacy and language overlays from the menu.
  ['help', 'privacy', '3', '5', 'menu'],
];

/** The messages one person sends in a session: open, pick a language, then the walks. */
export function sessionFor(index: number): string[] {
  const language = String((index % 5) + 1);
  return [language, ...WALKS.flat()];
}
