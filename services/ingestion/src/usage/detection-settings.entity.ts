import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

const numeric = { to: (v?: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

@Entity({ name: 'detection_settings' })
export class DetectionSettingsEntity {
  @PrimaryColumn() workspaceId: string;
  @Column({ type: 'integer' }) windowDays: number;
  @Column({ type: 'integer' }) baselineDays: number;
  @Column({ type: 'numeric', transformer: numeric }) thresholdPct: number;
  @Column({ type: 'numeric', transformer: numeric }) minBaselineDailyAvg: number;
  @Column({ type: 'integer' }) championInactiveDays: number;
  @Column({ type: 'text', nullable: true }) valueEvent: string | null;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}
