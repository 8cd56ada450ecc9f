import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'channel' })
export class ChannelEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column() type: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column() url: string;
  /** Signing secret, encrypted (SecretBox); never returned, never logged. */
  @Column({ type: 'text', nullable: true }) sealedSecret: string | null;
  @Column() minSeverity: string;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) deletedAt: Date | null;
}
