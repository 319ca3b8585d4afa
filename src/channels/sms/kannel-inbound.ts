/**
 * What Kannel's smsbox sends for an incoming SMS (an sms-service get-url
 * with `id=%I&from=%p&text=%b&coding=%c&charset=%C&ts=%t`). `%b` is the
 * message as it came, percent-encoded byte by byte: UTF-8 when smsbox
 * recodes (mo-recode), UTF-16BE when coding is 2 (UCS-2) and it does not.
 */
export interface KannelInbound {
  readonly id: string;
  readonly from: string;
  readonly text: string;
}

/** Percent-decoding to bytes: URLSearchParams would read the bytes as UTF-8 and spoil UTF-16. */
export function percentDecodeBytes(value: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '%' && /^[0-9a-fA-F]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '+') bytes.push(0x20);
    else bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes);
}

/** The raw (still percent-encoded) fields of a query string or form body. */
export function rawFields(query: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const pair of query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const name = decodeURIComponent((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
    if (!fields.has(name)) fields.set(name, eq < 0 ? '' : pair.slice(eq + 1));
  }
  return fields;
}

const field = (fields: Map<string, string>, name: string) => {
  const raw = fields.get(name);
  return raw === undefined ? undefined : percentDecodeBytes(raw).toString('utf8');
};

function decodeText(bytes: Buffer, coding: string | undefined, charset: string | undefined): string {
  const named = charset?.trim().toLowerCase();
  if (coding === '2' || named === 'utf-16be' || named === 'ucs-2' || named === 'ucs2') return new TextDecoder('utf-16be').decode(bytes);
  if (named && named !== 'utf-8' && named !== 'utf8') {
    try {
      return new TextDecoder(named).decode(bytes);
    } catch {
      // An unknown charset name: UTF-8 below, with replacement characters where it does not fit.
    }
  }
  return new TextDecoder('utf-8').decode(bytes);
}

/** Limits well above one concatenated SMS (255 parts of 153 characters). */
const MAX_TEXT_CHARS = 40_000;

/** The message in these fields, or a reason it is not one. */
export function parseInbound(fields: Map<string, string>): KannelInbound | { readonly problem: string } {
  const id = field(fields, 'id');
  const from = field(fields, 'from');
  const rawText = fields.get('text');
  if (!id || !/^[A-Za-z0-9._:-]{1,128}$/.test(id)) return { problem: 'no message id' };
  if (!from || !/^\+?[0-9A-Za-z]{2,20}$/.test(from)) return { problem: 'no sender number' };
  if (rawText === undefined) return { problem: 'no text' };
  const text = decodeText(percentDecodeBytes(rawText), field(fields, 'coding'), field(fields, 'charset'));
  if (text.length > MAX_TEXT_CHARS) return { problem: 'text too long' };
  return { id, from, text };
}
