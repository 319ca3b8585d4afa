import type { HelpdeskConfig, TelegramConfig } from '../config/config.js';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import type { HandoffSettings } from '../engine/handoff-effects.js';
import type { Renderer } from '../engine/render.js';
import type { Logger } from '../log/logger.js';
import type { Outbox } from '../messages.js';
import type { Store } from '../store/ports.js';
import type { Vault } from '../vault/vault.js';
import { ChatwootHelpdesk } from './chatwoot/chatwoot-helpdesk.js';
import { TelegramGroupHelpdesk } from './telegram-group/telegram-group-helpdesk.js';
import type { Helpdesk } from './helpdesk.js';
import { HandoffService } from './handoff-service.js';
import { OpeningHours } from './opening-hours.js';
import { frenchPublicHolidays } from './public-holidays.js';
import { VolunteerTexts } from './volunteer-texts.js';
import { CONTENT_DIR } from '../paths.js';

/** What the turns need to know of the helpdesk: who reads, when, and how long conversations are kept. */
export function handoffSettings(config: HelpdeskConfig, timeZone: string): HandoffSettings {
  return {
    kind: config.kind,
    organisation: config.organisation,
    hours: new OpeningHours(config.hours, timeZone, frenchPublicHolidays()),
    timeZone,
    retentionDays: config.retentionDays,
  };
}

/** The helpdesk as configured; a Telegram group speaks through the bot of TELEGRAM_BOT_TOKEN. */
export function helpdeskFromConfig(config: HelpdeskConfig, telegram: TelegramConfig | undefined, maxFileBytes: number, logger: Logger): Helpdesk {
  if (config.kind === 'telegram-group') {
    if (!telegram) throw new Error('HELPDESK=telegram-group needs TELEGRAM_BOT_TOKEN');
    return new TelegramGroupHelpdesk({ token: telegram.token, apiRoot: telegram.apiRoot, chatId: config.telegramGroup.chatId, maxFileBytes, logger });
  }
  return new ChatwootHelpdesk({ ...config.chatwoot, timeoutMs: 10_000, maxFileBytes, webhookPort: config.port, webhookHost: config.host, logger });
}

export interface HelpdeskParts {
  readonly helpdesk: Helpdesk;
  readonly settings: HandoffSettings;
  readonly firstResponseMs: number;
  readonly store: Store;
  readonly engine: Engine;
  readonly renderer: Renderer;
  readonly outbox: Outbox;
  readonly vault: Vault;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly contentDir?: string;
}

/** The service between people and volunteers, started: webhooks listening, passes scheduled. */
export async function startHandoffService(parts: HelpdeskParts, intervals?: Parameters<HandoffService['start']>[0]): Promise<HandoffService> {
  const service = new HandoffService({
    ...parts,
    texts: VolunteerTexts.load(parts.contentDir ?? CONTENT_DIR),
    startFlowFor: (personId, key, flow, params) => parts.engine.startFlowFor(personId, key, flow, params),
  });
  await service.start(intervals);
  return service;
}
