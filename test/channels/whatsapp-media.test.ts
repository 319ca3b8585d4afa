import { readFileSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encryptedStream } from '@whiskeysockets/baileys';
import { downloadMedia, mediaUrl, MediaRefused } from '../../src/channels/whatsapp/media-download.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(5000, 7), Buffer.from([0xff, 0xd9])]);
const MiB = 1024 * 1024;

/** A photo encrypted exactly as Baileys uploads it. */
async function uploaded(bytes: Buffer) {
  const enc = await encryptedStream(bytes, 'image');
  const file = readFileSync(enc.encFilePath);
  rmSync(enc.encFilePath, { force: true });
  return { mediaKey: enc.mediaKey, file };
}

/** A stand-in HTTP client: records every address asked for. */
function server(body: (url: string) => Response) {
  const asked: string[] = [];
  const client = (async (input: URL | RequestInfo) => {
    asked.push(String(input));
    return body(String(input));
  }) as typeof fetch;
  return { asked, client };
}

const limits = (client: typeof fetch, maxBytes = 10 * MiB) => ({ maxBytes, timeoutMs: 2_000, fetch: client });

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof MediaRefused) return error.reason;
    throw error;
  }
  return 'accepted';
}

describe('WhatsApp media, downloaded without trusting the sender', () => {
  it('decrypts a photo encrypted as Baileys uploads it, from WhatsApp’s media host', async () => {
    const { mediaKey, file } = await uploaded(JPEG);
    const { asked, client } = server(() => new Response(file));
    const bytes = await downloadMedia({ url: 'https://mmg.whatsapp.net/o1/v/t62/abc.enc', directPath: '/o1/v/t62/abc.enc', mediaKey }, 'image', limits(client));
    expect(Buffer.from(bytes).equals(JPEG)).toBe(true);
    expect(asked).toEqual(['https://mmg.whatsapp.net/o1/v/t62/abc.enc']);
  });

  it.each([
    ['an internal address', { url: 'http://127.0.0.1:8080/admin' }],
    ['another host', { url: 'https://evil.example/x.enc' }],
    ['a look-alike host', { url: 'https://mmg.whatsapp.net.evil.example/x.enc' }],
    ['credentials in the url', { url: 'https://user:pw@mmg.whatsapp.net/x.enc' }],
    ['a port', { url: 'https://mmg.whatsapp.net:8443/x.enc' }],
    ['plain http', { url: 'http://mmg.whatsapp.net/x.enc' }],
    ['a path that names another host', { directPath: '//evil.example/x.enc' }],
    ['a path that climbs', { directPath: '/../../x.enc' }],
  ])('never fetches %s', async (_what, media) => {
    const { asked, client } = server(() => new Response('x'));
    expect(await refusal(downloadMedia({ ...media, mediaKey: new Uint8Array(32) }, 'image', limits(client)))).toBe('host');
    expect(asked).toEqual([]);
  });

  it('takes the path to WhatsApp’s own host when the url beside it names another', () => {
    expect(String(mediaUrl({ url: 'http://10.0.0.1/x', directPath: '/v/t62/abc.enc' }))).toBe('https://mmg.whatsapp.net/v/t62/abc.enc');
    expect(String(mediaUrl({ url: 'https://media-cdg2-1.cdn.whatsapp.net/v/x', directPath: '/v/t62/abc.enc' }))).toBe('https://media-cdg2-1.cdn.whatsapp.net/v/t62/abc.enc');
  });

  it('stops reading a body that announces a small file and sends 600 MiB, just past the limit', async () => {
    let served = 0;
    const chunk = new Uint8Array(64 * 1024);
    const endless = () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (served >= 600 * MiB) return controller.close();
            served += chunk.length;
            controller.enqueue(chunk);
          },
        }),
      );
    const { client } = server(endless);
    expect(await refusal(downloadMedia({ directPath: '/v/t62/big.enc', mediaKey: new Uint8Array(32) }, 'image', limits(client)))).toBe('too-large');
    // The 10 MiB limit plus what the stream had queued, not 600 MiB.
    expect(served).toBeLessThan(10 * MiB + 512 * 1024);
  });

  it('refuses at once a body whose length is announced over the limit', async () => {
    const { client } = server(() => new Response('x', { headers: { 'content-length': String(50 * MiB) } }));
    expect(await refusal(downloadMedia({ directPath: '/v/t62/big.enc', mediaKey: new Uint8Array(32) }, 'image', limits(client)))).toBe('too-large');
  });

  it('gives up on a server that never finishes sending', async () => {
    const stalled = (async (_input: URL | RequestInfo, init?: RequestInit) =>
      new Response(
        new ReadableStream({
          start(controller) {
            init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
          },
        }),
      )) as typeof fetch;
    expect(await refusal(downloadMedia({ directPath: '/v/t62/slow.enc', mediaKey: new Uint8Array(32) }, 'image', { maxBytes: MiB, timeoutMs: 50, fetch: stalled }))).toBe('timeout');
  });

  it('refuses bytes that do not match the media MAC, before decrypting them', async () => {
    const { mediaKey, file } = await uploaded(JPEG);
    file[100] = file[100]! ^ 1;
    const { client } = server(() => new Response(file));
    expect(await refusal(downloadMedia({ directPath: '/v/t62/abc.enc', mediaKey }, 'image', limits(client)))).toBe('damaged');
  });

  it('refuses a decrypted file over the limit even when the encrypted one fitted the announcement', async () => {
    const { mediaKey, file } = await uploaded(JPEG);
    const { client } = server(() => new Response(file));
    expect(await refusal(downloadMedia({ directPath: '/v/t62/abc.enc', mediaKey }, 'image', limits(client, 1000)))).toBe('too-large');
  });
});

describe('files Baileys writes while sending a proof back', () => {
  it('go to a temporary folder of this process only, owner-only and emptied at start', async () => {
    const { mkdtempSync, statSync, writeFileSync, existsSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { usePrivateTempDir } = await import('../../src/channels/whatsapp/private-temp.js');
    const before = process.env.TMPDIR;
    const data = mkdtempSync(join(tmpdir(), 'guichet-tmp-'));
    try {
      // A decrypted original left by a crash.
      const first = usePrivateTempDir(data);
      writeFileSync(join(first, 'image123-original'), JPEG);
      const dir = usePrivateTempDir(data);
      expect(tmpdir()).toBe(dir);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(existsSync(join(dir, 'image123-original'))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = before;
      rmSync(data, { recursive: true, force: true });
    }
  });
});
