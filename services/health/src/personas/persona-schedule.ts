import { createLogger } from '@cairn/observability';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../scoring/clock';
import { HealthConfig } from '../scoring/health.config';
import { PersonaMembership } from './persona-membership.service';
import { UserProfileStore } from './user-profile.store';

/**
 * Re-evaluates every user as of the clock every HEALTH_RECOMPUTE_INTERVAL_MINUTES, on one
 * instance at a time: without it a user who simply stops using the product would never become
 * dormant, since no event about them arrives.
 */
@Injectable()
export class PersonaSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('persona-schedule');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly config: HealthConfig,
    @InjectDataSource() private readonly db: DataSource,
    private readonly profiles: UserProfileStore,
    private readonly membership: PersonaMembership,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    const minutes = this.config.HEALTH_RECOMPUTE_INTERVAL_MINUTES;
    if (minutes === 0) return;
    this.timer = setInterval(() => { this.running ??= this.tick().finally(() => { this.running = undefined; }); }, minutes * 60_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    const runner = this.db.createQueryRunner();
    try {
      await runner.connect();
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext('cairn-health-personas-schedule')) AS locked`);
      if (!locked) return; // another instance is on it
      try {
        const asOf = this.clock.now();
        for (const ws of await this.profiles.workspaceIds(this.db.manager)) await this.membership.reevaluateWorkspace(ws, asOf);
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext('cairn-health-personas-schedule'))`);
      }
    } catch (e) {
      this.log.error({ error: (e as Error).message }, 'scheduled persona re-evaluation failed');
    } finally {
      await runner.release();
    }
  }
}
