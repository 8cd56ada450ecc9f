import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';

const PRUNE_EVERY_MS = 60_000;

/**
 * A fixed-window rate limiter every instance shares, in PostgreSQL: one upsert per request; a
 * key's window opens at its first request (on the database's clock, so instances agree) and
 * lasts `windowSeconds`; idle keys are pruned about once a minute per instance. With N
 * instances the limit stays the limit, not N times it.
 */
@Injectable()
export class PublicRateLimitStore {
  private lastPrune = 0;

  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Counts one request for `key` against `limit` per `windowSeconds`. */
  async take(key: string, limit: number, windowSeconds = 60): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
    const hashed = createHash('sha256').update(key).digest('base64url').slice(0, 27);
    const rows: Array<{ count: number; left: number }> = await this.db.query(`
      INSERT INTO public_rate_limit AS r (key, window_start, count) VALUES ($1, now(), 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN 1 ELSE r.count + 1 END,
        window_start = CASE WHEN r.window_start <= now() - make_interval(secs => $2) THEN now() ELSE r.window_start END
      RETURNING r.count, extract(epoch FROM r.window_start + make_interval(secs => $2) - now())::float8 AS left`, [hashed, windowSeconds]);
    void this.prune(windowSeconds);
    const { count, left } = rows[0];
    return { allowed: count <= limit, retryAfterSeconds: count <= limit ? 0 : Math.max(1, Math.ceil(left)) };
  }

  private async prune(windowSeconds: number): Promise<void> {
    if (Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    await this.db.query(`DELETE FROM public_rate_limit WHERE window_start < now() - make_interval(secs => $1)`, [2 * windowSeconds]).catch(() => undefined);
  }
}
