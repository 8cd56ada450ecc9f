import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numeric } from '../common/numeric';

/** What playbooks knows of an account, learnt from directory and health events. */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) domain: string | null;
  @Column({ type: 'text', nullable: true }) csmOwner: string | null;
  @Column({ type: 'text', nullable: true }) plan: string | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) arr: number | null;
  @Column({ type: 'integer', nullable: true }) seats: number | null;
  @Column({ type: 'text', nullable: true }) lifecycleStage: string | null;
  @Column({ type: 'jsonb' }) traits: Record<string, unknown>;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) healthScore: number | null;
  @Column({ type: 'text', nullable: true }) healthBand: string | null;
  @Column({ type: 'timestamptz', nullable: true }) healthUpdatedAt: Date | null;
  /** From usage summaries: first event, first value event, latest event (event time). */
  @Column({ type: 'timestamptz', nullable: true }) firstActivityAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) firstValueAt: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastActivityAt: Date | null;
  /** When the scheduled scan raised onboarding.stalled for the account (once). */
  @Column({ type: 'timestamptz', nullable: true }) onboardingStalledAt: Date | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}
