import { RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@cairn/runtime';
import { HealthConfig } from '../config';
import { PersonaMembership } from './persona-membership.service';
import { UserProfileStore } from './user-profile.store';

/**
 * Re-evaluates every user as of the clock every HEALTH_RECOMPUTE_INTERVAL_MINUTES, on one
 * instance at a time: without it a user who simply stops using the product would never become
 * dormant, since no event about them arrives.
 */
@Injectable()
export class PersonaSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new RepeatingJob('persona-schedule', this.config.HEALTH_RECOMPUTE_INTERVAL_MINUTES * 60_000,
    () => withAdvisoryLock(this.db, 'cairn-health-personas-schedule', false, async () => {
      const asOf = this.clock.now();
      for (const ws of await this.profiles.workspaceIds(this.db.manager)) await this.membership.reevaluateWorkspace(ws, asOf);
    }));

  constructor(
    private readonly config: HealthConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly profiles: UserProfileStore,
    private readonly membership: PersonaMembership,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
