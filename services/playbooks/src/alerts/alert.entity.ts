import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Cause } from '../domain/evaluation';

@Entity({ name: 'alert' })
export class AlertEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  /** playbookId:cause — unique per workspace: one alert per playbook and cause. */
  @Column() dedupeKey: string;
  @Column() accountId: string;
  @Column({ type: 'uuid' }) playbookId: string;
  @Column({ type: 'uuid', nullable: true }) taskId: string | null;
  @Column() severity: string;
  @Column() title: string;
  @Column() reason: string;
  /** Whose inbox it lands in: the account's CSM owner or a named person; null = everyone's. */
  @Column({ type: 'text', nullable: true }) recipient: string | null;
  @Column() recipientRule: string;
  @Column({ type: 'jsonb' }) cause: Cause;
  @Column() status: string;
  @Column({ type: 'text', nullable: true }) acknowledgedBy: string | null;
  @Column({ type: 'timestamptz', nullable: true }) acknowledgedAt: Date | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}
