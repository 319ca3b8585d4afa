import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { formatQuestionAsText } from '../../engine/render.js';
import type { InboundAttachment, OutboundMessage } from '../../messages.js';
import { checkedAttachment } from '../attachments.js';
import type { Channel, InboundHandler } from '../channel.js';

const BIDI_ISOLATES = /[\u2066-\u2069]/g;

export interface TerminalOptions {
  readonly user: string;
  readonly input: NodeJS.ReadableStream;
  readonly output: NodeJS.WritableStream;
  /** Interactive (a person at a keyboard) or scripted (one message per line, echoed). */
  readonly interactive: boolean;
  /** Where documents (PDFs) are written; their path is printed. */
  readonly documentsDir: string;
  /** Largest file `/photo` and `/file` may send. */
  readonly maxAttachmentBytes: number;
}

/** `/photo <path>` and `/file <path>` send a file as a chat app would. */
const ATTACH = /^\/(photo|file)\s+(.+)$/;

/** What a phone would announce for a file, from its name only: the engine checks the content itself. */
const ANNOUNCED_TYPES: Readonly<Record<string, string>> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.pdf': 'application/pdf',
};

/** The attachment a `/photo` or `/file` line sends; a path that cannot be read is announced with no size. */
function fileAttachment(kind: 'photo' | 'file', rawPath: string, maxBytes: number): InboundAttachment {
  const path = resolve(rawPath.trim().replace(/^["']|["']$/g, ''));
  let size: number | null = null;
  try {
    const stat = statSync(path);
    if (stat.isFile()) size = stat.size;
  } catch {
    size = null;
  }
  return checkedAttachment({
    mediaType: kind === 'photo' ? 'photo' : 'document',
    mimeType: size === null ? null : (ANNOUNCED_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'),
    fileName: basename(path),
    size,
    maxBytes,
    fetch: async () => new Uint8Array(await readFile(path)),
  });
}

/** Files the terminal wrote (documents, exports, proofs sent back in clear) are kept this long. */
export const TERMINAL_FILES_KEPT_MS = 24 * 3600_000;

/** Files written more than a day ago are removed when the terminal starts: proofs and exports do not linger in clear. */
function sweepOldFiles(dir: string, now: number): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      if (now - statSync(path).mtimeMs > TERMINAL_FILES_KEPT_MS) rmSync(path, { force: true });
    } catch {
      // Gone meanwhile: nothing to do.
    }
  }
}

/**
 * Guichet in a terminal, for trying it out, for content authors and for
 * scripted end-to-end tests. Lines are handled strictly one after another, so
 * a script's replies come out in order; at the end of input it finishes the
 * last turn and returns.
 */
export function createTerminalChannel(options: TerminalOptions): Channel {
  const { user, input, output, interactive, documentsDir, maxAttachmentBytes } = options;
  // The person's own folder, never anything outside DATA_DIR/documents (the config refuses "." and "..").
  const ownDir = resolve(documentsDir, user);
  if (dirname(ownDir) !== resolve(documentsDir)) throw new Error('CHAT_USER must name a folder inside DATA_DIR/documents');
  sweepOldFiles(ownDir, Date.now());
  let stopped = false;
  let closeReader: (() => void) | undefined;
  const write = (text: string) => void output.write(text);

  return {
    name: 'terminal',
    async run(handler: InboundHandler) {
      const message = (extra: { kind: 'open' } | { kind: 'text'; text: string } | { kind: 'attachment'; attachment: InboundAttachment }) =>
        handler({ channel: 'terminal', address: user, messageId: randomUUID(), ...extra });
      await message({ kind: 'open' });
      const reader = createInterface({ input, terminal: false, crlfDelay: Infinity });
      closeReader = () => reader.close();
      if (interactive) write('> ');
      for await (const line of reader) {
        if (stopped) break;
        if (!interactive) write(`> ${line}\n\n`);
        const attach = ATTACH.exec(line.trim());
        if (attach) await message({ kind: 'attachment', attachment: fileAttachment(attach[1] as 'photo' | 'file', attach[2]!, maxAttachmentBytes) });
        else if (line.trim() !== '') await message({ kind: 'text', text: line });
        if (interactive) write('> ');
      }
      if (interactive) write('\n');
    },
    async send(_address: string, messages: readonly OutboundMessage[]) {
      for (const m of messages) {
        if (m.kind === 'document') {
          // One folder per chat user, so two people on one machine do not mix papers.
          mkdirSync(ownDir, { recursive: true, mode: 0o700 });
          const path = join(ownDir, `${Date.now().toString(36)}-${m.fileName}`);
          writeFileSync(path, m.bytes, { mode: 0o600 });
          write(`[${m.mimeType === 'application/pdf' ? 'PDF' : 'file'}] ${path}\n\n`);
          continue;
        }
        const text = m.kind === 'question' ? formatQuestionAsText(m) : m.text;
        // Terminals do not apply the bidi algorithm and would print isolates as
        // stray marks; scripts and messaging apps get them as they are.
        write(`${interactive ? text.replace(BIDI_ISOLATES, '') : text}\n\n`);
      }
    },
    async stop() {
      stopped = true;
      closeReader?.();
    },
    async forget() {
      rmSync(ownDir, { recursive: true, force: true });
    },
  };
}
