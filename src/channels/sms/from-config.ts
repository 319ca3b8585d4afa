import { createHmac, hkdfSync } from 'node:crypto';
import type { SmsConfig } from '../../config/config.js';
import type { Clock } from '../../engine/clock.js';
import type { Renderer } from '../../engine/render.js';
import type { Logger } from '../../log/logger.js';
import { zonedEpoch } from '../../reminders/local-time.js';
import type { Store } from '../../store/ports.js';
import { KannelSendsms } from './kannel-sendsms.js';
import { SMS_DLR_PATH, SmsChannel } from './sms-channel.js';

/** The SMS channel as SMS_* and KANNEL_* configure it. */
export function smsChannelFromConfig(config: SmsConfig, parts: { store: Store; renderer: Renderer; clock: Clock; timeZone: string; vaultKey: Buffer; logger: Logger }): SmsChannel {
  const { store, renderer, clock, timeZone, vaultKey, logger } = parts;
  // The log counts parts per number without keeping the number: an HMAC under a key derived from the vault key.
  const key = Buffer.from(hkdfSync('sha256', vaultKey, 'guichet', 'sms-budget', 32));
  const dlr = `${config.dlrBaseUrl}${SMS_DLR_PATH}?secret=${encodeURIComponent(config.receiveSecret)}`;
  const sendsms = new KannelSendsms({
    url: config.sendsmsUrl,
    username: config.username,
    password: config.password,
    from: config.from,
    // %d is Kannel's report type, filled in when the report comes.
    dlrUrl: (id) => `${dlr}&id=${encodeURIComponent(id)}&status=%d`,
  });
  return new SmsChannel({
    sendsms,
    log: store.sms,
    logger,
    now: () => clock.now(),
    host: config.receiveHost,
    port: config.receivePort,
    secret: config.receiveSecret,
    maxParts: config.maxParts,
    dailyParts: config.dailyPartsPerPerson,
    who: (address) => createHmac('sha256', key).update(address).digest('hex'),
    today: () => {
      const day = clock.today();
      return { day, start: zonedEpoch(day, '00:00', timeZone) };
    },
    budgetNotice: async (address) => {
      const personId = await store.people.resolveIdentity('sms', address, clock.now());
      const language = (await store.people.get(personId))?.language ?? 'fr';
      return renderer.forChannel('sms').t(language, 'sms.budget_reached');
    },
  });
}
