import type { TelegramConfig } from '../../config/config.js';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/ports.js';
import { createTelegramChannel, type TelegramOptions } from './telegram-channel.js';

/** The Telegram channel as configured, marking people who block the bot as unreachable in the store. */
export function telegramChannelFromConfig(telegram: TelegramConfig, maxAttachmentBytes: number, store: Store, logger: Logger, withWebhook = true, group?: TelegramOptions['group']) {
  return createTelegramChannel({
    token: telegram.token,
    apiRoot: telegram.apiRoot,
    ...(withWebhook && telegram.webhook ? { webhook: telegram.webhook } : {}),
    maxAttachmentBytes,
    logger,
    onUnreachable: (address) => store.people.markUnreachable('telegram', address, Date.now()),
    ...(group ? { group } : {}),
  });
}
