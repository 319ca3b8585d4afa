import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { loadConfig } from '../../src/config/config.js';
import { ConfigError } from '../../src/errors.js';

describe('configuration', () => {
  it('has working defaults for a fresh clone', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      dataDir: resolve('./data'),
      mongodbUri: undefined,
      chatUser: 'local',
      timeZone: 'Europe/Paris',
      logLevel: 'info',
      logFormat: 'auto',
      healthPort: undefined,
      healthHost: '127.0.0.1',
      addressApiUrl: 'https://data.geopf.fr/geocodage',
      addressApiTimeoutMs: 2000,
      telegram: undefined,
      maxAttachmentBytes: 10 * 1024 * 1024,
      vaultQuota: { filesPerCase: 200, bytesPerCase: 500 * 1024 * 1024, filesPerDay: 50, bytesPerDay: 200 * 1024 * 1024 },
      vaultKey: undefined,
      caseRetentionMonths: 24,
      whatsapp: undefined,
      quietHours: { from: 21 * 60, to: 9 * 60 },
    });
    expect(loadConfig({ QUIET_HOURS: '22:30-07:15' }).quietHours).toEqual({ from: 22 * 60 + 30, to: 7 * 60 + 15 });
    expect(loadConfig({ WHATSAPP_ENABLED: 'true', WHATSAPP_PAIRING_NUMBER: '33612345678' }).whatsapp).toEqual({
      pairingNumber: '33612345678',
      nudgeIntervalMs: 1500,
      nudgeDailyCap: 200,
    });
    expect(loadConfig({ ADDRESS_API_URL: 'none' }).addressApiUrl).toBeUndefined();
    expect(loadConfig({ ADDRESS_API_URL: 'http://127.0.0.1:9999/' }).addressApiUrl).toBe('http://127.0.0.1:9999');
  });

  it('refuses a CHAT_USER of only dots: erasing the chat removes DATA_DIR/documents/CHAT_USER', () => {
    for (const name of ['.', '..', '...']) expect(() => loadConfig({ CHAT_USER: name }), name).toThrow(/CHAT_USER: expected a name, not only dots/);
    expect(loadConfig({ CHAT_USER: 'a.b' }).chatUser).toBe('a.b');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', CHAT_USER: '  ' }).chatUser).toBe('local');
  });

  it('reads every variable', () => {
    const c = loadConfig({
      DATA_DIR: '/tmp/g',
      MONGODB_URI: 'mongodb://mongo:27017/guichet',
      CHAT_USER: 'amina',
      TIME_ZONE: 'America/Cayenne',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      HEALTH_PORT: '8080',
    });
    expect(c).toMatchObject({ dataDir: '/tmp/g', mongodbUri: 'mongodb://mongo:27017/guichet', chatUser: 'amina', timeZone: 'America/Cayenne', healthPort: 8080 });
  });

  it('reads the Telegram settings, in polling or webhook mode', () => {
    const token = '123456:ABCdefGHIjklMNOpqrSTUvwx';
    expect(loadConfig({ TELEGRAM_BOT_TOKEN: token }).telegram).toEqual({ token, apiRoot: 'https://api.telegram.org', webhook: undefined });
    const webhook = loadConfig({
      TELEGRAM_BOT_TOKEN: token,
      TELEGRAM_API_ROOT: 'http://127.0.0.1:8081/',
      TELEGRAM_WEBHOOK_URL: 'https://guichet.example/tg',
      TELEGRAM_WEBHOOK_SECRET: 'secret-secret-secret',
      TELEGRAM_WEBHOOK_PORT: '9000',
      MAX_ATTACHMENT_MB: '5',
    });
    expect(webhook.telegram).toEqual({
      token,
      apiRoot: 'http://127.0.0.1:8081',
      webhook: { url: 'https://guichet.example/tg', secret: 'secret-secret-secret', port: 9000 },
    });
    expect(webhook.maxAttachmentBytes).toBe(5 * 1024 * 1024);
  });

  it.each([
    ['MONGODB_URI', 'postgres://x', /MONGODB_URI: expected a MongoDB connection string/],
    ['TIME_ZONE', 'Mars/Olympus', /TIME_ZONE: expected an IANA time zone/],
    ['HEALTH_PORT', 'eighty', /HEALTH_PORT: expected a port number/],
    ['HEALTH_PORT', '70000', /HEALTH_PORT: expected a port between 1 and 65535/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL:/],
    ['CHAT_USER', 'a b/c', /CHAT_USER: expected 1 to 64 letters/],
    ['ADDRESS_API_URL', 'ftp://x', /ADDRESS_API_URL:/],
    ['ADDRESS_API_TIMEOUT_MS', '5', /ADDRESS_API_TIMEOUT_MS: expected at least 100 ms/],
    ['TELEGRAM_BOT_TOKEN', 'not-a-token', /TELEGRAM_BOT_TOKEN: expected a bot token/],
    ['MAX_ATTACHMENT_MB', '50', /MAX_ATTACHMENT_MB: expected at most 20/],
    ['QUIET_HOURS', '9pm-9am', /QUIET_HOURS: expected HH:MM-HH:MM/],
    ['WHATSAPP_ENABLED', 'yes', /WHATSAPP_ENABLED: expected true or false/],
    ['WHATSAPP_NUDGE_INTERVAL_MS', '200', /WHATSAPP_NUDGE_INTERVAL_MS: expected at least 1000/],
    ['WHATSAPP_PAIRING_NUMBER', '+33 6 12', /WHATSAPP_PAIRING_NUMBER: expected the phone number in digits only/],
    ['TELEGRAM_WEBHOOK_URL', 'https://guichet.example/tg', /TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set/],
  ])('stops on a wrong %s with a message naming it', (name, value, message) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    // The value itself may be a secret: it is never echoed.
    expect((error as Error).message).not.toContain(value);
  });
});

