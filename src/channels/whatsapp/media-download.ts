import { createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';
import { DEF_MEDIA_HOST, DEFAULT_ORIGIN, getMediaKeys } from '@whiskeysockets/baileys';

/**
 * Downloading a photo or PDF someone sent on WhatsApp, without trusting what
 * their phone wrote in the message. Baileys fetches the `url` (or `directPath`
 * on the host of that url) found in the message and buffers the whole body:
 * a crafted message made Guichet fetch an internal address and hold 600 MiB
 * before any size check. Here only WhatsApp's media hosts are fetched, over
 * HTTPS, without redirects, within a time limit, and the body is read as a
 * stream and dropped past the size limit. The bytes are checked against the
 * media MAC before they are decrypted (AES-256-CBC, as Baileys uploads them).
 */
export type MediaKind = 'image' | 'document';

export interface EncryptedMedia {
  readonly url?: unknown;
  readonly directPath?: unknown;
  readonly mediaKey?: unknown;
}

export class MediaRefused extends Error {
  constructor(readonly reason: 'host' | 'too-large' | 'timeout' | 'damaged' | 'http') {
    super(`whatsapp media refused: ${reason}`);
    this.name = 'MediaRefused';
  }
}

/** The HTTP status when WhatsApp's server refused (404 and 410 ask for a re-upload). */
export class MediaHttpError extends MediaRefused {
  constructor(readonly status: number) {
    super('http');
  }
}

/** mmg.whatsapp.net and the media-*.cdn.whatsapp.net family: WhatsApp's own servers. */
const MEDIA_HOST = /^(?:[a-z0-9-]+\.)*whatsapp\.net$/;
/** A path on the media host: no scheme, no host, no parent steps, nothing to smuggle. */
const DIRECT_PATH = /^\/[A-Za-z0-9\-._~%/=&?]+$/;
/** AES padding and the 10-byte MAC on top of the file itself. */
const OVERHEAD = 16 + 10;
const MAC_LENGTH = 10;

function allowedHost(url: URL): boolean {
  return url.protocol === 'https:' && url.port === '' && url.username === '' && url.password === '' && MEDIA_HOST.test(url.hostname);
}

/** The address to fetch, as Baileys would build it, or undefined when it is not WhatsApp's. */
export function mediaUrl(media: EncryptedMedia): URL | undefined {
  let given: URL | undefined;
  if (typeof media.url === 'string') {
    try {
      given = new URL(media.url);
    } catch {
      given = undefined;
    }
  }
  if (typeof media.directPath === 'string') {
    if (!DIRECT_PATH.test(media.directPath) || media.directPath.includes('..') || media.directPath.startsWith('//')) return undefined;
    const host = given && allowedHost(given) ? given.hostname : DEF_MEDIA_HOST;
    return new URL(`https://${host}${media.directPath}`);
  }
  return given && allowedHost(given) ? given : undefined;
}

export interface DownloadLimits {
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /** For tests: the HTTP client (global fetch by default). */
  readonly fetch?: typeof fetch;
}

export async function downloadMedia(media: EncryptedMedia, kind: MediaKind, limits: DownloadLimits): Promise<Uint8Array> {
  const url = mediaUrl(media);
  if (!url || !(media.mediaKey instanceof Uint8Array || typeof media.mediaKey === 'string')) throw new MediaRefused('host');
  const keys = await getMediaKeys(media.mediaKey, kind);
  const encrypted = await fetchBounded(url, limits.maxBytes + OVERHEAD, limits);
  if (encrypted.length < 16 + MAC_LENGTH || (encrypted.length - MAC_LENGTH) % 16 !== 0) throw new MediaRefused('damaged');
  const body = encrypted.subarray(0, encrypted.length - MAC_LENGTH);
  if (!keys.macKey) throw new MediaRefused('damaged');
  const mac = createHmac('sha256', keys.macKey).update(keys.iv).update(body).digest().subarray(0, MAC_LENGTH);
  if (!timingSafeEqual(mac, encrypted.subarray(encrypted.length - MAC_LENGTH))) throw new MediaRefused('damaged');
  const decipher = createDecipheriv('aes-256-cbc', keys.cipherKey, keys.iv);
  try {
    const plain = Buffer.concat([decipher.update(body), decipher.final()]);
    if (plain.length > limits.maxBytes) throw new MediaRefused('too-large');
    return new Uint8Array(plain.buffer, plain.byteOffset, plain.length);
  } catch (error) {
    if (error instanceof MediaRefused) throw error;
    throw new MediaRefused('damaged');
  }
}

/** The body of `url`, read chunk by chunk: aborted past `cap` bytes or `timeoutMs`. */
async function fetchBounded(url: URL, cap: number, limits: DownloadLimits): Promise<Buffer> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), limits.timeoutMs);
  try {
    const response = await (limits.fetch ?? fetch)(url, { signal: controller.signal, redirect: 'error', headers: { Origin: DEFAULT_ORIGIN } });
    if (!response.ok) throw new MediaHttpError(response.status);
    const announced = Number(response.headers.get('content-length'));
    if (Number.isFinite(announced) && announced > cap) throw new MediaRefused('too-large');
    if (!response.body) throw new MediaRefused('damaged');
    const chunks: Uint8Array[] = [];
    let total = 0;
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > cap) {
        await reader.cancel().catch(() => undefined);
        throw new MediaRefused('too-large');
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, total);
  } catch (error) {
    if (error instanceof MediaRefused) throw error;
    if (controller.signal.aborted) throw new MediaRefused('timeout');
    throw new MediaRefused('http');
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
