import { Clock, RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RelationshipsConfig } from '../config';
import { TicketStore } from './ticket.store';

/** Forgets delivery ids older than SUPPORT_DELIVERY_RETENTION_DAYS, hourly (one instance at a time). */
@Injectable()
export class DeliveryRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job: RepeatingJob;

  constructor(@InjectDataSource() private readonly db: DataSource, store: TicketStore, config: RelationshipsConfig, clock: Clock) {
    this.job = new RepeatingJob('delivery-retention', 3_600_000, () => withAdvisoryLock(this.db, 'relationships-delivery-retention', false,
      () => store.forgetDeliveriesBefore(this.db.manager, new Date(clock.now().getTime() - config.SUPPORT_DELIVERY_RETENTION_DAYS * 86_400_000))));
  }

  onApplicationBootstrap() { this.job.start(); }
  async onApplicationShutdown() { await this.job.stop(); }
}
