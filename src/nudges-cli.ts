import { hostname } from 'node:os';
import pino from 'pino';
import { createEngine } from './app.js';
import { ChannelRegistry } from './channels/registry.js';
import { formatQuestionAsText } from './engine/render.js';
import { loadConfig } from './config/config.js';
import { loadVaultKey } from './vault/vault-key.js';
import { ConfigError, ContentError } from './errors.js';
import { createLogger } from './log/logger.js';
import type { Address, OutboundMessage, Outbox } from './messages.js';
import { pumpFor, runPump } from './reminders/pump.js';
import { openStore } from './store/open-store.js';

/**
 * `npm run nudges -- --at <ISO date-time>`: run the reminder pump once, as
 * if it were that time. For operators and tests. Reminders for terminal
 * users are printed with their recipient; Telegram ones are sent through the
 * Bot API when a token is configured; WhatsApp ones need the running
 * process's connection, so they stay due and go out from there.
 */
function parseAt(argv: readonly string[]): number {
  const index = argv.indexOf('--at');
  const value = index >= 0 ? argv[index + 1] : undefined;
  const at = value ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new ConfigError(['--at: expected an ISO date-time, for example 2027-03-02T10:05:00+01:00']);
  return at;
}

async function main(): Promise<number> {
  const at = parseAt(process.argv.slice(2));
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  const store = await openStore(config);
  const channels = new ChannelRegistry();
  const printer: Outbox = {
    async send(to: Address, messages: readonly OutboundMessage[]) {
      for (const m of messages) {
        const text = m.kind === 'question' ? formatQuestionAsText(m) : m.kind === 'text' ? m.text : `[PDF] ${m.fileName}`;
        process.stdout.write(`[reminder → ${to.channel}:${to.address}]\n${text}\n\n`);
      }
    },
  };
  channels.add({ name: 'terminal', run: async () => undefined, send: (address, messages) => printer.send({ channel: 'terminal', address }, messages), stop: async () => undefined });
  if (config.telegram) {
    // Sending only: the running process does the polling or the webhook.
    const { telegramChannelFromConfig } = await import('./channels/telegram/from-config.js');
    channels.add(telegramChannelFromConfig(config.telegram, config.maxAttachmentBytes, store, logger, false));
  }
  const { renderer } = createEngine({ store, outbox: channels, logger: pino({ level: 'silent' }), config, vaultKey: loadVaultKey(config.vaultKey, config.dataDir) });
  // WhatsApp reminders are not claimed here: they stay due for the process connected to the number.
  const report = await runPump(pumpFor({ store, renderer, outbox: channels, logger, config, claimer: `${hostname()}:${process.pid}:cli`, channels: channels.names() }), at);
  logger.info(report, 'reminder pump ran once');
  await store.close();
  return 0;
}

main().then(
  (code) => void (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError || error instanceof ContentError ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
