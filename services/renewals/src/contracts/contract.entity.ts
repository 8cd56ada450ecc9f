import type { RenewalOutcome } from '@cairn/contracts';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

const numeric = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity({ name: 'contract' })
export class ContractEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() id: string;
  @Column() accountId: string;
  @Column({ type: 'numeric', transformer: numeric }) arr: number;
  @Column() currency: string;
  @Column({ type: 'integer', nullable: true }) seats: number | null;
  @Column({ type: 'text', nullable: true }) plan: string | null;
  @Column({ type: 'date' }) startDate: string;
  @Column({ type: 'date' }) endDate: string;
  @Column() autoRenew: boolean;
  @Column({ type: 'text', nullable: true }) owner: string | null;
  /** Read model of the health service's score, learnt from health.changed events. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) healthScore: number | null;
  @Column({ type: 'text', nullable: true }) healthBand: string | null;
  @Column({ type: 'timestamptz', nullable: true }) healthUpdatedAt: Date | null;
  /** Set once, when the renewal's outcome is recorded; a closed contract gets no more notices. */
  @Column({ type: 'text', nullable: true }) outcome: RenewalOutcome | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) arrAfter: number | null;
  @Column({ type: 'text', nullable: true }) outcomeReason: string | null;
  @Column({ type: 'timestamptz', nullable: true }) closedAt: Date | null;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
