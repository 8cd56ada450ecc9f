import { createLogger } from '@cairn/observability';
import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { RenewalsConfig } from '../config';
import { RenewalCalendarService } from './renewal-calendar.service';

/**
 * Runs the renewal-calendar scan at start-up and then every RENEWAL_SCAN_INTERVAL_MS (a
 * minute by default). Scans never overlap within an instance; across instances the notice
 * table keeps each notice to one. Shutdown waits for a scan in progress.
 */
@Injectable()
export class RenewalCalendarScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = createLogger('renewal-calendar');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly calendar: RenewalCalendarService, private readonly config: RenewalsConfig) {}

  onApplicationBootstrap(): void {
    this.tick();
    this.timer = setInterval(() => this.tick(), this.config.RENEWAL_SCAN_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.calendar.scan()
      .then((fired) => { if (fired > 0) this.log.info({ fired }, 'renewal calendar scan'); })
      .catch((e) => this.log.warn({ error: (e as Error).message }, 'renewal calendar scan failed; trying again at the next tick'))
      .finally(() => { this.running = undefined; });
  }
}
