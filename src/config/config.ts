import { resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseWeeklyHours, type WeeklyHours } from '../helpdesk/opening-hours.js';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every setting Guichet reads from the environment. No other module reads
 * `process.env`; the parsed object is passed to whoever needs it.
 */
const schema = z.object({
  DATA_DIR: z.string().min(1).default('./data').describe('a folder path'),
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'expected a MongoDB connection string starting with mongodb:// or mongodb+srv://')
    .optional(),
  CHAT_USER: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'expected 1 to 64 letters, digits, dots, dashes or underscores')
    // "." or ".." would name DATA_DIR/documents itself or DATA_DIR, which erasing the chat would delete.
    .refine((name) => !/^\.+$/.test(name), 'expected a name, not only dots')
    .default('local'),
  TIME_ZONE: z.string().refine(isTimeZone, 'expected an IANA time zone such as Europe/Paris').default('Europe/Paris'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  ADDRESS_API_URL: z
    .union([z.literal('none'), z.url({ protocol: /^https?$/, error: 'expected an http(s) URL or "none"' })])
    .default('https://data.geopf.fr/geocodage'),
  ADDRESS_API_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(100, 'expected at least 100 ms')
    .max(30_000, 'expected at most 30000 ms')
    .default(2000),
  TELEGRAM_BOT_TOKEN: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'expected a bot token from BotFather, like 123456:ABC-…').optional(),
  TELEGRAM_API_ROOT: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).default('https://api.telegram.org'),
  TELEGRAM_WEBHOOK_URL: z.url({ protocol: /^https$/, error: 'expected an https URL that Telegram can reach' }).optional(),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'expected 16 to 256 letters, digits, "_" or "-"')
    .optional(),
  TELEGRAM_WEBHOOK_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .default(8443),
  WHATSAPP_ENABLED: z.enum(['true', 'false'], { error: 'expected true or false' }).default('false'),
  WHATSAPP_PAIRING_NUMBER: z
    .string()
    .regex(/^\d{8,15}$/, 'expected the phone number in digits only, country code first, no + (e.g. 33612345678)')
    .optional(),
  WHATSAPP_NUDGE_INTERVAL_MS: z.coerce
    .number({ error: 'expected a number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(1000, 'expected at least 1000: faster risks a ban of the number')
    .default(1500),
  WHATSAPP_NUDGE_DAILY_CAP: z.coerce.number({ error: 'expected a number' }).int('expected a whole number').min(1, 'expected at least 1').default(200),
  MAX_ATTACHMENT_MB: z.coerce
    .number({ error: 'expected a number of megabytes' })
    .positive('expected more than 0')
    .max(20, 'expected at most 20: Telegram bots cannot download more')
    .default(10),
  VAULT_MAX_FILES_PER_CASE: z.coerce.number({ error: 'expected a number of files' }).int('expected a whole number').min(1, 'expected at least 1').default(200),
  VAULT_MAX_MB_PER_CASE: z.coerce.number({ error: 'expected a number of megabytes' }).positive('expected more than 0').default(500),
  VAULT_MAX_FILES_PER_DAY: z.coerce.number({ error: 'expected a number of files' }).int('expected a whole number').min(1, 'expected at least 1').default(50),
  VAULT_MAX_MB_PER_DAY: z.coerce.number({ error: 'expected a number of megabytes' }).positive('expected more than 0').default(200),
  VAULT_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'expected 32 bytes as 64 hex characters or base64 (e.g. from: openssl rand -hex 32)')
    .optional(),
  CASE_RETENTION_MONTHS: z.coerce
    .number({ error: 'expected a number of months' })
    .int('expected a whole number of months')
    .min(2, 'expected at least 2: the notice goes out 30 days before')
    .max(120, 'expected at most 120')
    .default(24),
  QUIET_HOURS: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM-HH:MM, for example 21:00-09:00')
    .default('21:00-09:00'),
  HEALTH_HOST: z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'expected an IP address to listen on, such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  HEALTH_PORT: z.coerce
    .number({ error: 'expected a port number' })
    .int('expected a whole port number')
    .min(1, 'expected a port between 1 and 65535')
    .max(65535, 'expected a port between 1 and 65535')
    .optional(),
  HELPDESK: z.enum(['none', 'chatwoot', 'telegram-group'], { error: 'expected none, chatwoot or telegram-group' }).default('none'),
  HELPDESK_TELEGRAM_CHAT_ID: z.string().regex(/^-100\d{5,15}$/, 'expected the supergroup id, such as -1001234567890').optional(),
  HELPDESK_ORGANISATION: z.string().min(2, 'expected the name of the organisation whose volunteers read').max(80, 'expected at most 80 characters').optional(),
  HELPDESK_HOURS: z
    .string()
    .refine((text) => typeof parseWeeklyHours(text) !== 'string', 'expected days and hours, for example "mon-fri 09:00-17:00" or "mon-thu 09:00-12:30,14:00-17:00; fri 09:00-12:00"')
    .default('mon-fri 09:00-17:00'),
  HELPDESK_FIRST_RESPONSE_MINUTES: z.coerce.number({ error: 'expected a number of minutes' }).int('expected a whole number').min(5, 'expected at least 5').max(2880, 'expected at most 2880').default(60),
  HELPDESK_RETENTION_DAYS: z.coerce.number({ error: 'expected a number of days' }).int('expected a whole number').min(7, 'expected at least 7: a closed conversation can be continued for a week').max(3650, 'expected at most 3650').default(90),
  HELPDESK_HOST: z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'expected an IP address to listen on, such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  HELPDESK_PORT: z.coerce.number({ error: 'expected a port number' }).int('expected a whole port number').min(1, 'expected a port between 1 and 65535').max(65535, 'expected a port between 1 and 65535').default(8090),
  CHATWOOT_URL: z.url({ protocol: /^https?$/, error: 'expected the http(s) address of the Chatwoot installation' }).optional(),
  CHATWOOT_ACCOUNT_ID: z.string().regex(/^\d{1,12}$/, 'expected the account number, as in /app/accounts/3/…').optional(),
  CHATWOOT_API_TOKEN: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'expected an access token from Chatwoot (Profile settings, or an agent bot)').optional(),
  CHATWOOT_INBOX_IDENTIFIER: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'expected the API inbox identifier from the inbox settings').optional(),
  CHATWOOT_WEBHOOK_SECRET: z.string().min(16, 'expected the webhook secret Chatwoot shows, at least 16 characters').max(256, 'expected at most 256 characters').optional(),
  KANNEL_SENDSMS_URL: z.url({ protocol: /^https?$/, error: "expected the address of Kannel's sendsms interface, such as http://127.0.0.1:13013/cgi-bin/sendsms" }).optional(),
  KANNEL_USERNAME: z.string().min(1).max(128).optional(),
  KANNEL_PASSWORD: z.string().min(1).max(128).optional(),
  SMS_FROM: z.string().regex(/^\+?[0-9]{3,15}$|^[A-Za-z0-9 ]{1,11}$/, 'expected the SIM or SMPP number (digits, + allowed) or a sender name of at most 11 letters and digits').optional(),
  SMS_RECEIVE_HOST: z.string().regex(/^[0-9a-fA-F.:]+$|^localhost$/, 'expected an IP address to listen on, such as 127.0.0.1 or 0.0.0.0').default('127.0.0.1'),
  SMS_RECEIVE_PORT: z.coerce.number({ error: 'expected a port number' }).int('expected a whole port number').min(1, 'expected a port between 1 and 65535').max(65535, 'expected a port between 1 and 65535').default(8091),
  SMS_RECEIVE_SECRET: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/, 'expected 16 to 128 letters, digits, dashes or underscores').optional(),
  SMS_DLR_BASE_URL: z.url({ protocol: /^https?$/, error: 'expected the http(s) address at which Kannel reaches Guichet, such as http://127.0.0.1:8091' }).optional(),
  SMS_MAX_PARTS: z.coerce.number({ error: 'expected a number of parts' }).int('expected a whole number').min(1, 'expected at least 1').max(10, 'expected at most 10').default(3),
  SMS_DAILY_PARTS_PER_PERSON: z.coerce.number({ error: 'expected a number of parts' }).int('expected a whole number').min(5, 'expected at least 5').max(1000, 'expected at most 1000').default(40),
}).superRefine((c, ctx) => {
  if (c.KANNEL_SENDSMS_URL) {
    for (const name of ['KANNEL_USERNAME', 'KANNEL_PASSWORD', 'SMS_FROM', 'SMS_RECEIVE_SECRET'] as const) {
      if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when KANNEL_SENDSMS_URL is set' });
    }
  }
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_WEBHOOK_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'required when TELEGRAM_WEBHOOK_URL is set' });
  }
  if (c.TELEGRAM_WEBHOOK_URL && !c.TELEGRAM_BOT_TOKEN) {
    ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'required when TELEGRAM_WEBHOOK_URL is set' });
  }
  if (c.HELPDESK !== 'none' && !c.HELPDESK_ORGANISATION) {
    ctx.addIssue({ code: 'custom', path: ['HELPDESK_ORGANISATION'], message: 'required when HELPDESK is set: people are told whose volunteers will read' });
  }
  if (c.HELPDESK === 'telegram-group') {
    if (!c.HELPDESK_TELEGRAM_CHAT_ID) ctx.addIssue({ code: 'custom', path: ['HELPDESK_TELEGRAM_CHAT_ID'], message: 'required when HELPDESK is telegram-group' });
    if (!c.TELEGRAM_BOT_TOKEN) ctx.addIssue({ code: 'custom', path: ['TELEGRAM_BOT_TOKEN'], message: 'required when HELPDESK is telegram-group: the bot reads and writes the group' });
  }
  if (c.HELPDESK === 'chatwoot') {
    for (const name of ['CHATWOOT_URL', 'CHATWOOT_ACCOUNT_ID', 'CHATWOOT_API_TOKEN', 'CHATWOOT_INBOX_IDENTIFIER', 'CHATWOOT_WEBHOOK_SECRET'] as const) {
      if (!c[name]) ctx.addIssue({ code: 'custom', path: [name], message: 'required when HELPDESK is chatwoot' });
    }
  }
});

