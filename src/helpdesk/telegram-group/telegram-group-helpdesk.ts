import { Api, GrammyError, InputFile } from 'grammy';
import type { Message } from 'grammy/types';
import type { Logger } from '../../log/logger.js';
import type { FromVolunteer, Helpdesk, HelpdeskConversationStart, HelpdeskEvents, HelpdeskFile, HelpdeskOpened, ToVolunteers } from '../helpdesk.js';
import { retryTransformer } from '../../channels/telegram/telegram-retry.js';

export interface TelegramGroupOptions {
  readonly token: string;
  readonly apiRoot: string;
  /** The volunteers' supergroup, with topics turned on; the bot is an admin allowed to manage topics. */
  readonly chatId: number;
  readonly maxFileBytes: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** Downloads a file of a group message (the Telegram channel's own loader). */
export type GroupFileLoader = (fileId: string) => Promise<Uint8Array>;

/** How long a volunteer's membership, once checked, is trusted. */
const MEMBERSHIP_TTL_MS = 10 * 60_000;
/** Members remembered at most (bounded: a stranger flood cannot grow it). */
const MAX_MEMBERS_CACHED = 1_000;
const MEMBER_STATUSES = new Set(['creator', 'administrator', 'member']);
/** Telegram's limit on a topic's name. */
const TOPIC_NAME_MAX = 128;
const CLOSE_COMMAND = /^\/close(@\w+)?\s*$/i;

/**
 * The volunteers' helpdesk for a small association with no server: a
 * Telegram supergroup with topics. One topic per conversation, named with the
 * pseudonym, language and route; the summary is its first message; a
 * volunteer answers in the topic, and `/close` closes it. Only messages of
 * the group's members are relayed. It works whichever channel the person
 * uses; the group's messages reach Guichet through the bot's own updates
 * (the Telegram channel hands them here).
 */
export class TelegramGroupHelpdesk implements Helpdesk {
  readonly kind = 'telegram-group' as const;
  private readonly api: Api;
  private events: HelpdeskEvents | undefined;
  private readonly members = new Map<number, { member: boolean; until: number }>();
  /** The group's messages, handled one after another: a photo and the words after it arrive in order. */
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: TelegramGroupOptions) {
    this.api = new Api(options.token, { apiRoot: options.apiRoot });
    this.api.config.use(retryTransformer({ maxRetries: 3, maxRetryAfterSeconds: 60, baseDelayMs: 500 }));
  }

  get chatId(): number {
    return this.options.chatId;
  }

  async start(events: HelpdeskEvents): Promise<void> {
    this.events = events;
  }

  async stop(): Promise<void> {
    this.events = undefined;
  }

  async open(start: HelpdeskConversationStart): Promise<HelpdeskOpened> {
    const name = [start.pseudonym, start.language, start.route ?? 'menu'].join(' · ').slice(0, TOPIC_NAME_MAX);
    const topic = await this.api.createForumTopic(this.options.chatId, name);
    await this.api.sendMessage(this.options.chatId, start.summary, { message_thread_id: topic.message_thread_id });
    return { conversationId: String(topic.message_thread_id), data: null };
  }

  async reopen(conversationId: string): Promise<void> {
    await this.ignoring(['TOPIC_NOT_MODIFIED'], () => this.api.reopenForumTopic(this.options.chatId, Number(conversationId)));
  }

  async post(conversationId: string, _data: string | null, message: ToVolunteers): Promise<void> {
    const thread = { message_thread_id: Number(conversationId) };
    if (!message.file) {
      await this.api.sendMessage(this.options.chatId, message.text ?? '', thread);
      return;
    }
    const file = new InputFile(message.file.bytes, message.file.fileName);
    const caption = message.text ? { caption: message.text } : {};
    if (message.file.mimeType === 'image/jpeg' || message.file.mimeType === 'image/png') await this.api.sendPhoto(this.options.chatId, file, { ...thread, ...caption });
    else await this.api.sendDocument(this.options.chatId, file, { ...thread, ...caption });
  }

  async note(conversationId: string, _data: string | null, text: string): Promise<void> {
    await this.api.sendMessage(this.options.chatId, `📌 ${text}`, { message_thread_id: Number(conversationId) });
  }

  async close(conversationId: string): Promise<void> {
    await this.ignoring(['TOPIC_NOT_MODIFIED'], () => this.api.closeForumTopic(this.options.chatId, Number(conversationId)));
  }

  /** The topic and every message in it, gone from the group. */
  async erase(conversationId: string): Promise<void> {
    await this.ignoring(['TOPIC_ID_INVALID', 'not found'], () => this.api.deleteForumTopic(this.options.chatId, Number(conversationId)));
  }

  /** Bots cannot read a topic's state; closing is `/close`, which comes with the updates. */
  async isClosed(): Promise<boolean> {
    return false;
  }

  /** Bots cannot read a topic's history: what Telegram delivered is all there is. */
  async volunteerMessages(): Promise<FromVolunteer[]> {
    return [];
  }

  /** A message of the volunteers' group, from the bot's updates, handled after the ones before it. */
  receive(message: Message, loadFile: GroupFileLoader): Promise<void> {
    const next = this.queue.then(() => this.handle(message, loadFile));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async handle(message: Message, loadFile: GroupFileLoader): Promise<void> {
    const events = this.events;
    const thread = message.message_thread_id;
    const from = message.from;
    if (!events || !thread || !message.is_topic_message || !from || from.is_bot) return;
    if (!(await this.isMember(from.id))) {
      this.options.logger.warn('telegram group: a message from someone not in the group was not relayed');
      return;
    }
    const text = message.text ?? message.caption ?? null;
    if (text && CLOSE_COMMAND.test(text)) {
      await this.close(String(thread));
      return events.closed(String(thread));
    }
    const file = await this.fileOf(message, loadFile);
    if (!text && !file) return;
    await events.volunteerMessage({ messageId: String(message.message_id), conversationId: String(thread), firstName: from.first_name, text, file });
  }

  private async isMember(userId: number): Promise<boolean> {
    const now = (this.options.now ?? Date.now)();
    const known = this.members.get(userId);
    if (known && known.until > now) return known.member;
    // A failed check is not remembered: the next message asks Telegram again.
    const member = MEMBER_STATUSES.has((await this.api.getChatMember(this.options.chatId, userId)).status);
    if (this.members.size >= MAX_MEMBERS_CACHED) this.members.delete(this.members.keys().next().value!);
    this.members.set(userId, { member, until: now + MEMBERSHIP_TTL_MS });
    return member;
  }

  private async fileOf(message: Message, loadFile: GroupFileLoader): Promise<HelpdeskFile | null> {
    const photo = message.photo?.at(-1);
    const document = message.document;
    const chosen = photo
      ? { id: photo.file_id, size: photo.file_size, name: `photo-${message.message_id}.jpg`, mime: 'image/jpeg' }
      : document
        ? { id: document.file_id, size: document.file_size, name: document.file_name ?? `document-${message.message_id}`, mime: document.mime_type ?? 'application/octet-stream' }
        : undefined;
    if (!chosen || (chosen.size ?? 0) > this.options.maxFileBytes) return null;
    try {
      const bytes = await loadFile(chosen.id);
      return bytes.byteLength > this.options.maxFileBytes ? null : { fileName: chosen.name, mimeType: chosen.mime, bytes };
    } catch {
      return null;
    }
  }

  private async ignoring(descriptions: readonly string[], call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      if (error instanceof GrammyError && descriptions.some((d) => error.description.includes(d))) return;
      throw error;
    }
  }
}
