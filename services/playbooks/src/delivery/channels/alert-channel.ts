import { AlertNotice } from '../../domain/alert-payloads';
import { SendResult } from '../../domain/delivery-policy';
import { EmailRecipients } from '../../domain/email-recipients';
import { SecretBox } from '@cairn/auth';
import { PlaybooksConfig } from '../../config';

/** What POST /channels says about where alerts go (validated by the kind's channel). */
export interface ChannelSettings {
  url?: string;
  to?: EmailRecipients;
  secret?: string;
}

/** Where a channel row sends: `url` or `emailTo`, whichever its kind uses. */
export interface ChannelTarget {
  url: string | null;
  emailTo: EmailRecipients | null;
}

/** One claimed delivery, with what its channel row and the alert's account say now. */
export interface PendingDelivery {
  id: string;
  workspaceId: string;
  alertId: string;
  /** What `render` produced when the alert was raised: every retry sends the same bytes. */
  body: string;
  attempts: number;
  url: string | null;
  emailTo: EmailRecipients | null;
  sealedSecret: string | null;
  /** The account's CSM owner now; only looked up for kinds with `needsAccountOwner`. */
  csmOwner: string | null;
}

/** The outcome of one attempt: what the delivery log records, and whether to try again. */
export interface ChannelAttempt {
  /** The HTTP status or SMTP reply code, when there was an answer. */
  statusCode: number | null;
  /** What went wrong (or a note on a partial success); never a credential. */
  error: string | null;
  result: SendResult;
}

/** What every channel may use; built once per service. */
export interface ChannelContext {
  config: PlaybooksConfig;
  box: SecretBox;
  requestTimeoutMs: number;
}

/**
 * One kind of alert channel. To add a kind, write one `<kind>.channel.ts` exporting a
 * ChannelFactory and list it in channel.registry.ts; nothing else branches on the kind.
 */
export interface AlertChannel {
  /** The `type` of POST /channels and of the channel and delivery rows. */
  readonly kind: string;
  /** Signing: a webhook gets a generated secret unless one is given; 'optional' signs when given; 'none' refuses one. */
  readonly signing: 'generated' | 'optional' | 'none';
  /** Whether `send` needs the account's current CSM owner (PendingDelivery.csmOwner). */
  readonly needsAccountOwner: boolean;
  /** Problems with the settings for this kind, each naming its field; [] when it can be created. */
  validate(settings: ChannelSettings): Promise<string[]>;
  /** What the channel row stores of valid settings. */
  target(settings: ChannelSettings): ChannelTarget;
  /** The target as GET /channels shows it: credentials masked. */
  describe(target: ChannelTarget): string | null;
  /** The target as logs name it (a host, never a credential). */
  logTarget(d: PendingDelivery): string;
  /** The exact body stored with the delivery (and signed, where signed). */
  render(notice: AlertNotice): string;
  /** One attempt; never throws for the counterpart's failures, classifies them instead. */
  send(d: PendingDelivery): Promise<ChannelAttempt>;
  /** Releases connections at shutdown. */
  close?(): void;
}

export type ChannelFactory = (context: ChannelContext) => AlertChannel;