export type HelpdeskConfig = HelpdeskCommon &
  (
    | { readonly kind: 'chatwoot'; readonly chatwoot: { readonly url: string; readonly accountId: string; readonly apiToken: string; readonly inboxIdentifier: string; readonly webhookSecret: string } }
    | { readonly kind: 'telegram-group'; readonly telegramGroup: { readonly chatId: number } }
  );

interface HelpdeskCommon {
  /** Whose volunteers read: named to the person before they agree. */
  readonly organisation: string;
  readonly hours: WeeklyHours;
  readonly firstResponseMs: number;
  readonly retentionDays: number;
  /** Where Chatwoot's webhooks arrive (POST /helpdesk/chatwoot). */
  readonly host: string;
  readonly port: number;
}

export interface TelegramConfig {
  readonly token: string;
  readonly apiRoot: string;
  readonly webhook: { readonly url: string; readonly secret: string; readonly port: number } | undefined;
}

export interface Config {
  readonly dataDir: string;
  readonly mongodbUri: string | undefined;
  readonly chatUser: string;
  readonly timeZone: string;
  readonly logLevel: z.infer<typeof schema>['LOG_LEVEL'];
  readonly logFormat: z.infer<typeof schema>['LOG_FORMAT'];
  readonly healthPort: number | undefined;
  /** Address the health server listens on: this machine only, unless set otherwise. */
  readonly healthHost: string;
  /** National address service for town names; undefined when disabled ("none"). */
  readonly addressApiUrl: string | undefined;
  readonly addressApiTimeoutMs: number;
  readonly whatsapp: { readonly pairingNumber: string | undefined; readonly nudgeIntervalMs: number; readonly nudgeDailyCap: number } | undefined;
  /** Telegram channel, when a bot token is set. */
  readonly telegram: TelegramConfig | undefined;
  readonly maxAttachmentBytes: number;
  /** How much proof one case may hold, and one person may send in a day. */
  readonly vaultQuota: { readonly filesPerCase: number; readonly bytesPerCase: number; readonly filesPerDay: number; readonly bytesPerDay: number };
  /** The vault's key when given in the environment; otherwise one is kept in DATA_DIR. Secret: never logged. */
  readonly vaultKey: string | undefined;
  /** A case nobody has used for this many months is erased, after a notice 30 days before. */
  readonly caseRetentionMonths: number;
  /** No reminder is sent between these times (minutes since midnight, local); may wrap past midnight. */
  readonly quietHours: { readonly from: number; readonly to: number };
  /** The volunteers' helpdesk, when one is configured. Secrets inside: never logged. */
  readonly helpdesk: HelpdeskConfig | undefined;
  /** SMS through Kannel, when KANNEL_SENDSMS_URL is set. Secrets inside: never logged. */
  readonly sms: SmsConfig | undefined;
}

