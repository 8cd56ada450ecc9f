import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'write_key' })
export class WriteKeyEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column() name: string;
  /** SHA-256 of the key; the clear key is never stored. */
  @Column({ select: false }) keyHash: string;
  /** Last characters of the key, so people can tell keys apart. */
  @Column() keyHint: string;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) revokedAt: Date | null;
  /** Browser origins allowed to send with this key (exact `scheme://host[:port]`); null = any origin. */
  @Column({ type: 'text', array: true, nullable: true }) allowedOrigins: string[] | null;
}
