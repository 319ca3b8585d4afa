import fc from 'fast-check';

/**
 * Generators shared by the fuzz suites: hostile text, dates and codes in
 * every digit script, binary files with real and fake signatures, and
 * Telegram updates and Baileys messages from well-typed to thoroughly broken.
 */

/** Runs per property. The hardening issue asks for at least 10,000 generated inputs through every normalizer and the engine. */
export const NORMALIZER_RUNS = 10_000;
export const ENGINE_RUNS = 10_000;

// --- text --------------------------------------------------------------------

/** Digit scripts people type (see src/text/digits.ts), by the code point of their zero. */
const DIGIT_ZEROS = [0x30, 0x0660, 0x06f0, 0x09e6, 0x0966, 0xff10] as const;

export function inDigitScript(text: string, zero: number): string {
  return text.replace(/[0-9]/g, (d) => String.fromCodePoint(zero + Number(d)));
}

const digitScript = fc.constantFrom(...DIGIT_ZEROS);

/** Pieces that have broken chat bots before: bidi and zero-width controls, C0/C1, combining marks, emoji sequences, lone surrogates, commands. */
export const hostilePiece = fc.constantFrom(
  'abc', 'é', 'e\u0301', 'A\u030a', 'ﬁ', 'Ǆ', 'ß', 'İ', 'ع', 'لا', 'ﻻ', 'ﷺ', 'ـــ', 'ব', 'ক্ষ', 'Ελλάδα', 'Москва', '中文', '한국어', 'עברית',
  '٣', '۴', '৫', '७', '９', '😀', '👩🏽‍⚕️', '🇫🇷', '❤️', '\u{1F600}\u{FE0F}',
  '\u202e', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u061c', '\ufeff', '\u2060', '\u00ad',
  '\u0000', '\u0001', '\u0007', '\u0008', '\u000b', '\u000c', '\u001b', '\u007f', '\u0085', '\u009f',
  '\t', '\n', '\r', '\r\n', '\u2028', '\u2029', ' ', '  ', '\u00a0', '\u3000', '\u1680',
  '\ud800', '\udfff', '\udbff\udfff',
  '/', '.', '-', ':', 'h', '+', '(', ')', "'", '’', '%s', '{{x}}', '<b>', '*', '_', '`',
  '0', '1', '2', '3', '4', '5', '9', '00', '99', '999', '1000',
  '31/02/2026', '29/02/2025', '29/02/2028', '30/02/2024', '31/04/2026', '00/00/0000', '32/13/2026', '١٢/١٣/٢٠٢٦', '٣١/٠٢/٢٠٢٦', '28.11.2026', '28-11-2026', '28 11 2026',
  '14:30', '14h30', '00:99', '24:00', '23h59', '9',
  '482 913', '482-913', '482.913', '٤٨٢٩١٣', '000000', '999999', '1234567',
  '48 29 13 55 70', '4829-1355-70', '٤٨٢٩١٣٥٥٧٠', '0612345678', '9999999999', '12345678901',
  'menu', 'MENU', '/menu', '/start', 'back', 'retour', 'رجوع', 'القائمة', 'help', 'aide', 'language', 'langue', 'privacy', 'export', 'stop', 'resume', 'delete', 'effacer',
  'Amina', "O'Brien", 'Jean-Luc', 'Ngũgĩ', '+33 6 12 34 56 78', '06.12.34.56.78',
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
const controlChar = fc.integer({ min: 0, max: 0x9f }).filter((c) => c < 0x20 || c >= 0x7f).map((c) => String.fromCharCode(c));

/** A day, month and year typed in one go, in any digit script, separator and padding; many do not exist (31/02). */
export const typedDate = fc
  .record({
    day: fc.integer({ min: 0, max: 40 }),
    month: fc.integer({ min: 0, max: 14 }),
    year: fc.oneof(fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 0, max: 9999 })),
    pad: fc.boolean(),
    sep1: fc.constantFrom('/', '.', '-', ' ', ' / ', '/ ', '  ', '\t'),
    sep2: fc.constantFrom('/', '.', '-', ' ', ' / ', '.  '),
    zero: digitScript,
  })
  .map((d) => ({
    ...d,
    text: inDigitScript(
      `${d.pad ? String(d.day).padStart(2, '0') : d.day}${d.sep1}${d.pad ? String(d.month).padStart(2, '0') : d.month}${d.sep2}${String(d.year).padStart(4, '0')}`,
      d.zero,
    ),
  }));

