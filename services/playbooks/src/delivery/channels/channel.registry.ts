import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { SecretBox } from '@cairn/auth';
import { PlaybooksConfig } from '../../config';
import { AlertChannel, ChannelFactory } from './alert-channel';
import { emailChannel } from './email.channel';
import { slackChannel } from './slack.channel';
import { teamsChannel } from './teams.channel';
import { webhookChannel } from './webhook.channel';

/** Every kind of alert channel; a new kind is one file and one line here. */
const CHANNEL_FACTORIES: ChannelFactory[] = [webhookChannel, slackChannel, emailChannel, teamsChannel];

/** The kinds POST /channels accepts, for the API description. */
export const CHANNEL_KINDS = ['webhook', 'slack', 'email', 'teams'] as const;

/** How long one HTTP or SMTP attempt may take. */
export const CHANNEL_REQUEST_TIMEOUT_MS = 10_000;

/** The alert channels by kind, built once with the service's settings. */
@Injectable()
export class ChannelRegistry implements OnApplicationShutdown {
  private readonly channels: ReadonlyMap<string, AlertChannel>;

  constructor(config: PlaybooksConfig, box: SecretBox) {
    const context = { config, box, requestTimeoutMs: CHANNEL_REQUEST_TIMEOUT_MS };
    this.channels = new Map(CHANNEL_FACTORIES.map((f) => f(context)).map((c) => [c.kind, c]));
  }

  get(kind: string): AlertChannel | undefined {
    return this.channels.get(kind);
  }

  kinds(): string[] {
    return [...this.channels.keys()];
  }

  /** The kinds whose deliveries need the account's current CSM owner. */
  kindsNeedingAccountOwner(): string[] {
    return [...this.channels.values()].filter((c) => c.needsAccountOwner).map((c) => c.kind);
  }

  onApplicationShutdown(): void {
    for (const c of this.channels.values()) c.close?.();
  }
}
