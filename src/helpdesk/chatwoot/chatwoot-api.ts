import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
import type { FromVolunteer, HelpdeskConversationStart, HelpdeskFile, HelpdeskOpened, ToVolunteers } from '../helpdesk.js';

export interface ChatwootSettings {
  /** The Chatwoot installation, without a trailing slash. */
  readonly url: string;
  readonly accountId: string;
  /** An agent's or an agent bot's access token, for notes, status and reading. */
  readonly apiToken: string;
  /** The API inbox's identifier: the public API writes the person's messages through it. */
  readonly inboxIdentifier: string;
  readonly timeoutMs: number;
  /** Largest attachment fetched from a volunteer's message. */
  readonly maxFileBytes: number;
}

/** What Guichet keeps of the Chatwoot contact, to write in the conversation again. */
const contactData = z.object({ contactId: z.number(), sourceId: z.string().min(1) });
type ContactData = z.infer<typeof contactData>;

const createdContact = z.object({ id: z.number(), source_id: z.string().min(1) });
const createdConversation = z.object({ id: z.number() });

/** A message as the application API lists it and as a webhook reports it (types as numbers there, words here). */
export const chatwootMessage = z.object({
  id: z.union([z.number(), z.string()]),
  content: z.string().nullish(),
  message_type: z.union([z.number(), z.string()]),
  private: z.boolean().nullish(),
  sender_type: z.string().nullish(),
  sender: z.object({ name: z.string().nullish(), type: z.string().nullish() }).passthrough().nullish(),
  attachments: z.array(z.object({ data_url: z.string().nullish(), file_type: z.string().nullish() }).passthrough()).nullish(),
  conversation_id: z.union([z.number(), z.string()]).nullish(),
});
export type ChatwootMessage = z.infer<typeof chatwootMessage>;

/**
 * A human volunteer's reply the person should get: outgoing, not a private
 * note, written by a user (not an agent bot, not an automation), with text or a file.
 */
export function isVolunteerReply(m: ChatwootMessage): boolean {
  const outgoing = m.message_type === 1 || m.message_type === 'outgoing';
  const byHuman = (m.sender_type ?? m.sender?.type ?? '').toLowerCase() === 'user';
  return outgoing && m.private !== true && byHuman && (Boolean(m.content?.trim()) || (m.attachments?.length ?? 0) > 0);
}

/** "Claire Dupont" → "Claire": the person sees the volunteer's first name only. */
export function firstNameOf(name: string | null | undefined): string {
  return (name ?? '').trim().split(/\s+/)[0] || 'Bénévole';
}

/**
 * Chatwoot over HTTP: the public API of an API inbox for what the person
 * writes (it arrives as incoming messages), the application API for notes,
 * status, reading and erasing. The contact is the pseudonym only.
 */
export class ChatwootApi {
  private readonly http: AxiosInstance;

  constructor(private readonly settings: ChatwootSettings) {
    this.http = axios.create({ baseURL: settings.url, timeout: settings.timeoutMs, maxContentLength: 1024 * 1024, maxRedirects: 0 });
  }

  private get account() {
    return `/api/v1/accounts/${encodeURIComponent(this.settings.accountId)}`;
  }

  private get inbox() {
    return `/public/api/v1/inboxes/${encodeURIComponent(this.settings.inboxIdentifier)}`;
  }

  private get auth() {
    return { headers: { api_access_token: this.settings.apiToken } };
  }

  async open(start: HelpdeskConversationStart): Promise<HelpdeskOpened> {
    const attributes = { language: start.language, departement: start.departement ?? '', route: start.route ?? '' };
    const contact = createdContact.parse(
      (await this.http.post(`${this.inbox}/contacts`, { name: start.pseudonym, custom_attributes: { language: start.language, departement: start.departement ?? '' } })).data,
    );
    const data: ContactData = { contactId: contact.id, sourceId: contact.source_id };
    const conversation = createdConversation.parse(
      (await this.http.post(`${this.inbox}/contacts/${encodeURIComponent(contact.source_id)}/conversations`, { custom_attributes: attributes })).data,
    );
    const conversationId = String(conversation.id);
    try {
      await this.note(conversationId, start.summary);
    } catch (error) {
      // Half made (a wrong token refuses notes): removed, so the next pass does not add another copy.
      await this.erase(conversationId, JSON.stringify(data)).catch(() => undefined);
      throw error;
    }
    return { conversationId, data: JSON.stringify(data) };
  }

