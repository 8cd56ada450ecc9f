import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What one playbook decided about one signal. */
export interface PlaybookOutcome {
  playbookId: string;
  playbook: string;
  outcome: 'acted' | 'no-match' | 'duplicate-cause' | 'cooldown';
  taskId?: string | null;
  alertId?: string | null;
}

/** A trigger event as received, with each enabled playbook's decision. */
@Entity({ name: 'signal' })
export class SignalEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) eventId: string;
  @Column() type: string;
  @Column() accountId: string;
  @Column({ type: 'timestamptz' }) time: Date;
  @Column({ type: 'jsonb' }) data: Record<string, unknown>;
  @Column() summary: string;
  @Column({ type: 'jsonb' }) outcomes: PlaybookOutcome[];
  @Column({ type: 'timestamptz' }) receivedAt: Date;
}
