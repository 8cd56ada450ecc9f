import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A renewal.upcoming event that was sent: at most one per contract and horizon. */
@Entity({ name: 'renewal_notice' })
export class RenewalNoticeEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn() contractId: string;
  @PrimaryColumn({ type: 'integer' }) horizonDays: number;
  @Column({ type: 'date' }) endDate: string;
  @Column({ type: 'integer' }) daysToRenewal: number;
  @Column({ type: 'uuid' }) eventId: string;
  @Column({ type: 'timestamptz' }) firedAt: Date;
}