  async post(conversationId: string, data: string | null, message: ToVolunteers): Promise<void> {
    const { sourceId } = parseData(data);
    const path = `${this.inbox}/contacts/${encodeURIComponent(sourceId)}/conversations/${encodeURIComponent(conversationId)}/messages`;
    if (!message.file) {
      await this.http.post(path, { content: message.text ?? '' });
      return;
    }
    const form = new FormData();
    if (message.text) form.append('content', message.text);
    form.append('attachments[]', new Blob([new Uint8Array(message.file.bytes)], { type: message.file.mimeType }), message.file.fileName);
    await this.http.post(path, form, { maxBodyLength: message.file.bytes.byteLength + 64 * 1024 });
  }

  async note(conversationId: string, text: string): Promise<void> {
    await this.http.post(`${this.account}/conversations/${encodeURIComponent(conversationId)}/messages`, { content: text, message_type: 'outgoing', private: true }, this.auth);
  }

  async setStatus(conversationId: string, status: 'open' | 'resolved'): Promise<void> {
    await this.http.post(`${this.account}/conversations/${encodeURIComponent(conversationId)}/toggle_status`, { status }, this.auth);
  }

  /** The conversation and the contact, gone from Chatwoot; already gone is done. */
  async erase(conversationId: string, data: string | null): Promise<void> {
    await this.ignoringNotFound(() => this.http.delete(`${this.account}/conversations/${encodeURIComponent(conversationId)}`, this.auth));
    if (data) await this.ignoringNotFound(() => this.http.delete(`${this.account}/contacts/${parseData(data).contactId}`, this.auth));
  }

  async status(conversationId: string): Promise<string> {
    const response = await this.http.get(`${this.account}/conversations/${encodeURIComponent(conversationId)}`, this.auth);
    return z.object({ status: z.string() }).passthrough().parse(response.data).status;
  }

  async messages(conversationId: string): Promise<ChatwootMessage[]> {
    const response = await this.http.get(`${this.account}/conversations/${encodeURIComponent(conversationId)}/messages`, this.auth);
    const payload = z.object({ payload: z.array(z.unknown()) }).parse(response.data).payload;
    return payload.flatMap((m) => {
      const parsed = chatwootMessage.safeParse(m);
      return parsed.success ? [parsed.data] : [];
    });
  }

  /** A volunteer's message as the person will get it, the first attachment fetched within the size limit. */
  async toFromVolunteer(conversationId: string, m: ChatwootMessage): Promise<FromVolunteer> {
    const attachment = m.attachments?.find((a) => a.data_url);
    const file = attachment?.data_url ? await this.fetchFile(attachment.data_url, attachment.file_type ?? 'file') : null;
    return {
      messageId: String(m.id),
      conversationId,
      firstName: firstNameOf(m.sender?.name),
      text: m.content?.trim() ? m.content : null,
      file,
      ...(attachment?.data_url && !file ? { fileLost: true } : {}),
    };
  }

  private async fetchFile(url: string, fileType: string): Promise<HelpdeskFile | null> {
    if (!/^https?:\/\//i.test(url)) return null;
    try {
      const response = await this.http.get<ArrayBuffer>(url, { responseType: 'arraybuffer', maxContentLength: this.settings.maxFileBytes, baseURL: undefined, maxRedirects: 3 });
      const mimeType = String(response.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!;
      const name = decodeURIComponent(new URL(url, this.settings.url).pathname.split('/').pop() || fileType);
      return { fileName: name, mimeType, bytes: new Uint8Array(response.data) };
    } catch {
      // Too large or unreachable: the text still goes, and the volunteers are told the file did not.
      return null;
    }
  }

  private async ignoringNotFound(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (axios.isAxiosError(error) && error.response?.status === 404) return;
      throw error;
    }
  }
}

function parseData(data: string | null): ContactData {
  return contactData.parse(JSON.parse(data ?? 'null'));
}
