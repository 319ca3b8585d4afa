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
      addressApiUrl: 'https://data.geopf.fr/geocodage',
      addressApiTimeoutMs: 2000,
    });
    expect(loadConfig({ ADDRESS_API_URL: 'none' }).addressApiUrl).toBeUndefined();
    expect(loadConfig({ ADDRESS_API_URL: 'http://127.0.0.1:9999/' }).addressApiUrl).toBe('http://127.0.0.1:9999');
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

  it.each([
    ['MONGODB_URI', 'postgres://x', /MONGODB_URI: expected a MongoDB connection string/],
    ['TIME_ZONE', 'Mars/Olympus', /TIME_ZONE: expected an IANA time zone/],
    ['HEALTH_PORT', 'eighty', /HEALTH_PORT: expected a port number/],
    ['HEALTH_PORT', '70000', /HEALTH_PORT: expected a port between 1 and 65535/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL:/],
    ['CHAT_USER', 'a b/c', /CHAT_USER: expected 1 to 64 letters/],
    ['ADDRESS_API_URL', 'ftp://x', /ADDRESS_API_URL:/],
    ['ADDRESS_API_TIMEOUT_MS', '5', /ADDRESS_API_TIMEOUT_MS: expected at least 100 ms/],
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
