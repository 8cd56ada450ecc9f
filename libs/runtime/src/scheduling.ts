import { createLogger } from '@cairn/observability';
import { DataSource } from 'typeorm';

/**
 * Runs `fn` while holding a session-level Postgres advisory lock named `name`, so one instance
 * of a service does the work at a time. With wait=false it gives way (returns undefined) when
 * another instance holds the lock.
 */
export async function withAdvisoryLock<T>(db: DataSource, name: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
  const holder = db.createQueryRunner();
  await holder.connect();
  try {
    if (wait) {
      await holder.query(`SELECT pg_advisory_lock(hashtext($1))`, [name]);
    } else {
      const [r] = await holder.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [name]);
      if (!r.ok) return undefined;
    }
    try {
      return await fn();
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext($1))`, [name]);
    }
  } finally {
    await holder.release();
  }
}

/**
 * A job run every `everyMs` (0 = never), never overlapping itself; a failure is logged and the
 * next tick tries again; stop() waits for the run in hand.
 */
export class RepeatingJob {
  private readonly log = createLogger(this.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(private readonly name: string, private readonly everyMs: number, private readonly run: () => Promise<unknown>) {}

  start(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.run()
        .catch((e) => this.log.warn({ error: (e as Error).message }, `${this.name} failed; will retry`))
        .finally(() => { this.running = undefined; });
    }, this.everyMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