/** A time of day as typed: 14:30, 14h30, 9, 14 h 30, many out of range. */
export const typedTime = fc
  .record({
    hours: fc.integer({ min: 0, max: 30 }),
    minutes: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    sep: fc.constantFrom(':', 'h', 'H', '.', ' h ', ' : '),
    zero: digitScript,
  })
  .map((t) => ({
    ...t,
    text: inDigitScript(`${t.hours}${t.minutes === undefined ? '' : `${t.sep}${String(t.minutes).padStart(2, '0')}`}`, t.zero),
  }));

/** A six-digit link code as read out over the phone, grouped or not, or a near miss (5 or 7 digits). */
export const typedCode = fc
  .record({
    // Around the ten digits of a real code, some starting with 0 (a phone number, never a code).
    digits: fc.stringMatching(/^\d{9,11}$/),
    sep: fc.constantFrom('', ' ', '-', '.', '  ', ' - ', '\t', '/'),
    zero: digitScript,
  })
  .map((c) => ({ ...c, text: inDigitScript(c.digits.replace(/(\d\d)(?=\d)/g, `$1${c.sep}`), c.zero) }));

/** Anything a person could type, and a good deal nobody would. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 60 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 60 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }), weight: 2 },
  { arbitrary: fc.array(fc.oneof(hostilePiece, loneSurrogate, controlChar), { maxLength: 14 }).map((p) => p.join('')), weight: 6 },
  { arbitrary: typedDate.map((d) => d.text), weight: 2 },
  { arbitrary: typedTime.map((t) => t.text), weight: 1 },
  { arbitrary: typedCode.map((c) => c.text), weight: 1 },
  { arbitrary: fc.integer({ min: -5, max: 100_000 }).map(String), weight: 1 },
  // Very long: pasted documents, a flood of one emoji, a wall of bidi controls.
  { arbitrary: fc.tuple(hostilePiece, fc.integer({ min: 400, max: 3000 })).map(([p, n]) => p.repeat(n)), weight: 1 },
);

/** Text with the odd leading/trailing whitespace or bidi mark a phone adds around what was meant. */
export const wrapped = (inner: fc.Arbitrary<string>): fc.Arbitrary<string> =>
  fc
    .tuple(fc.constantFrom('', ' ', '\u200f', '\u202b', '\ufeff', '\n', '\u00a0'), inner, fc.constantFrom('', ' ', '\u202c', '\u200e', '\n', '\t'))
    .map(([a, b, c]) => a + b + c);

// --- bytes -------------------------------------------------------------------

const enc = (s: string): number[] => [...Buffer.from(s, 'latin1')];
const be32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

export const SIGNATURES = {
  jpeg: [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...enc('JFIF')],
  png: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
  webp: [...enc('RIFF'), 0x24, 0, 0, 0, ...enc('WEBP'), ...enc('VP8 ')],
  heic: [...be32(24), ...enc('ftypheic'), 0, 0, 0, 0, ...enc('mif1heic')],
  pdf: enc('%PDF-1.7\n'),
  zip: [...enc('PK'), 3, 4, 20, 0],
  gif: enc('GIF89a'),
  exe: [...enc('MZ'), 0x90, 0],
  avif: [...be32(28), ...enc('ftypavif'), 0, 0, 0, 0, ...enc('avifmif1miaf')],
} as const;

export type SignatureName = keyof typeof SIGNATURES;

/** What sniffProofType must say of a file that starts with each signature (assuming nothing else matches first). */
export const SIGNATURE_TYPE: Record<SignatureName, string | null> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
  pdf: 'application/pdf',
  zip: null,
  gif: null,
  exe: null,
  avif: null,
};

