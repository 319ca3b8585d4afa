/**
 * Scripted walks through every route, typed as a person would: numbers,
 * dates, names. Shared by the benchmark and the end-to-end test. Main menu:
 * 1 triage, 2 OQTF, 3 ways to an appointment (then 1 help desks, 2 phone,
 * 3 in person, 4 trusted person, 5 letter, 6 mobile desks, 7 NGOs, 8 court),
 * 4 my dates, 5 documents, 6 family, 7 language, 8 help. 0 is the main menu
 * from anywhere. In a route, a step's own action comes before "Next" (the
 * in-person statement step: 1 write it, 2 next). Each walk starts and ends
 * at the main menu.
 */

/** Every route, reading every step, without making documents. */
export const WALK_ROUTES: readonly string[] = [
  ['3', '1', '1', '1', '1', '1', '0'],
  ['3', '2', '3', '1', '0'],
  ['3', '3', '1', '1', '1', '2', '1', '0'],
  ['3', '4', '1', '1', '1', '1', '0'],
  ['3', '5', '1', '1', '2', '0'],
  ['3', '6', '1', '1', '93200', '0'],
  ['3', '7', '1', '1', '1', '0'],
  ['3', '8', '1', '2', '1', '0'],
  // OQTF, once for each situation: free, assignation à résidence, prison, detention centre.
  ['2', '1', '1', '1', '1', '0'],
  ['2', '1', '2', '1', '1', '0'],
  ['2', '1', '3', '1', '1', '0'],
  ['2', '1', '4', '1', '1', '0'],
  // Triage: renewal ending 15/01/2027, smartphone yes, helper no, can travel, 93200; start the first way.
  ['1', '3', '1', '15/01/2027', '1', '1', '2', '1', '93200', '1', '0'],
].flat();

/** The two routes that write French PDFs, with the details they ask for. */
export const WALK_DOCUMENTS: readonly string[] = [
  // In person, writing the statement: surname, names, birth date (confirmed), one reason, no more, town;
  // the PDF made, the walk goes on to the next step.
  ['3', '3', '1', '1', '1', '1', 'Diallo', 'Aissatou', '15/04/1985', '1', '1', '1', 'Bobigny', '1', '0'],
  // Registered letter: address, postcode, town, renewal, no foreigner number; then note the posting day
  // (today), which ends the route at the main menu.
  ['3', '5', '1', '1', '1', 'Diallo', 'Aissatou', '15/04/1985', '1', '12 rue Victor Hugo', '93200', 'Saint-Denis', '2', '1', '1', '1'],
].flat();

/** Phone route with call logs, back steps, a wrong answer; then help, privacy and the language picker. */
export const WALK_CALLS: readonly string[] = [
  ['3', '2', '3', '1', '1', '3', '12/11/2026', '1', '14h30', '1', 'Martin', '2', 'rappeler lundi', '0', '4', '3', '2', '0'],
  ['3', '2', '1', '1', 'back', '1', '9h', '1', '1', 'what?', '1', '1', '0'],
  ['help', 'privacy', '7', '5', 'menu'],
].flat();

/** The messages one benchmark person sends: a language, then the walks; every 20th also makes the PDFs. */
export function sessionFor(index: number): string[] {
  const language = String((index % 5) + 1);
  return [language, ...WALK_ROUTES, ...WALK_CALLS, ...(index % 20 === 0 ? WALK_DOCUMENTS : [])];
}