export interface SmsConfig {
  readonly sendsmsUrl: string;
  readonly username: string;
  readonly password: string;
  readonly from: string;
  readonly receiveHost: string;
  readonly receivePort: number;
  readonly receiveSecret: string;
  /** Where Kannel posts delivery reports (this process's receiver, as Kannel reaches it). */
  readonly dlrBaseUrl: string;
  readonly maxParts: number;
  readonly dailyPartsPerPerson: number;
}

function parseQuietHours(text: string): { from: number; to: number } {
  const [from, to] = text.split('-').map((hhmm) => {
    const [h, m] = hhmm.split(':').map(Number) as [number, number];
    return h * 60 + m;
  }) as [number, number];
  return { from, to };
}

/** Names of every variable, for the README check and for `.env.example`. */
export const CONFIG_VARIABLES = Object.keys(schema.shape);

/**
 * Parse the environment once. Empty values count as unset, as they do in most
 * `.env` files. A wrong value throws a ConfigError naming each variable and
 * what is expected — never echoing the value, which may be a secret.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const relevant: Record<string, string> = {};
  for (const name of CONFIG_VARIABLES) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') relevant[name] = value.trim();
  }
  const parsed = schema.safeParse(relevant);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`));
  }
  const c = parsed.data;
  return {
    dataDir: resolve(c.DATA_DIR),
    mongodbUri: c.MONGODB_URI,
    chatUser: c.CHAT_USER,
    timeZone: c.TIME_ZONE,
    logLevel: c.LOG_LEVEL,
    logFormat: c.LOG_FORMAT,
    healthPort: c.HEALTH_PORT,
    healthHost: c.HEALTH_HOST,
    addressApiUrl: c.ADDRESS_API_URL === 'none' ? undefined : c.ADDRESS_API_URL.replace(/\/+$/, ''),
    addressApiTimeoutMs: c.ADDRESS_API_TIMEOUT_MS,
    telegram: c.TELEGRAM_BOT_TOKEN
      ? {
          token: c.TELEGRAM_BOT_TOKEN,
          apiRoot: c.TELEGRAM_API_ROOT.replace(/\/+$/, ''),
          webhook: c.TELEGRAM_WEBHOOK_URL ? { url: c.TELEGRAM_WEBHOOK_URL, secret: c.TELEGRAM_WEBHOOK_SECRET!, port: c.TELEGRAM_WEBHOOK_PORT } : undefined,
        }
      : undefined,
    maxAttachmentBytes: Math.floor(c.MAX_ATTACHMENT_MB * 1024 * 1024),
    vaultQuota: {
      filesPerCase: c.VAULT_MAX_FILES_PER_CASE,
      bytesPerCase: Math.floor(c.VAULT_MAX_MB_PER_CASE * 1024 * 1024),
      filesPerDay: c.VAULT_MAX_FILES_PER_DAY,
      bytesPerDay: Math.floor(c.VAULT_MAX_MB_PER_DAY * 1024 * 1024),
    },
    quietHours: parseQuietHours(c.QUIET_HOURS),
    vaultKey: c.VAULT_KEY,
    caseRetentionMonths: c.CASE_RETENTION_MONTHS,
    helpdesk: helpdeskOf(c),
    sms: c.KANNEL_SENDSMS_URL
      ? {
          sendsmsUrl: c.KANNEL_SENDSMS_URL,
          username: c.KANNEL_USERNAME!,
          password: c.KANNEL_PASSWORD!,
          from: c.SMS_FROM!,
          receiveHost: c.SMS_RECEIVE_HOST,
          receivePort: c.SMS_RECEIVE_PORT,
          receiveSecret: c.SMS_RECEIVE_SECRET!,
          dlrBaseUrl: (c.SMS_DLR_BASE_URL ?? `http://127.0.0.1:${c.SMS_RECEIVE_PORT}`).replace(/\/+$/, ''),
          maxParts: c.SMS_MAX_PARTS,
          dailyPartsPerPerson: c.SMS_DAILY_PARTS_PER_PERSON,
        }
      : undefined,
    whatsapp:
      c.WHATSAPP_ENABLED === 'true'
        ? { pairingNumber: c.WHATSAPP_PAIRING_NUMBER, nudgeIntervalMs: c.WHATSAPP_NUDGE_INTERVAL_MS, nudgeDailyCap: c.WHATSAPP_NUDGE_DAILY_CAP }
        : undefined,
  };
}

function helpdeskOf(c: z.infer<typeof schema>): HelpdeskConfig | undefined {
  if (c.HELPDESK === 'none') return undefined;
  const common: HelpdeskCommon = {
    organisation: c.HELPDESK_ORGANISATION!,
    hours: parseWeeklyHours(c.HELPDESK_HOURS) as WeeklyHours,
    firstResponseMs: c.HELPDESK_FIRST_RESPONSE_MINUTES * 60_000,
    retentionDays: c.HELPDESK_RETENTION_DAYS,
    host: c.HELPDESK_HOST,
    port: c.HELPDESK_PORT,
  };
  if (c.HELPDESK === 'telegram-group') return { ...common, kind: 'telegram-group', telegramGroup: { chatId: Number(c.HELPDESK_TELEGRAM_CHAT_ID) } };
  return {
    ...common,
    kind: 'chatwoot',
    chatwoot: {
      url: c.CHATWOOT_URL!.replace(/\/+$/, ''),
      accountId: c.CHATWOOT_ACCOUNT_ID!,
      apiToken: c.CHATWOOT_API_TOKEN!,
      inboxIdentifier: c.CHATWOOT_INBOX_IDENTIFIER!,
      webhookSecret: c.CHATWOOT_WEBHOOK_SECRET!,
    },
  };
}