const signatureName = fc.constantFrom(...(Object.keys(SIGNATURES) as SignatureName[]));

/** A file of a kind: a real signature and a random tail, a truncated signature, a PDF header after junk, a bare ftyp box, or noise. */
export type GeneratedFile =
  | { readonly kind: 'signed'; readonly signature: SignatureName; readonly bytes: Uint8Array }
  | { readonly kind: 'truncated'; readonly signature: SignatureName; readonly bytes: Uint8Array }
  | { readonly kind: 'pdf-after'; readonly offset: number; readonly bytes: Uint8Array }
  | { readonly kind: 'ftyp'; readonly bytes: Uint8Array }
  | { readonly kind: 'mutated'; readonly signature: SignatureName; readonly bytes: Uint8Array }
  | { readonly kind: 'noise'; readonly bytes: Uint8Array };

/** Shortest prefix of each accepted signature that sniffProofType recognises (shorter: unknown). */
export const SIGNATURE_MIN_LENGTH: Partial<Record<SignatureName, number>> = { jpeg: 3, png: 8, webp: 12, heic: 12, pdf: 6 };

export const generatedFile = (maxTail = 512): fc.Arbitrary<GeneratedFile> =>
  fc.oneof(
    { arbitrary: fc.tuple(signatureName, fc.uint8Array({ maxLength: maxTail })).map(([signature, tail]): GeneratedFile => ({ kind: 'signed', signature, bytes: new Uint8Array([...SIGNATURES[signature], ...tail]) })), weight: 5 },
    {
      arbitrary: signatureName.chain((signature) =>
        fc.integer({ min: 0, max: SIGNATURES[signature].length - 1 }).map((cut): GeneratedFile => ({ kind: 'truncated', signature, bytes: new Uint8Array(SIGNATURES[signature].slice(0, cut)) })),
      ),
      weight: 2,
    },
    {
      // Junk readers skip before "%PDF-": bytes that cannot start any other signature.
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 1100 }), fc.constantFrom(0x20, 0x0a, 0x0d, 0x00), fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 64 }))
        .map(([offset, filler, version, tail]): GeneratedFile => ({ kind: 'pdf-after', offset, bytes: new Uint8Array([...new Array<number>(offset).fill(filler), ...enc(`%PDF-${version}`), ...tail]) })),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(
          fc.oneof(fc.constantFrom(0, 1, 8, 15, 16, 20, 24, 0xffffffff), fc.nat()),
          fc.array(fc.constantFrom('heic', 'heix', 'hevc', 'mif1', 'msf1', 'avif', 'avis', 'isom', 'mp42', 'qt  ', 'miaf', '\0\0\0\0'), { minLength: 1, maxLength: 6 }),
          fc.uint8Array({ maxLength: 32 }),
        )
        .map(([size, brands, tail]): GeneratedFile => ({ kind: 'ftyp', bytes: new Uint8Array([...be32(size), ...enc('ftyp'), ...enc(brands[0]!), 0, 0, 0, 0, ...brands.slice(1).flatMap(enc), ...tail]) })),
      weight: 2,
    },
    {
      // One byte of a real signature flipped.
      arbitrary: signatureName.chain((signature) =>
        fc
          .tuple(fc.nat({ max: SIGNATURES[signature].length - 1 }), fc.integer({ min: 1, max: 255 }), fc.uint8Array({ maxLength: 64 }))
          .map(([at, flip, tail]): GeneratedFile => {
            const bytes = new Uint8Array([...SIGNATURES[signature], ...tail]);
            bytes[at] = bytes[at]! ^ flip;
            return { kind: 'mutated', signature, bytes };
          }),
      ),
      weight: 2,
    },
    { arbitrary: fc.constant<GeneratedFile>({ kind: 'noise', bytes: new Uint8Array(0) }), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: maxTail + 16 }).map((bytes): GeneratedFile => ({ kind: 'noise', bytes })), weight: 3 },
  );

// --- odd values ----------------------------------------------------------------

