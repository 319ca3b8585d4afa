import { LANGUAGES, isLanguage, type Language, type Prompt } from './intents.js';

/**
 * The picker shows each language in its own script and asks the question in
 * all five, because at first contact Guichet does not know which one the
 * person reads.
 */
export function languagePickerPrompt(): Prompt {
  return {
    text: LANGUAGES.map((lang) => ({ key: 'language.choose', lang })),
    choices: LANGUAGES.map((lang) => ({ id: lang, label: { key: 'language.name', lang } })),
  };
}

export function chosenLanguage(event: { type: string; choice?: string }): Language | undefined {
  return event.type === 'CHOOSE' && isLanguage(event.choice) ? event.choice : undefined;
}
