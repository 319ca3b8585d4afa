import { join } from 'node:path';
import { hostname } from 'node:os';
import { pumpFor, runPump } from './reminders/pump.js';
import cron from 'node-cron';
import { createEngine } from './app.js';
import { createTerminalChannel } from './channels/terminal/terminal-channel.js';
import { ChannelRegistry } from './channels/registry.js';
import { loadConfig } from './config/config.js';
import { ConfigError, ContentError } from './errors.js';
import { describeError } from './engine/engine.js';
import { systemClock } from './engine/clock.js';
import { startHealthServer } from './health-server.js';
import { createLogger } from './log/logger.js';
import { openStore } from './store/open-store.js';
import { channelCredentialsKey, loadVaultKey } from './vault/vault-key.js';
import { verifyVaultKey, WrongVaultKeyError } from './vault/key-check.js';
import { warnIfShared } from './data-dir-check.js';
import { DEFAULT_FLOOD_POLICY, FloodControl } from './engine/flood-control.js';
import { runRetention, type RetentionOptions } from './retention/retention-job.js';
import { pruneDaily } from './retention/daily-prune.js';
import type { HandoffService } from './helpdesk/handoff-service.js';
import { handoffSettings, helpdeskFromConfig, startHandoffService } from './helpdesk/start-helpdesk.js';
import { TelegramGroupHelpdesk } from './helpdesk/telegram-group/telegram-group-helpdesk.js';

