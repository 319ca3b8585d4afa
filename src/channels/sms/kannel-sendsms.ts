import axios, { type AxiosInstance } from 'axios';
import { encodeSms } from './sms-encoding.js';

export interface SendsmsSettings {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly from: string;
  /** Guichet's delivery-report address, secret included; `id` and Kannel's `%d` are added. */
  readonly dlrUrl: (id: string) => string;
  readonly timeoutMs?: number;
  /** Tries on a 5xx answer, a timeout or a refused connection, the first included. */
  readonly tries?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Kannel refused the message (a 4xx: wrong credentials, a number it will not send to): trying again would not help. */
export class SmsRefusedError extends Error {
  override readonly name = 'SmsRefusedError';
}

/** Kannel could not be reached or kept failing: the message was not sent. */
export class SmsUnavailableError extends Error {
  override readonly name = 'SmsUnavailableError';
}

/** All report kinds (delivered, failed, queued at the SMSC, SMSC accepted, SMSC rejected). */
const DLR_MASK = 31;

/**
 * Kannel's sendsms interface. GSM-7 text goes as it is (Kannel encodes
 * UTF-8 into the GSM alphabet); anything else as UCS-2 (`coding=2`). Kannel
 * cuts a long text into the parts of a concatenated SMS (`max-messages` of
 * the sendsms-user must allow SMS_MAX_PARTS).
 */
export class KannelSendsms {
  private readonly http: AxiosInstance;

  constructor(private readonly settings: SendsmsSettings) {
    this.http = axios.create({ timeout: settings.timeoutMs ?? 10_000, validateStatus: () => true, maxRedirects: 0 });
  }

  async send(id: string, to: string, text: string): Promise<void> {
    const { url, username, password, from, dlrUrl } = this.settings;
    const encoded = encodeSms(text);
    const params: Record<string, string> = {
      username,
      password,
      from,
      to,
      text: encoded.text,
      charset: 'UTF-8',
      'dlr-mask': String(DLR_MASK),
      'dlr-url': dlrUrl(id),
    };
    if (encoded.coding === 'ucs2') params.coding = '2';
    const tries = this.settings.tries ?? 3;
    const sleep = this.settings.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let last = '';
    for (let attempt = 1; attempt <= tries; attempt++) {
      try {
        // Encoded here: axios writes spaces as "+", which Kannel's sendsms keeps as a "+" in UCS-2 text.
        const query = Object.entries(params).map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('&');
        const response = await this.http.get(`${url}${url.includes('?') ? '&' : '?'}${query}`);
        if (response.status >= 200 && response.status < 300) return;
        // The answer names the reason ("Authorization failed"); it holds no personal data, the number is not echoed.
        if (response.status < 500) throw new SmsRefusedError(`Kannel refused the SMS: HTTP ${response.status}`);
        last = `HTTP ${response.status}`;
      } catch (error) {
        if (error instanceof SmsRefusedError) throw error;
        last = (error as { code?: string }).code ?? 'network error';
      }
      if (attempt < tries) await sleep(500 * 4 ** (attempt - 1));
    }
    throw new SmsUnavailableError(`Kannel did not take the SMS after ${tries} tries (${last})`);
  }
}