describe('helpdesk configuration', () => {
  const chatwoot = {
    HELPDESK: 'chatwoot',
    HELPDESK_ORGANISATION: 'La Cimade 93',
    CHATWOOT_URL: 'https://chat.example.org/',
    CHATWOOT_ACCOUNT_ID: '3',
    CHATWOOT_API_TOKEN: 'abcdefghijklmnop1234',
    CHATWOOT_INBOX_IDENTIFIER: 'inbox-identifier-1',
    CHATWOOT_WEBHOOK_SECRET: 'a-webhook-secret-of-enough-length',
  };

  it('is off by default', () => {
    expect(loadConfig({}).helpdesk).toBeUndefined();
  });

  it('reads a Chatwoot helpdesk with its hours, delays and retention', () => {
    const config = loadConfig({ ...chatwoot, HELPDESK_HOURS: 'mon-thu 09:00-12:30,14:00-17:00; fri 09:00-12:00' }).helpdesk;
    expect(config).toMatchObject({ kind: 'chatwoot', organisation: 'La Cimade 93', firstResponseMs: 3_600_000, retentionDays: 90, port: 8090, host: '127.0.0.1' });
    expect(config?.kind === 'chatwoot' && config.chatwoot.url).toBe('https://chat.example.org');
    expect(config?.hours.get(1)).toEqual([{ from: 540, to: 750 }, { from: 840, to: 1020 }]);
  });

  it('names each missing Chatwoot setting, and the organisation, without echoing any value', () => {
    const error = (() => {
      try {
        loadConfig({ HELPDESK: 'chatwoot', CHATWOOT_API_TOKEN: 'abcdefghijklmnop1234' });
      } catch (e) {
        return e as ConfigError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['HELPDESK_ORGANISATION', 'CHATWOOT_URL', 'CHATWOOT_ACCOUNT_ID', 'CHATWOOT_INBOX_IDENTIFIER', 'CHATWOOT_WEBHOOK_SECRET']) expect(error!.message).toContain(name);
    expect(error!.message).not.toContain('abcdefghijklmnop1234');
  });

  it('refuses opening hours it cannot read', () => {
    expect(() => loadConfig({ ...chatwoot, HELPDESK_HOURS: 'weekdays 9-5' })).toThrow(/HELPDESK_HOURS/);
  });

  it('needs the group id and the bot token for a Telegram group', () => {
    expect(() => loadConfig({ HELPDESK: 'telegram-group', HELPDESK_ORGANISATION: 'Entraide 13' })).toThrow(/HELPDESK_TELEGRAM_CHAT_ID[\s\S]*TELEGRAM_BOT_TOKEN|TELEGRAM_BOT_TOKEN[\s\S]*HELPDESK_TELEGRAM_CHAT_ID/);
    const config = loadConfig({ HELPDESK: 'telegram-group', HELPDESK_ORGANISATION: 'Entraide 13', HELPDESK_TELEGRAM_CHAT_ID: '-1001234567890', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' }).helpdesk;
    expect(config).toMatchObject({ kind: 'telegram-group', telegramGroup: { chatId: -1001234567890 } });
  });
});