async function main(): Promise<number> {
  // Everything Guichet creates (the SQLite files, documents, keys) is for its own user only.
  process.umask(0o077);
  const config = loadConfig(process.env);
  const logger = createLogger(config);
  warnIfShared(config.dataDir, logger);
  const store = await openStore(config);
  const channels = new ChannelRegistry();
  const vaultKey = loadVaultKey(config.vaultKey, config.dataDir);
  await verifyVaultKey(store.channelAuth, vaultKey);
  const flood = { control: new FloodControl(DEFAULT_FLOOD_POLICY), channels: ['telegram', 'whatsapp', 'sms'] as const };
  // The volunteers' helpdesk: the engine hands it what turns ask once the service is up.
  const handoff = config.helpdesk ? handoffSettings(config.helpdesk, config.timeZone) : undefined;
  let handoffService: HandoffService | undefined;
  const { engine, renderer, vault, clock } = createEngine({
    store,
    outbox: channels,
    logger,
    config,
    vaultKey,
    flood,
    ...(handoff ? { handoff, helpdesk: { afterTurn: (actions) => handoffService?.afterTurn(actions) } } : {}),
  });

  const prune = async () => {
    const report = await pruneDaily(store, logger, Date.now());
    if (report.orphanFiles > 0) logger.info({ files: report.orphanFiles }, 'removed proof files no item named (a stopped upload)');
    const handoffs = await handoffService?.prune(Date.now());
    if (handoffs) logger.info({ handoffs }, 'erased conversations with volunteers past their retention');
  };
  await prune();
  const pruneJob = cron.schedule('17 4 * * *', prune, { timezone: config.timeZone });
  const health = config.healthPort ? await startHealthServer(config.healthPort, store, config.healthHost) : undefined;

  const helpdesk = config.helpdesk ? helpdeskFromConfig(config.helpdesk, config.telegram, config.maxAttachmentBytes, logger) : undefined;
  // The volunteers' Telegram group is read through the bot's own updates.
  const group = helpdesk instanceof TelegramGroupHelpdesk ? { chatId: helpdesk.chatId, receive: helpdesk.receive.bind(helpdesk) } : undefined;
  if (config.telegram) {
    // Loaded only when used: the terminal chat starts faster without grammY.
    const { telegramChannelFromConfig } = await import('./channels/telegram/from-config.js');
    channels.add(telegramChannelFromConfig(config.telegram, config.maxAttachmentBytes, store, logger, true, group));
  }
  if (config.whatsapp) {
    const { createWhatsAppChannel } = await import('./channels/whatsapp/whatsapp-channel.js');
    const { sealedAuthStore } = await import('./channels/whatsapp/sealed-auth-store.js');
    const { createBaileysSocket, baileysDownloader, showLinkInTerminal } = await import('./channels/whatsapp/baileys-socket.js');
    const { ProactivePacer } = await import('./channels/whatsapp/proactive-pacer.js');
    const { usePrivateTempDir } = await import('./channels/whatsapp/private-temp.js');
    usePrivateTempDir(config.dataDir);
    channels.add(
      createWhatsAppChannel({
        authStore: sealedAuthStore(store.channelAuth, channelCredentialsKey(vaultKey)),
        logger,
        createSocket: createBaileysSocket,
        download: baileysDownloader,
        maxAttachmentBytes: config.maxAttachmentBytes,
        ...(config.whatsapp.pairingNumber ? { pairingNumber: config.whatsapp.pairingNumber } : {}),
        showLink: showLinkInTerminal,
        pacer: new ProactivePacer({
          minIntervalMs: config.whatsapp.nudgeIntervalMs,
          jitterMs: Math.round(config.whatsapp.nudgeIntervalMs / 2),
          dailyCap: config.whatsapp.nudgeDailyCap,
          now: () => Date.now(),
          today: systemClock(config.timeZone).today,
          sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        }),
      }),
    );
  }
  if (config.sms) {
    const { smsChannelFromConfig } = await import('./channels/sms/from-config.js');
    channels.add(smsChannelFromConfig(config.sms, { store, renderer, clock, timeZone: config.timeZone, vaultKey, logger }));
  }
  if (channels.all().length === 0) {
    // With no messaging channel configured, Guichet chats in this terminal.
    channels.add(
      createTerminalChannel({
        user: config.chatUser,
        input: process.stdin,
        output: process.stdout,
        interactive: process.stdin.isTTY === true,
        documentsDir: join(config.dataDir, 'documents'),
        maxAttachmentBytes: config.maxAttachmentBytes,
      }),
    );
  }
  if (config.helpdesk && handoff && helpdesk) {
    handoffService = await startHandoffService({ helpdesk, settings: handoff, firstResponseMs: config.helpdesk.firstResponseMs, store, engine, renderer, outbox: channels, vault, clock, logger });
  }
  logger.info({ store: store.kind, channels: channels.all().map((c) => c.name), helpdesk: config.helpdesk?.kind ?? 'none' }, 'guichet started');

  let shuttingDown = false;
  const shutdown = async (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal }, 'stopping: finishing turns in progress');
    await Promise.all(channels.all().map((c) => c.stop()));
    await handoffService?.stop();
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  // Reminders: the store holds them; every minute the pump sends what is due.
  const pump = pumpFor({ store, renderer, outbox: channels, logger, config, claimer: `${hostname()}:${process.pid}`, channels: channels.names() });
  let pumping = false;
  const pumpJob = cron.schedule('* * * * *', async () => {
    if (pumping) return;
    pumping = true;
    try {
      const report = await runPump(pump, Date.now());
      if (report.sent + report.dropped + report.retried + report.failed > 0) logger.info(report, 'reminders pumped');
    } catch (error) {
      logger.error({ err: describeError(error) }, 'reminder pump failed');
    } finally {
      pumping = false;
    }
  });

  // Retention: once a day, in the morning, cases unused for CASE_RETENTION_MONTHS are noticed, then erased.
  const retention: RetentionOptions = {
    store,
    renderer,
    outbox: channels,
    logger,
    months: config.caseRetentionMonths,
    timeZone: config.timeZone,
    quietHours: config.quietHours,
    localDay: (epoch) => pump.reminders.localDay(epoch),
  };
  const retentionJob = cron.schedule('15 10 * * *', async () => {
    try {
      const report = await runRetention(retention, Date.now());
      if (report.notified + report.purged > 0) logger.info(report, 'inactive cases reviewed');
    } catch (error) {
      logger.error({ err: describeError(error) }, 'retention job failed');
    }
  }, { timezone: config.timeZone });

  await Promise.all(channels.all().map((c) => c.run((message) => engine.handle(message))));
  await retentionJob.stop();
  await pumpJob.stop();
  await engine.idle();
  // What the last turns asked of the volunteers' helpdesk goes out before the store closes.
  await handoffService?.stop();
  await pruneJob.stop();
  health?.close();
  await store.close();
  logger.info('guichet stopped');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof ContentError || error instanceof WrongVaultKeyError) {
      process.stderr.write(`${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`Guichet stopped on an unexpected error: ${JSON.stringify(describeError(error))}\n`);
    process.exitCode = 1;
  },
);
