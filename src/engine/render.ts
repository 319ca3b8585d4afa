import type { Language, ParamValue, Params, Prompt, Text } from '../../machines/lib/intents.js';
import { parseIsoDate } from '../../machines/lib/calendar.js';
import type { Translator } from '../i18n/translator.js';
import type { ChannelName, OutboundMessage, OutboundOption, TextDirection } from '../messages.js';
import { isolateLtrRuns } from '../text/bidi.js';

export function directionOf(lang: Language): TextDirection {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

/**
 * Turns machine texts into sentences for one reader. Arabic output gets its
 * Latin and numeric runs isolated so they display in the right order.
 */
export class Renderer {
  private smsRenderer: Renderer | undefined;
  /** Which keys have an SMS version, per language: looked up once each. */
  private readonly variantKeys = new Map<string, string>();

  constructor(
    private readonly translator: Translator,
    /**
     * 'sms': a text with a short SMS version (the same key with `_sms`) is
     * rendered in that version, where every character costs and a screen is a
     * few lines; every other text as it is.
     */
    private readonly variant: 'sms' | null = null,
  ) {}

  /** The renderer for messages sent through this channel. */
  forChannel(channel: ChannelName): Renderer {
    if (channel !== 'sms' || this.variant === 'sms') return this;
    this.smsRenderer ??= new Renderer(this.translator, 'sms');
    return this.smsRenderer;
  }

  t(lang: Language, key: string, params?: Record<string, unknown>): string {
    return this.translator.t(lang, this.keyFor(lang, key), params);
  }

  private keyFor(lang: Language, key: string): string {
    if (this.variant === null) return key;
    const cacheKey = `${lang}\u0000${key}`;
    let chosen = this.variantKeys.get(cacheKey);
    if (chosen === undefined) {
      chosen = this.translator.has(lang, `${key}_${this.variant}`) ? `${key}_${this.variant}` : key;
      this.variantKeys.set(cacheKey, chosen);
    }
    return chosen;
  }

  formatDate(lang: Language, iso: string): string {
    const { year, month, day } = parseIsoDate(iso);
    // French writes the first of the month "1er" (1er décembre); the locale says how.
    const dayText = day === 1 ? this.translator.t(lang, 'date.first_day') : day;
    return this.translator.t(lang, 'date.format', { day: dayText, month: this.translator.t(lang, `date.month_${month}`), year });
  }

  /** "March 2027": for a month planned rather than a day. */
  formatMonth(lang: Language, iso: string): string {
    const { year, month } = parseIsoDate(iso);
    return this.translator.t(lang, 'date.month_format', { month: this.translator.t(lang, `date.month_${month}`), year });
  }

  text(reader: Language, text: Text): string {
    const lang = text.lang ?? reader;
    const rendered = this.t(lang, text.key, this.params(lang, text.params));
    return lang === 'ar' ? isolateLtrRuns(rendered) : rendered;
  }

  message(reader: Language, text: Text): OutboundMessage {
    return { kind: 'text', text: this.text(reader, text), direction: directionOf(reader) };
  }

  /** Plain text (a French document, a list) sent as it is. */
  raw(text: string, direction: TextDirection = 'ltr'): OutboundMessage {
    return { kind: 'text', text, direction };
  }

  question(
    reader: Language,
    prompt: Prompt,
    nav: { readonly showBack: boolean; readonly showMenu: boolean; readonly token: string; readonly direction?: TextDirection; readonly backWord?: string },
  ): OutboundMessage {
    const options: OutboundOption[] = prompt.choices.map((c, i) => ({
      number: i + 1,
      label: this.text(reader, c.label),
      ...(c.detail ? { detail: this.text(reader, c.detail) } : {}),
    }));
    if (nav.showBack) {
      const back = { number: options.length + 1, label: this.text(reader, { key: 'common.back' }) };
      // A typed answer is expected: a number would be read as the answer, so "back" is a word here.
      options.push(prompt.freeText && nav.backWord ? { ...back, typed: this.text(reader, { key: 'common.back_by_word', params: { word: nav.backWord } }) } : back);
    }
    // 0 always leads to the menu, but is not listed twice when the step already offers it by name.
    const offersMenu = prompt.choices.some((c) => c.label.key === 'common.main_menu');
    if (nav.showMenu && !offersMenu) options.push({ number: 0, label: this.text(reader, { key: 'common.main_menu' }) });
    return {
      kind: 'question',
      text: prompt.text.map((line) => this.text(reader, line)).join('\n'),
      options,
      token: nav.token,
      direction: nav.direction ?? directionOf(reader),
    };
  }

  choiceLabels(reader: Language, prompt: Prompt): string[] {
    return prompt.choices.map((c) => {
      const lang = c.label.lang ?? reader;
      return this.t(lang, c.label.key, this.params(lang, c.label.params));
    });
  }

  private params(lang: Language, params: Params | undefined): Record<string, unknown> | undefined {
    if (!params) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(params)) out[name] = this.param(lang, value);
    return out;
  }

  private param(lang: Language, value: ParamValue): unknown {
    if (typeof value === 'string' || typeof value === 'number') return value;
    // In a message the date is also written in digits, as it is on papers and forms (15/03/2027).
    if ('date' in value) return this.translator.t(lang, 'date.with_digits', { date: this.formatDate(lang, value.date), digits: digitsOf(value.date) });
    if ('month' in value) return this.formatMonth(lang, value.month);
    return this.t(lang, value.key, this.params(lang, value.params));
  }
}

/** 2027-03-15 → 15/03/2027. */
function digitsOf(iso: string): string {
  const { year, month, day } = parseIsoDate(iso);
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** "1. label"; in Arabic the number is isolated so "1." does not turn into ".1" (text lines and buttons alike). */
export function numberedLabel(direction: TextDirection, option: OutboundOption): string {
  return direction === 'rtl' ? `\u2066${option.number}.\u2069 ${option.label}` : `${option.number}. ${option.label}`;
}

/**
 * Text-only channels (the terminal, WhatsApp) show options as numbered lines.
 * In Arabic the number is isolated so "1." does not turn into ".1".
 */
export function formatQuestionAsText(message: Extract<OutboundMessage, { kind: 'question' }>): string {
  const lines = message.options.map((o) => {
    if (o.typed) return o.typed;
    const line = numberedLabel(message.direction, o);
    return o.detail ? `${line}\n   ${o.detail}` : line;
  });
  return lines.length > 0 ? `${message.text}\n\n${lines.join('\n')}` : message.text;
}
