import type { Logger } from '../../log/logger.js';
import type { FromVolunteer, Helpdesk, HelpdeskConversationStart, HelpdeskEvents, HelpdeskOpened, ToVolunteers } from '../helpdesk.js';
import { ChatwootApi, isVolunteerReply, type ChatwootSettings } from './chatwoot-api.js';
import { ChatwootWebhookReceiver, type ChatwootEvent } from './chatwoot-webhook.js';

export interface ChatwootHelpdeskOptions extends ChatwootSettings {
  readonly webhookSecret: string;
  readonly webhookPort: number;
  readonly webhookHost: string;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * The volunteers' Chatwoot, through an API inbox: the person's messages go in
 * as incoming messages of a pseudonymous contact, the summary as a private
 * note; a human agent's public replies and the conversation's resolution come
 * back by webhook, and are read again by `volunteerMessages` when a webhook
 * was lost.
 */
export class ChatwootHelpdesk implements Helpdesk {
  readonly kind = 'chatwoot' as const;
  private readonly api: ChatwootApi;
  private receiver: ChatwootWebhookReceiver | undefined;
  private port: number | undefined;

  constructor(private readonly options: ChatwootHelpdeskOptions) {
    this.api = new ChatwootApi(options);
  }

  /** Where the webhook listens (0 in the settings picks a free port, for tests). */
  listeningPort(): number | undefined {
    return this.port;
  }

  async start(events: HelpdeskEvents): Promise<void> {
    this.receiver = new ChatwootWebhookReceiver(
      { secret: this.options.webhookSecret, port: this.options.webhookPort, host: this.options.webhookHost, logger: this.options.logger, ...(this.options.now ? { now: this.options.now } : {}) },
      (event) => this.dispatch(event, events),
    );
    this.port = await this.receiver.start();
  }

  async stop(): Promise<void> {
    await this.receiver?.stop();
  }

  /** Resolves once every webhook received so far has been handled. */
  idle(): Promise<void> {
    return this.receiver?.idle() ?? Promise.resolve();
  }

  open(start: HelpdeskConversationStart): Promise<HelpdeskOpened> {
    return this.api.open(start);
  }

  reopen(conversationId: string, _data: string | null): Promise<void> {
    return this.api.setStatus(conversationId, 'open');
  }

  post(conversationId: string, data: string | null, message: ToVolunteers): Promise<void> {
    return this.api.post(conversationId, data, message);
  }

  note(conversationId: string, _data: string | null, text: string): Promise<void> {
    return this.api.note(conversationId, text);
  }

  close(conversationId: string, _data: string | null): Promise<void> {
    return this.api.setStatus(conversationId, 'resolved');
  }

  erase(conversationId: string, data: string | null): Promise<void> {
    return this.api.erase(conversationId, data);
  }

  async isClosed(conversationId: string): Promise<boolean> {
    return (await this.api.status(conversationId)) === 'resolved';
  }

  async volunteerMessages(conversationId: string): Promise<FromVolunteer[]> {
    const replies = (await this.api.messages(conversationId)).filter(isVolunteerReply);
    const out: FromVolunteer[] = [];
    for (const m of replies) out.push(await this.api.toFromVolunteer(conversationId, m));
    return out;
  }

  private async dispatch(event: ChatwootEvent, events: HelpdeskEvents): Promise<void> {
    if (event.kind === 'status') {
      if (event.status === 'resolved') await events.closed(event.conversationId);
      return;
    }
    if (isVolunteerReply(event.message)) await events.volunteerMessage(await this.api.toFromVolunteer(event.conversationId, event.message));
  }
}