/** Values of the wrong type for any field: what a broken client, a proxy or a JSON round trip may leave. */
export const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, undefined, NaN, Infinity, -Infinity, -0, -1, 0, 2 ** 53 + 2, Number.MIN_SAFE_INTEGER, 1e308, '', ' ', '0', '-1', 'NaN', 'private', true, false, [], {}, [[]], [null], { length: 3 }),
  fc.anything({ maxDepth: 2, withBigInt: true, withDate: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withObjectString: true }),
);

/** Either a well-typed value or, sometimes, a value of the wrong type. */
export const orOdd = <T>(arb: fc.Arbitrary<T>, oddWeight = 1): fc.Arbitrary<T | unknown> =>
  fc.oneof({ arbitrary: arb, weight: 3 }, { arbitrary: oddValue, weight: oddWeight });

/** Announced file sizes: honest, negative, fractional, not a number, beyond 2^53. */
export const announcedSize = fc.oneof(
  fc.integer({ min: 0, max: 4096 }),
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.integer({ min: 0, max: 100 * 1024 * 1024 }),
  fc.double({ min: -1e12, max: 1e12 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, Number.MAX_VALUE, 1024, 1025),
);

export const mimeType = fc.oneof(
  fc.constantFrom('image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif', 'application/pdf', 'image/gif', 'application/zip', 'application/octet-stream', 'video/mp4', 'audio/ogg; codecs=opus', 'IMAGE/JPEG', 'image/jpeg ', '', 'application/x-msdownload', 'text/plain'),
  fc.string({ maxLength: 20 }),
);

// --- Telegram ------------------------------------------------------------------

/** Sizes a JSON body can carry (no NaN or Infinity): negative, fractional and huge ones included. */
const jsonSize = announcedSize.filter((n) => Number.isFinite(n));
const tgText = fc.oneof(hostileText, fc.constantFrom('/start', '/start payload', '/start@GuichetBot', '/startx', '/Start', ' /start', '/start\n1', '/menu'));
const fileId = fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constant(''));
const photoSize = fc.record(
  { file_id: fileId, file_unique_id: fileId, width: fc.integer({ min: 0, max: 5000 }), height: fc.integer({ min: 0, max: 5000 }), file_size: jsonSize },
  { requiredKeys: ['file_id', 'file_unique_id', 'width', 'height'] },
);
const tgDocument = fc.record(
  { file_id: fileId, file_unique_id: fileId, file_name: hostileText, mime_type: mimeType, file_size: jsonSize },
  { requiredKeys: ['file_id', 'file_unique_id'] },
);
const chatId = fc.oneof(fc.integer(), fc.integer({ min: -1_000_000_000_000, max: 1_000_000_000_000 }), fc.constantFrom(0, -1, 2 ** 53 - 1, -(2 ** 53) + 1));
const chatType = fc.constantFrom('private', 'group', 'supergroup', 'channel');
const languageCode = fc.oneof(fc.constantFrom('fr', 'en', 'ar', 'bn', 'pt', 'pt-br', 'EN', 'zh-hans', 'x', ''), fc.string({ maxLength: 8 }));
const tgUser = fc.record({ id: fc.integer(), is_bot: fc.boolean(), first_name: hostileText, language_code: languageCode }, { requiredKeys: ['id', 'is_bot', 'first_name'] });

