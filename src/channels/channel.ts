import type { ChannelName, InboundMessage, OutboundMessage } from '../messages.js';

export type InboundHandler = (message: InboundMessage) => Promise<void>;

/**
 * A channel knows its platform and nothing else: it turns platform input into
 * InboundMessage for the handler and sends OutboundMessage to an address.
 */
export interface Channel {
  readonly name: ChannelName;
  /** Start receiving. Resolves when the channel has stopped (end of input, shutdown). */
  run(handler: InboundHandler): Promise<void>;
  send(address: string, messages: readonly OutboundMessage[]): Promise<void>;
  /** Stop taking new input; messages already received are still handled. */
  stop(): Promise<void>;
  /** Paced sending of reminders where the platform needs it (WhatsApp); see Outbox.sendProactive. */
  sendProactive?(address: string, messages: readonly OutboundMessage[]): Promise<boolean>;
  /** Remove what this channel itself keeps about an address (files it wrote); see Outbox.forget. */
  forget?(address: string): Promise<void>;
}
