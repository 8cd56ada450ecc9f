import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Cause } from '../domain/evaluation';

@Entity({ name: 'task' })
export class TaskEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  /** playbookId:cause — unique per workspace: one task per playbook and cause. */
  @Column() dedupeKey: string;
  @Column() accountId: string;
  @Column({ type: 'uuid' }) playbookId: string;
  @Column({ type: 'integer' }) playbookVersion: number;
  @Column() title: string;
  @Column() description: string;
  @Column() priority: string;
  @Column({ type: 'text', nullable: true }) assignee: string | null;
  @Column() assigneeRule: string;
  @Column() status: string;
  @Column({ type: 'text', nullable: true }) statusReason: string | null;
  @Column({ type: 'text', nullable: true }) statusChangedBy: string | null;
  @Column({ type: 'timestamptz' }) dueAt: Date;
  @Column({ type: 'jsonb' }) cause: Cause;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  /** When the scheduled scan found it past its due date (task-overdue was published then). */
  @Column({ type: 'timestamptz', nullable: true }) overdueAt: Date | null;
}
