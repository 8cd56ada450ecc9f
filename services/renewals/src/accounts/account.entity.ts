import { Column, Entity, PrimaryColumn } from 'typeorm';

const numeric = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** What renewals knows of an account: from directory, health, usage-summary and survey events. */
@Entity({ name: 'account' })
export class AccountEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  /** Default owner of the account's renewals when a contract names none. */
  @Column({ type: 'text', nullable: true }) csmOwner: string | null;
  /** The account's `segment` trait, for retention metrics per segment. */
  @Column({ type: 'text', nullable: true }) segment: string | null;
  @Column({ type: 'timestamptz', nullable: true }) directoryTime: Date | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) healthScore: number | null;
  /** Score before the latest health change: the health trend. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) healthPreviousScore: number | null;
  @Column({ type: 'text', nullable: true }) healthBand: string | null;
  @Column({ type: 'timestamptz', nullable: true }) healthUpdatedAt: Date | null;
  /** From usage.summary: current usage vs the account's baseline, %. */
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) usageTrendPct: number | null;
  @Column({ type: 'text', nullable: true }) usageAsOf: string | null;
  /** The account's latest NPS answer (any contact). */
  @Column({ type: 'integer', nullable: true }) npsScore: number | null;
  @Column({ type: 'timestamptz', nullable: true }) npsRespondedAt: Date | null;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}
