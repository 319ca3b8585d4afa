import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine } from '../../src/app.js';
import type { EngineOptions } from '../../src/engine/engine.js';
import { formatQuestionAsText } from '../../src/engine/render.js';
import { fixedClock } from '../../src/engine/clock.js';
import type { Address, InboundMessage, OutboundMessage, Outbox } from '../../src/messages.js';
import type { Store } from '../../src/store/ports.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { FlowRegistry } from '../../machines/registry.js';
import { memoryLogger } from './silent-logger.js';
import { checkedAttachment } from '../../src/channels/attachments.js';
import type { VaultQuota } from '../../src/vault/vault.js';

export class RecordingOutbox implements Outbox {
  readonly sent: { to: Address; messages: readonly OutboundMessage[] }[] = [];
  readonly forgotten: Address[] = [];
  async forget(to: Address): Promise<void> {
    this.forgotten.push(to);
  }
  async send(to: Address, messages: readonly OutboundMessage[]): Promise<void> {
    this.sent.push({ to, messages });
  }
  /** Everything sent to one address, as the terminal would print it. */
  transcript(address: string): string {
    return this.sent
      .filter((s) => s.to.address === address)
      .flatMap((s) => s.messages.map(asText))
      .join('\n\n');
  }
}

export function asText(m: OutboundMessage): string {
  if (m.kind === 'document') return `[${m.mimeType === 'application/pdf' ? 'PDF' : 'file'} ${m.fileName}]`;
  return m.kind === 'question' ? formatQuestionAsText(m) : m.text;
}

export function tempDir(prefix = 'guichet-test-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

let counter = 0;

/**
 * An engine on a fresh SQLite store in a temporary folder, a recording
 * outbox, a fixed clock and an in-memory logger. `say(address, text)` sends a
 * message and returns the replies to it as plain text.
 */
export function createTestApp(
  options: {
    store?: Store;
    flows?: FlowRegistry;
    now?: string;
    dataDir?: string;
    vaultKey?: Buffer;
    maxAttachmentBytes?: number;
    flood?: EngineOptions['flood'];
    vaultQuota?: VaultQuota;
    handoff?: EngineOptions['handoff'];
    helpdesk?: EngineOptions['helpdesk'];
  } = {},
) {
  const temp = options.store || options.dataDir ? undefined : tempDir();
  const store = options.store ?? openSqliteStore(options.dataDir ?? temp!.dir);
  const outbox = new RecordingOutbox();
  const { logger, lines } = memoryLogger();
  const clock = fixedClock(options.now ?? '2026-11-28T10:00:00+01:00');
  const { engine, renderer, vault } = createEngine({
    store,
    outbox,
    logger,
    clock,
    config: {
      timeZone: 'Europe/Paris',
      ...(options.maxAttachmentBytes ? { maxAttachmentBytes: options.maxAttachmentBytes } : {}),
      ...(options.vaultQuota ? { vaultQuota: options.vaultQuota } : {}),
    },
    vaultKey: options.vaultKey ?? randomBytes(32),
    ...(options.flows ? { flows: options.flows } : {}),
    ...(options.flood ? { flood: options.flood } : {}),
    ...(options.handoff ? { handoff: options.handoff } : {}),
    ...(options.helpdesk ? { helpdesk: options.helpdesk } : {}),
  });

  async function deliver(message: InboundMessage): Promise<OutboundMessage[]> {
    const before = outbox.sent.length;
    await engine.handle(message);
    return outbox.sent.slice(before).flatMap((s) => s.messages);
  }

  return {
    engine,
    renderer,
    vault,
    logger,
    store,
    outbox,
    clock,
    logLines: lines,
    deliver,
    async say(address: string, text: string, messageId = `m${++counter}`): Promise<string> {
      const replies = await deliver({ channel: 'terminal', address, messageId, kind: 'text', text });
      return replies.map(asText).join('\n\n');
    },
    async open(address: string): Promise<string> {
      const replies = await deliver({ channel: 'terminal', address, messageId: `open${++counter}`, kind: 'open' });
      return replies.map(asText).join('\n\n');
    },
    /** Open the chat and type each line in turn; the replies to the last one. */
    async walk(address: string, lines: readonly string[]): Promise<string> {
      await this.open(address);
      let reply = '';
      for (const line of lines) reply = await this.say(address, line);
      return reply;
    },
    /** Send a photo or file as a chat app would (announced type and size checked first, as the channels do). */
    async sendFile(address: string, bytes: Uint8Array, announced: { mimeType?: string; size?: number } = {}, messageId = `f${++counter}`): Promise<string> {
      const attachment = checkedAttachment({
        mediaType: 'photo',
        mimeType: announced.mimeType ?? 'image/jpeg',
        fileName: null,
        size: announced.size ?? bytes.length,
        maxBytes: options.maxAttachmentBytes ?? 10 * 1024 * 1024,
        fetch: async () => bytes,
      });
      const replies = await deliver({ channel: 'terminal', address, messageId, kind: 'attachment', attachment });
      return replies.map(asText).join('\n\n');
    },
    /** Answer the last question with the option whose label matches. */
    async choose(address: string, label: RegExp | string): Promise<string> {
      const question = [...outbox.sent.filter((s) => s.to.address === address).flatMap((s) => s.messages)]
        .reverse()
        .find((m): m is Extract<OutboundMessage, { kind: 'question' }> => m.kind === 'question');
      const option = question?.options.find((o) => (typeof label === 'string' ? o.label === label : label.test(o.label)));
      if (!option) throw new Error(`no option ${String(label)} in: ${question ? formatQuestionAsText(question) : '(no question)'}`);
      return this.say(address, String(option.number));
    },
    /** Last question sent to the address. */
    lastQuestion(address: string): Extract<OutboundMessage, { kind: 'question' }> | undefined {
      const all = outbox.sent.filter((s) => s.to.address === address).flatMap((s) => s.messages);
      return [...all].reverse().find((m): m is Extract<OutboundMessage, { kind: 'question' }> => m.kind === 'question');
    },
    async close() {
      await engine.idle();
      await store.close();
      temp?.remove();
    },
  };
}