/** A Telegram message as the Bot API types it (JSON), with every optional part present or not and odd but legal values. */
export const telegramMessage = fc.record(
  {
    message_id: fc.integer(),
    date: fc.integer(),
    chat: fc.record({ id: chatId, type: chatType }),
    from: tgUser,
    text: tgText,
    caption: hostileText,
    photo: fc.array(photoSize, { maxLength: 4 }),
    document: tgDocument,
    sticker: fc.record({ file_id: fileId, emoji: fc.constant('😀') }),
    voice: fc.record({ file_id: fileId, duration: fc.nat(), mime_type: fc.constant('audio/ogg'), file_size: jsonSize }),
    location: fc.record({ latitude: fc.double({ noNaN: true, noDefaultInfinity: true }), longitude: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
    contact: fc.record({ phone_number: fc.string(), first_name: fc.string() }),
  },
  { requiredKeys: ['message_id', 'date', 'chat'] },
);

/** The same message with wrong types anywhere: the envelope, the chat, each photo size, the document; or missing parts. */
export const malformedTelegramMessage: fc.Arbitrary<unknown> = fc.record(
  {
    message_id: orOdd(fc.integer()),
    date: orOdd(fc.integer()),
    chat: orOdd(fc.record({ id: orOdd(chatId), type: orOdd(chatType) }, { requiredKeys: [] }), 1),
    text: orOdd(tgText),
    photo: orOdd(fc.array(orOdd(fc.record({ file_id: orOdd(fileId), file_size: orOdd(announcedSize) }, { requiredKeys: [] })), { maxLength: 4 })),
    document: orOdd(fc.record({ file_id: orOdd(fileId), file_name: orOdd(hostileText), mime_type: orOdd(mimeType), file_size: orOdd(announcedSize) }, { requiredKeys: [] })),
    sticker: oddValue,
    caption: orOdd(hostileText),
  },
  { requiredKeys: [] },
);

/** What the channel passes along with a message: the update id and the sender's app language. */
export const telegramBase = fc.record({
  updateId: fc.oneof(fc.nat(), fc.integer(), fc.constantFrom(0, 2 ** 53 - 1)),
  languageCode: fc.option(languageCode, { nil: undefined }),
});

export const malformedTelegramBase: fc.Arbitrary<unknown> = fc.record({ updateId: orOdd(fc.nat()), languageCode: orOdd(fc.option(languageCode, { nil: undefined })) });

const callbackData = fc.oneof(
  fc.tuple(fc.stringMatching(/^[0-9a-z]{1,16}$/), fc.integer({ min: 0, max: 999 })).map(([t, o]) => `${t}:${o}`),
  fc.tuple(fc.string({ maxLength: 20 }), fc.integer()).map(([t, o]) => `${t}:${o}`),
  hostileText,
  fc.constantFrom('', ':', 'a:', ':1', 'a:1:2', 'a:1000', 'A:1', 'a:-1', 'a:1\n', 'abcdefghijklmnopq:1', 'a:\u0661', 'a:0001'),
);

/** A callback query (a button tap) as the Bot API types it; the message may be missing (too old) or inaccessible (date 0). */
export const telegramCallback = fc.record(
  {
    id: fc.string(),
    from: tgUser,
    chat_instance: fc.string(),
    data: callbackData,
    message: fc.record({ message_id: fc.integer(), date: fc.oneof(fc.constant(0), fc.integer()), chat: fc.record({ id: chatId, type: chatType }) }),
  },
  { requiredKeys: ['id', 'from', 'chat_instance'] },
);

export const malformedTelegramCallback: fc.Arbitrary<unknown> = fc.record(
  {
    id: orOdd(fc.string()),
    data: orOdd(callbackData),
    message: orOdd(fc.record({ chat: orOdd(fc.record({ id: orOdd(chatId), type: orOdd(chatType) }, { requiredKeys: [] })) }, { requiredKeys: [] })),
  },
  { requiredKeys: [] },
);

// --- WhatsApp (Baileys) -----------------------------------------------------------

/** The wrappers Baileys' normalizeMessageContent unwraps (five levels at most). */
export const WRAPPERS = [
  'ephemeralMessage',
  'viewOnceMessage',
  'viewOnceMessageV2',
  'viewOnceMessageV2Extension',
  'documentWithCaptionMessage',
  'editedMessage',
  'associatedChildMessage',
  'groupStatusMessage',
  'groupStatusMessageV2',
] as const;

/** WAProto types nearly every field as `T | null`. */
const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.oneof({ arbitrary: arb, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 });

/** A protobuf Long as Baileys hands it over (with toNumber). */
const long = fc
  .record({ low: fc.integer(), high: fc.integer({ min: -2, max: 2 }), unsigned: fc.boolean() })
  .map((l) => ({ ...l, toNumber: () => l.high * 2 ** 32 + (l.low >>> 0) }));

/** fileLength as WAProto types it (number | Long | null), and as it comes back from a JSON round trip (a string, or a Long without methods). */
const typedFileLength: fc.Arbitrary<unknown> = fc.oneof(
  announcedSize,
  long,
  fc.constant(null),
  fc.integer({ min: -10, max: 10 * 1024 * 1024 }).map(String),
  fc.constantFrom('', '12abc', '1e3', '0x10', '-5', 'NaN', 'Infinity'),
  fc.record({ low: fc.integer(), high: fc.integer(), unsigned: fc.boolean() }),
);

/** Anything else in fileLength: Longs whose toNumber throws or gives junk, bigints, any value. */
const oddFileLength: fc.Arbitrary<unknown> = fc.oneof(
  typedFileLength,
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.constant({ low: 1, high: 0, unsigned: true, toNumber: () => { throw new Error('boom'); } }),
  fc.constant({ toNumber: () => Symbol('x') }),
  fc.constant({ toNumber: () => 'a lot' }),
  fc.constant({ toNumber: 5 }),
  oddValue,
);

const jid = fc.oneof(
  fc.constantFrom('33612345678@s.whatsapp.net', '185672634982011@lid', 'status@broadcast', '120363025246125486@g.us', '120363025246125999@newsletter', '1234@broadcast', '', 'x', '@s.whatsapp.net', '33612345678:12@s.whatsapp.net'),
  fc.string({ maxLength: 30 }),
);

const MEDIA_TYPES = ['imageMessage', 'documentMessage', 'videoMessage', 'audioMessage', 'stickerMessage', 'ptvMessage'] as const;

/** One message content: text, every media type with odd sizes, reactions and protocol traffic. `odd` puts values of any type anywhere. */
function innerContent(odd: boolean): fc.Arbitrary<unknown> {
  const str = (arb: fc.Arbitrary<string>) => (odd ? fc.oneof(nullable(arb), oddValue) : nullable(arb));
  const obj = <T>(arb: fc.Arbitrary<T>) => (odd ? fc.oneof(nullable(arb), oddValue) : nullable(arb));
  const media = fc.record(
    {
      mimetype: str(mimeType),
      fileLength: odd ? oddFileLength : typedFileLength,
      fileName: str(hostileText),
      url: fc.constant('https://mmg.whatsapp.net/x'),
      mediaKey: fc.uint8Array({ maxLength: 8 }),
      caption: str(hostileText),
      viewOnce: fc.boolean(),
      ptt: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    { arbitrary: fc.record({ conversation: str(hostileText) }), weight: 4 },
    { arbitrary: fc.record({ extendedTextMessage: obj(fc.record({ text: str(hostileText), contextInfo: fc.constant({}) }, { requiredKeys: [] })) }), weight: 3 },
    { arbitrary: fc.tuple(fc.constantFrom(...MEDIA_TYPES), obj(media)).map(([k, v]) => ({ [k]: v })), weight: 6 },
    {
      arbitrary: fc.constantFrom(
        { reactionMessage: { text: '👍' } },
        { protocolMessage: { type: 0 } },
        { senderKeyDistributionMessage: { groupId: 'x' } },
        { senderKeyDistributionMessage: { groupId: 'x' }, conversation: 'hello' },
        { locationMessage: { degreesLatitude: 1 } },
        { contactMessage: { displayName: 'x' } },
        { pollCreationMessage: { name: 'x' } },
        { messageContextInfo: {}, conversation: 'after context' },
        { messageContextInfo: {} },
        { conversation: null, imageMessage: { mimetype: 'image/png', fileLength: 10 } },
        {},
      ),
      weight: 2,
    },
    ...(odd ? [{ arbitrary: fc.object({ maxDepth: 2 }) as fc.Arbitrary<unknown>, weight: 1 }, { arbitrary: oddValue, weight: 1 }] : []),
  );
}

/** Content inside 0 to 8 wrappers (ephemeral, view-once, edited…: Baileys unwraps five), sometimes with the inner message missing or null. */
function content(odd: boolean): fc.Arbitrary<unknown> {
  return fc
    .tuple(fc.array(fc.constantFrom(...WRAPPERS), { maxLength: 8 }), innerContent(odd), fc.constantFrom('ok', 'ok', 'ok', 'ok', 'no-message', 'null-message', 'odd-message'), odd ? oddValue : fc.constant(null))
    .map(([wrappers, inner, how, junk]) =>
      wrappers.reduceRight<unknown>((acc, w, i) => {
        if (i === 0 && how === 'no-message') return { [w]: {} };
        if (i === 0 && how === 'null-message') return { [w]: { message: null } };
        if (i === 0 && how === 'odd-message') return { [w]: { message: junk } };
        return { [w]: { message: acc } };
      }, inner),
    );
}

/** A messages.upsert item as Baileys 7 types it (WAProto: fields may be null), with odd but well-typed values. */
export const whatsappMessage = fc.record(
  {
    key: fc.record({ remoteJid: nullable(jid), fromMe: nullable(fc.boolean()), id: nullable(fc.string({ minLength: 1, maxLength: 24 })), remoteJidAlt: jid, participant: nullable(jid) }, { requiredKeys: ['remoteJid', 'id'] }),
    message: nullable(content(false)),
    messageTimestamp: fc.oneof(fc.nat(), long),
    pushName: nullable(hostileText),
    messageStubType: fc.nat({ max: 200 }),
  },
  { requiredKeys: ['key'] },
);

/** The same with wrong types in the key and anywhere in the content, Longs that throw, or no key at all. */
export const malformedWhatsappMessage: fc.Arbitrary<unknown> = fc.record(
  {
    key: orOdd(fc.record({ remoteJid: orOdd(jid), fromMe: orOdd(fc.boolean()), id: orOdd(fc.string({ minLength: 1 })), remoteJidAlt: orOdd(jid) }, { requiredKeys: [] })),
    message: orOdd(content(true)),
  },
  { requiredKeys: [] },
);

// --- any value inside a plausible shape ----------------------------------------------

const anything = fc.anything({ maxDepth: 3, withBigInt: true, withDate: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true });

/** Any value at all, or the keys the Telegram normalizers read holding any value at all. */
export const anyTelegramMessage: fc.Arbitrary<unknown> = fc.oneof(
  anything,
  fc.record(
    {
      chat: fc.record({ id: anything, type: fc.oneof(fc.constant('private'), anything) }, { requiredKeys: [] }),
      text: anything,
      photo: fc.oneof(anything, fc.array(anything, { maxLength: 3 })),
      document: fc.oneof(anything, fc.record({ file_id: anything, mime_type: anything, file_name: anything, file_size: anything }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  ),
);

export const anyTelegramCallback: fc.Arbitrary<unknown> = fc.oneof(
  anything,
  fc.record({ data: fc.oneof(callbackData, anything), message: fc.oneof(anything, fc.record({ chat: fc.oneof(anything, fc.record({ id: anything, type: fc.oneof(fc.constant('private'), anything) }, { requiredKeys: [] })) }, { requiredKeys: [] })) }, { requiredKeys: [] }),
);

export const anyTelegramBase: fc.Arbitrary<unknown> = fc.oneof(telegramBase, fc.record({ updateId: anything, languageCode: anything }));

/** Any value at all, or the keys the WhatsApp normalizer reads (inside random wrappers) holding any value at all. */
export const anyWhatsappMessage: fc.Arbitrary<unknown> = fc.oneof(
  anything,
  fc.record(
    {
      key: fc.oneof(anything, fc.record({ remoteJid: fc.oneof(jid, anything), fromMe: anything, id: anything, remoteJidAlt: anything }, { requiredKeys: [] })),
      message: fc
        .tuple(fc.array(fc.constantFrom(...WRAPPERS), { maxLength: 6 }), fc.constantFrom('conversation', 'extendedTextMessage', ...MEDIA_TYPES, 'reactionMessage', 'protocolMessage'), anything)
        .map(([wrappers, type, value]) => wrappers.reduceRight<unknown>((acc, w) => ({ [w]: { message: acc } }), { [type]: value })),
    },
    { requiredKeys: [] },
  ),
);
