import type { CallLog, DocumentRequest, LetterDetails, StatementDetails } from '../../machines/lib/intents.js';
import type { DocumentTexts } from '../content/load-documents.js';
import type { Renderer } from '../engine/render.js';
import { renderCallLogRecord } from './call-log-record.js';
import { writePdf, type Block } from './pdf-writer.js';

export interface MadeDocument {
  readonly fileName: string;
  readonly bytes: Uint8Array;
}

export interface DocumentMaker {
  make(request: DocumentRequest, today: string): Promise<MadeDocument>;
}

/**
 * The French papers Guichet writes for people: the registered letter asking
 * for an appointment, the statement that the online service cannot be used,
 * and the call record. Texts come from content/documents/fr.json; the person's
 * answers fill them in.
 */
export function createDocumentMaker(renderer: Renderer, texts: DocumentTexts): DocumentMaker {
  const t = (key: string, params?: Record<string, unknown>) => renderer.t('fr', `documents:${key}`, params);
  const date = (iso: string) => renderer.formatDate('fr', iso);

  function letter(d: LetterDetails, today: string): Block[] {
    const request = t(`requests.${d.request}`);
    return [
      { kind: 'line', text: `${d.givenNames} ${d.surname}`, bold: true },
      { kind: 'line', text: t('common.born_on', { date: date(d.birthDate) }) },
      { kind: 'line', text: d.street },
      { kind: 'line', text: `${d.postcode} ${d.town}` },
      ...(d.foreignerNumber ? [{ kind: 'line', text: t('common.foreigner_number', { number: d.foreignerNumber }) } as const] : []),
      { kind: 'space', lines: 1.5 },
      { kind: 'line', text: t('letter.recipient_title'), align: 'right' },
      { kind: 'line', text: t('letter.recipient_prefecture', { departement: d.prefecture.departementName, code: d.prefecture.departementCode }), align: 'right' },
      { kind: 'line', text: t('letter.recipient_address'), align: 'right' },
      { kind: 'line', text: t('letter.recipient_city', { city: d.prefecture.prefectureCity }), align: 'right' },
      { kind: 'space', lines: 1.5 },
      { kind: 'line', text: t('common.place_date', { town: d.town, date: date(today) }), align: 'right' },
      { kind: 'space' },
      { kind: 'line', text: t('letter.registered'), bold: true },
      { kind: 'line', text: t('letter.subject', { request }), bold: true },
      { kind: 'space' },
      { kind: 'paragraph', text: t('letter.salutation') },
      ...texts.letter.body.map((_, i): Block => ({ kind: 'paragraph', text: t(`letter.body.${i}`, { request }) })),
      { kind: 'paragraph', text: t('letter.closing') },
      { kind: 'space', lines: 2 },
      { kind: 'line', text: `${d.givenNames} ${d.surname}`, align: 'right' },
      { kind: 'line', text: t('common.signature'), align: 'right' },
    ];
  }

  function statement(d: StatementDetails, today: string): Block[] {
    return [
      { kind: 'line', text: t('statement.title'), bold: true, align: 'center' },
      { kind: 'line', text: t('statement.subtitle'), align: 'center' },
      { kind: 'space', lines: 2 },
      { kind: 'paragraph', text: t('statement.declarant', { givenNames: d.givenNames, surname: d.surname, birthDate: date(d.birthDate) }) },
      { kind: 'paragraph', text: t('statement.declare') },
      ...d.reasons.map((r): Block => ({ kind: 'bullet', text: t(`statement.reasons.${r}`) })),
      { kind: 'space' },
      { kind: 'paragraph', text: t('statement.request') },
      { kind: 'paragraph', text: t('statement.acknowledge') },
      { kind: 'space', lines: 2 },
      { kind: 'line', text: t('common.place_date', { town: d.signTown, date: date(today) }), align: 'right' },
      { kind: 'line', text: t('common.signature'), align: 'right' },
    ];
  }

  function callLog(log: CallLog, today: string): Block[] {
    const [title, ...lines] = renderCallLogRecord(renderer, log, today).split('\n');
    return [{ kind: 'line', text: title!, bold: true, align: 'center' }, { kind: 'space', lines: 1.5 }, ...lines.map((text): Block => (text ? { kind: 'line', text } : { kind: 'space' }))];
  }

  return {
    async make(request, today) {
      const createdAt = new Date(`${today}T12:00:00Z`);
      switch (request.document) {
        case 'letter':
          return { fileName: `lettre-prefecture-${today}.pdf`, bytes: await writePdf(t('letter.subject', { request: t(`requests.${request.data.request}`) }), letter(request.data, today), createdAt) };
        case 'statement':
          return { fileName: `declaration-impossibilite-en-ligne-${today}.pdf`, bytes: await writePdf(t('statement.title'), statement(request.data, today), createdAt) };
        case 'call-log':
          return { fileName: `compte-rendu-appel-${request.data.date}.pdf`, bytes: await writePdf(t('call_log.title'), callLog(request.data, today), createdAt) };
      }
    },
  };
}
