import type { Address, ChannelName, OutboundMessage, Outbox } from '../messages.js';
import type { Channel } from './channel.js';

/** Routes each reply to the channel the person used. One line per channel where they are created (main.ts). */
export class ChannelRegistry implements Outbox {
  private readonly channels = new Map<ChannelName, Channel>();

  add(channel: Channel): this {
    this.channels.set(channel.name, channel);
    return this;
  }

  all(): Channel[] {
    return [...this.channels.values()];
  }

  /** The channels this process runs: the reminders its pump may take. */
  names(): ChannelName[] {
    return [...this.channels.keys()];
  }

  async sendProactive(to: Address, messages: readonly OutboundMessage[]): Promise<boolean> {
    const channel = this.channels.get(to.channel);
    if (!channel) throw new Error(`no channel ${to.channel} is running`);
    if (channel.sendProactive) return channel.sendProactive(to.address, messages);
    await channel.send(to.address, messages);
    return true;
  }

  async forget(to: Address): Promise<void> {
    await this.channels.get(to.channel)?.forget?.(to.address);
  }

  async send(to: Address, messages: readonly OutboundMessage[]): Promise<void> {
    const channel = this.channels.get(to.channel);
    if (!channel) throw new Error(`no channel ${to.channel} is running`);
    await channel.send(to.address, messages);
  }
}
