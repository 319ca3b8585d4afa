/**
 * Channel-neutral messages. Channel adapters turn platform payloads into
 * InboundMessage and OutboundMessage into platform calls; the engine sees
 * nothing else.
 */

export type ChannelName = 'terminal' | 'telegram' | 'whatsapp' | 'sms';

/** Where a message came from and where replies go. `address` is personal data: never log it. */
export interface Address {
  readonly channel: ChannelName;
  readonly address: string;
}

interface InboundBase extends Address {
  /** The platform's id for this message; the same id is never handled twice. */
  readonly messageId: string;
  /** Language the person's app is set to (Telegram), used to preselect the picker. */
  readonly languageHint?: string;
  /**
   * Another identity of the same sender (WhatsApp's phone-number JID when the
   * message came from an `@lid` identity). Kept as an attribute only: replies
   * go to `address`. Personal data: never logged.
   */
  readonly alternateAddress?: string;
  /** The sender's public username (Telegram): shown to a person asked to accept them as a helper. */
  readonly username?: string;
}

/**
 * A photo or file sent in the chat. The channel checks size and type before
 * downloading; `problem` says why it was not accepted, otherwise `load`
 * downloads it (once needed).
 */
export interface InboundAttachment {
  readonly mediaType: 'photo' | 'document';
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly size: number | null;
  readonly problem?: 'too-large' | 'unsupported';
  load(): Promise<Uint8Array>;
}

export type InboundMessage =
  | (InboundBase & { readonly kind: 'text'; readonly text: string })
  /** A tap on a button: `token` ties it to the question it answered, `option` is the number shown. */
  | (InboundBase & { readonly kind: 'choice'; readonly token: string; readonly option: number })
  /** The person opened the chat (terminal start, Telegram /start): show where they are, answer nothing. */
  | (InboundBase & { readonly kind: 'open' })
  | (InboundBase & { readonly kind: 'attachment'; readonly attachment: InboundAttachment });

export interface OutboundOption {
  /** The number shown before the label; 0 is the main menu. */
  readonly number: number;
  readonly label: string;
  /**
   * On text channels, the line shown instead of "number. label": where a
   * question expects a typed answer, a typed number is the answer, so "Back"
   * is offered as a word to type. Buttons still carry `number`.
   */
  readonly typed?: string;
  /** One more line under the label (text channels) or beside it in the message (buttons). */
  readonly detail?: string;
}

export type TextDirection = 'ltr' | 'rtl';

export type OutboundMessage =
  | { readonly kind: 'text'; readonly text: string; readonly direction: TextDirection }
  | {
      readonly kind: 'question';
      readonly text: string;
      readonly options: readonly OutboundOption[];
      /** Short id of this question, echoed back by channels with buttons. */
      readonly token: string;
      readonly direction: TextDirection;
    }
  /** A file for the person to keep or print: a PDF, or a photo (sent as a picture where the channel can). */
  | {
      readonly kind: 'document';
      readonly fileName: string;
      readonly mimeType: OutboundFileType;
      readonly bytes: Uint8Array;
    };

export type OutboundFileType = 'application/pdf' | 'application/zip' | 'image/jpeg' | 'image/png' | 'image/webp' | 'image/heic';

/** Files every chat app shows as a picture; anything else (WebP, HEIC) is sent as a file so it arrives intact. */
export function sentAsPhoto(mimeType: OutboundFileType): boolean {
  return mimeType === 'image/jpeg' || mimeType === 'image/png';
}

/** Sends rendered replies through the channel the person used. */
export interface Outbox {
  send(to: Address, messages: readonly OutboundMessage[]): Promise<void>;
  /**
   * The person erased everything: a channel that keeps anything of its own
   * about them (the terminal keeps the PDFs it wrote) removes it too.
   */
  forget?(to: Address): Promise<void>;
  /**
   * A message nobody asked for just now (a reminder). Channels that must pace
   * such messages (WhatsApp) do so; false means "not today": try later.
   */
  sendProactive?(to: Address, messages: readonly OutboundMessage[]): Promise<boolean>;
}
