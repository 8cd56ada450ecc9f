import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A call that was refused, with why, so nothing is silently dropped. */
@Entity({ name: 'quarantine' })
export class QuarantineEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column({ type: 'timestamptz' }) receivedAt: Date;
  @Column({ type: 'text', nullable: true }) sourceId: string | null;
  @Column({ type: 'text', nullable: true }) messageId: string | null;
  @Column() reason: string;
  @Column({ type: 'jsonb' }) payload: unknown;
}
