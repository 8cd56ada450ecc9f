import { RepeatingJob } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SignalStore } from './signal.store';

const PRUNE_EVERY_MS = 10 * 60_000;

/** Drops expired signals at start-up and every ten minutes after (SIGNAL_RETENTION_DAYS). */
@Injectable()
export class SignalRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new RepeatingJob('signal-retention', PRUNE_EVERY_MS, () => this.prune());
  private first?: Promise<void>;

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly signals: SignalStore) {}

  onApplicationBootstrap(): void {
    this.first = this.prune().catch(() => undefined);
    this.job.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.first;
    await this.job.stop();
  }

  prune(): Promise<void> {
    return this.signals.pruneExpired(this.db.manager);
  }
}
