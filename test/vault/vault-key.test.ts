import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { linkCodeSecret, loadVaultKey } from '../../src/vault/vault-key.js';
import { tempDir } from '../helpers/test-app.js';

const posix = process.platform !== 'win32';
const temps: { remove: () => void }[] = [];
function freshDir(): string {
  const temp = tempDir('guichet-vault-');
  temps.push(temp);
  return temp.dir;
}
afterEach(() => {
  for (const temp of temps.splice(0)) temp.remove();
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a throw');
}

describe('vault key file', () => {
  it('creates a 32-byte key, readable by its owner only, written as hex', () => {
    const dataDir = join(freshDir(), 'data', 'nested');
    const key = loadVaultKey(undefined, dataDir);
    expect(key.length).toBe(32);
    const file = join(dataDir, 'vault.key');
    expect(readFileSync(file, 'utf8')).toBe(`${key.toString('hex')}\n`);
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    }
  });

  it('reuses the key on the next start', () => {
    const dataDir = freshDir();
    const first = loadVaultKey(undefined, dataDir);
    const second = loadVaultKey(undefined, dataDir);
    expect(second.equals(first)).toBe(true);
    // An empty VAULT_KEY counts as not set.
    expect(loadVaultKey('', dataDir).equals(first)).toBe(true);
  });

  it.runIf(posix)('refuses a key file other users can read, saying how to fix it', () => {
    const dataDir = freshDir();
    loadVaultKey(undefined, dataDir);
    const file = join(dataDir, 'vault.key');
    chmodSync(file, 0o644);
    const message = messageOf(() => loadVaultKey(undefined, dataDir));
    expect(message).toContain('chmod 600');
    expect(message).toContain(file);
    chmodSync(file, 0o640);
    expect(() => loadVaultKey(undefined, dataDir)).toThrow(/chmod 600/);
    chmodSync(file, 0o602);
    expect(() => loadVaultKey(undefined, dataDir)).toThrow(/chmod 600/);
    chmodSync(file, 0o400);
    expect(loadVaultKey(undefined, dataDir).length).toBe(32);
  });

  it('reads a key file written by hand in base64, and refuses a damaged one without printing it', () => {
    const dataDir = freshDir();
    const key = randomBytes(32);
    writeFileSync(join(dataDir, 'vault.key'), `${key.toString('base64')}\n`, { mode: 0o600 });
    expect(loadVaultKey(undefined, dataDir).equals(key)).toBe(true);
    const damaged = key.toString('hex').slice(0, 60);
    writeFileSync(join(dataDir, 'vault.key'), damaged, { mode: 0o600 });
    const message = messageOf(() => loadVaultKey(undefined, dataDir));
    expect(message).toMatch(/64 hexadecimal/);
    expect(message).not.toContain(damaged);
  });

  it.runIf(posix)('waits for a key another process has created but not yet written', async () => {
    const dataDir = freshDir();
    const file = join(dataDir, 'vault.key');
    writeFileSync(file, '', { mode: 0o600 });
    const key = randomBytes(32);
    // Another process writes the key a moment later, while this one is waiting for it.
    const writer = spawn(process.execPath, ['-e', `setTimeout(() => require('fs').writeFileSync(${JSON.stringify(file)}, '${key.toString('hex')}\\n'), 150)`]);
    const exited = new Promise((resolve) => writer.on('close', resolve));
    await new Promise((resolve) => writer.on('spawn', resolve));
    expect(loadVaultKey(undefined, dataDir).equals(key)).toBe(true);
    await exited;
  });

  it('gives up on a key file that stays empty', () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, 'vault.key'), '', { mode: 0o600 });
    expect(() => loadVaultKey(undefined, dataDir)).toThrow(/does not hold a valid vault key/);
  });

  it('lets exactly one of several processes starting together create the key', async () => {
    const dataDir = join(freshDir(), 'data');
    const module = fileURLToPath(new URL('../../src/vault/vault-key.ts', import.meta.url));
    const script = `import { loadVaultKey } from ${JSON.stringify(module)}; process.stdout.write(loadVaultKey(undefined, process.argv[1]).toString('hex'));`;
    const run = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('error', reject);
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err}`))));
      });
    const keys = await Promise.all(Array.from({ length: 6 }, run));
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(1);
    expect(loadVaultKey(undefined, dataDir).toString('hex')).toBe(keys[0]);
  });
});

describe('VAULT_KEY', () => {
  it('accepts 64 hex characters, in either case', () => {
    const key = randomBytes(32);
    const dataDir = freshDir();
    expect(loadVaultKey(key.toString('hex'), dataDir).equals(key)).toBe(true);
    expect(loadVaultKey(key.toString('hex').toUpperCase(), dataDir).equals(key)).toBe(true);
    expect(loadVaultKey(` ${key.toString('hex')}\n`, dataDir).equals(key)).toBe(true);
    // A configured key never creates a key file.
    expect(existsSync(join(dataDir, 'vault.key'))).toBe(false);
  });

  it('accepts base64 and base64url of 32 bytes, with or without padding', () => {
    // Bytes chosen so that the encoding holds both + and / (- and _ in base64url).
    const key = Buffer.alloc(32, 0xfb);
    const base64 = key.toString('base64');
    expect(base64).toMatch(/[+/]/);
    const dataDir = freshDir();
    expect(loadVaultKey(base64, dataDir).equals(key)).toBe(true);
    expect(loadVaultKey(base64.replace(/=+$/, ''), dataDir).equals(key)).toBe(true);
    expect(loadVaultKey(key.toString('base64url'), dataDir).equals(key)).toBe(true);
    for (let i = 0; i < 20; i++) {
      const random = randomBytes(32);
      expect(loadVaultKey(random.toString('base64'), dataDir).equals(random)).toBe(true);
      expect(loadVaultKey(random.toString('base64url'), dataDir).equals(random)).toBe(true);
    }
  });

  it('refuses any other length or form, naming VAULT_KEY and the expected form but never the value', () => {
    const dataDir = freshDir();
    const wrong = [
      randomBytes(16).toString('hex'),
      randomBytes(31).toString('hex'),
      randomBytes(33).toString('hex'),
      `${randomBytes(31).toString('hex')}zz`,
      randomBytes(24).toString('base64'),
      randomBytes(48).toString('base64'),
      'correct horse battery staple',
      // Two alphabets mixed.
      `${Buffer.alloc(32, 0xfb).toString('base64').slice(0, 20)}_${Buffer.alloc(32, 0xfb).toString('base64').slice(21)}`,
    ];
    for (const value of wrong) {
      const message = messageOf(() => loadVaultKey(value, dataDir));
      expect(message).toContain('VAULT_KEY');
      expect(message).toMatch(/64 hexadecimal characters/);
      expect(message).toMatch(/32 bytes/);
      expect(message).not.toContain(value);
    }
    expect(existsSync(join(dataDir, 'vault.key'))).toBe(false);
  });
});

describe('link code secret', () => {
  it('is a separate 32-byte key derived from the vault key', () => {
    const key = randomBytes(32);
    const secret = linkCodeSecret(key);
    expect(secret.length).toBe(32);
    expect(secret.equals(key)).toBe(false);
    expect(linkCodeSecret(Buffer.from(key)).equals(secret)).toBe(true);
    expect(linkCodeSecret(randomBytes(32)).equals(secret)).toBe(false);
  });

  it('is HKDF-SHA256 with salt "guichet" and info "link-codes" (RFC 5869 construction)', async () => {
    const { createHmac } = await import('node:crypto');
    const key = Buffer.alloc(32, 7);
    const prk = createHmac('sha256', 'guichet').update(key).digest();
    const okm = createHmac('sha256', prk).update(Buffer.concat([Buffer.from('link-codes'), Buffer.of(1)])).digest();
    expect(linkCodeSecret(key).equals(okm)).toBe(true);
  });
});
