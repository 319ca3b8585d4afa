import type { CallLog } from '../../machines/lib/intents.js';
import type { Renderer } from '../engine/render.js';

/**
 * The French "compte-rendu d'appel": the call as a person would write it down
 * for a lawyer, an NGO or a judge. Always French: it is meant for them.
 */
export function renderCallLogRecord(renderer: Renderer, log: CallLog, writtenOn: string): string {
  const t = (key: string, params?: Record<string, unknown>) => renderer.t('fr', `documents:call_log.${key}`, params);
  const lines = [
    t('title'),
    t('date', { date: renderer.formatDate('fr', log.date) }),
    log.time ? t('time', { time: log.time.replace(':', ' h ') }) : t('time_unknown'),
    t('number', { number: log.number === 'anef' ? t('number_anef') : log.number }),
    log.agent ? t('agent', { agent: log.agent }) : t('agent_unknown'),
    t('outcome', { outcome: t(`outcomes.${log.outcome}`) }),
  ];
  if (log.notes) lines.push(t('notes', { notes: log.notes }));
  lines.push('', t('footer', { date: renderer.formatDate('fr', writtenOn) }));
  return lines.join('\n');
}
