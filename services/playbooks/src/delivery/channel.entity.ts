import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EmailRecipients } from '../domain/email-recipients';

@Entity({ name: 'channel' })
export class ChannelEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column() type: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  /** Webhook and Slack channels: where to POST. */
  @Column({ type: 'text', nullable: true }) url: string | null;
  /** Email channels: "owner" (the account's CSM owner) or a list of addresses, which may include "owner". */
  @Column({ type: 'jsonb', nullable: true }) emailTo: EmailRecipients | null;
  /** Signing secret, encrypted (SecretBox); never returned, never logged. */
  @Column({ type: 'text', nullable: true }) sealedSecret: string | null;
  @Column() minSeverity: string;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
