import { LANGUAGES, isLanguage, type Language, type Prompt } from './intents.js';

/**
 * The picker shows each language in its own script and asks the question in
 * all five, because at first contact Guichet does not know which one the
 * person reads.
 */
export function languagePickerPrompt(hint: Language | null = null): Prompt {
  // The language the person's phone uses, when the platform tells, comes first.
  const order = hint ? [hint, ...LANGUAGES.filter((l) => l !== hint)] : LANGUAGES;
  return {
    text: order.map((lang) => ({ key: 'language.choose', lang })),
    choices: order.map((lang) => ({ id: lang, label: { key: 'language.name', lang } })),
  };
}

export function chosenLanguage(event: { type: string; choice?: string }): Language | undefined {
  return event.type === 'CHOOSE' && isLanguage(event.choice) ? event.choice : undefined;
}
