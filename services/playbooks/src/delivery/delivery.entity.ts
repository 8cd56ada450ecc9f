import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One alert to one channel; the worker sends it until delivered or out of attempts. */
@Entity({ name: 'delivery' })
export class DeliveryEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ type: 'uuid' }) alertId: string;
  @Column({ type: 'uuid' }) channelId: string;
  @Column() channelType: string;
  @Column() body: string;
  @Column() status: string;
  @Column({ type: 'integer' }) attempts: number;
  @Column({ type: 'timestamptz' }) nextAttemptAt: Date;
  @Column({ type: 'integer', nullable: true }) lastStatusCode: number | null;
  @Column({ type: 'text', nullable: true }) lastError: string | null;
  @Column({ type: 'timestamptz', nullable: true }) deliveredAt: Date | null;
  @Column({ type: 'timestamptz' }) createdAt: Date;
  @Column({ type: 'timestamptz' }) updatedAt: Date;
}

@Entity({ name: 'delivery_attempt' })
export class DeliveryAttemptEntity {
  @PrimaryColumn() workspaceId: string;
  @PrimaryColumn({ type: 'uuid' }) deliveryId: string;
  @PrimaryColumn({ type: 'integer' }) attempt: number;
  @Column({ type: 'timestamptz' }) startedAt: Date;
  @Column({ type: 'integer' }) durationMs: number;
  @Column({ type: 'integer', nullable: true }) statusCode: number | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
}
