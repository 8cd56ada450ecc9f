import { HealthBand, SignalCause } from '@cairn/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Coverage, MeasureOutcome } from '../domain/scoring';

/** The current health of an account (one row per account that has a score). */
@Entity({ name: 'account_health' })
export class AccountHealthEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text' }) band: HealthBand;
  @Column() scorecardId: string;
  @Column({ type: 'integer' }) scorecardVersion: number;
  @Column({ type: 'jsonb' }) explanation: MeasureOutcome[];
  @Column({ type: 'jsonb' }) coverage: Coverage;
  /** The event behind the latest change of score or band. */
  @Column({ type: 'jsonb' }) cause: SignalCause;
  @Column() summary: string;
  /** Hash of scorecard + explanation + coverage (see explanationDigest). */
  @Column({ type: 'text', nullable: true }) explanationDigest: string | null;
  /** When score or band last changed (event time of the cause). */
  @Column({ type: 'timestamptz' }) changedAt: Date;
  /** When the score was last computed, changed or not. */
  @Column({ type: 'timestamptz' }) computedAt: Date;
}

/** One row per change of score or band; the id is the health.changed event's id. */
@Entity({ name: 'health_history' })
export class HealthHistoryEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() accountId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'integer' }) score: number;
  @Column({ type: 'text' }) band: HealthBand;
  @Column({ type: 'integer', nullable: true }) previousScore: number | null;
  @Column({ type: 'text', nullable: true }) previousBand: HealthBand | null;
  @Column() scorecardId: string;
  @Column({ type: 'integer' }) scorecardVersion: number;
  @Column({ type: 'jsonb' }) explanation: MeasureOutcome[];
  @Column({ type: 'jsonb' }) cause: SignalCause;
  @Column() summary: string;
  @Column({ type: 'timestamptz' }) at: Date;
  @Column({ type: 'timestamptz' }) recordedAt: Date;
}
