import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Bands, ScorecardMeasure } from '../domain/scorecard';

/** One version of a workspace's scorecard; at most one version per scorecard is active. */
@Entity({ name: 'scorecard' })
export class ScorecardEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() scorecardId: string;
  @PrimaryColumn({ type: 'integer' }) version: number;
  @Column() name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', nullable: true }) segmentPlan: string | null;
  @Column({ type: 'text', nullable: true }) segmentLifecycleStage: string | null;
  @Column({ type: 'jsonb' }) measures: ScorecardMeasure[];
  @Column({ type: 'jsonb' }) bands: Bands;
  @Column() active: boolean;
  @Column({ type: 'timestamptz' }) createdAt: Date;
}
