import { SignalCause } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { Clock, RepeatingJob, withAdvisoryLock } from '@cairn/runtime';
import { BadRequestException, Injectable, NotFoundException, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { OverrideFact } from '../domain/history';
import { overrideProblems } from '../domain/override';
import { SignalHistoryStore } from '../history/signal-history.store';
import { HealthConfig } from '../config';
import { HealthScoringService } from '../scoring/health-scoring.service';
import { SignalStore } from '../signals/signal.store';
import { SetOverrideDto } from './dto';

interface OverrideRow {
  id: string;
  account_id: string;
  band: string;
  score: number | null;
  reason: string;
  created_by: string;
  created_at: Date;
  expires_at: Date;
  ended_at: Date | null;
  end_reason: string | null;
}

/** TypeORM answers an UPDATE … RETURNING with [rows, count], a SELECT with rows. */
function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number' ? result[0] as T[] : result as T[];
}

const view = (r: OverrideRow) => ({
  id: r.id, accountId: r.account_id, band: r.band, score: r.score, reason: r.reason, by: r.created_by,
  createdAt: new Date(r.created_at).toISOString(), expiresAt: new Date(r.expires_at).toISOString(),
  ...(r.ended_at ? { endedAt: new Date(r.ended_at).toISOString(), endReason: r.end_reason } : {}),
});

/**
 * CSM overrides of an account's band (and score): set with a reason and an expiry, shown in the
 * explanation, published with health.changed (playbooks see `override`), kept in the history,
 * ended by the lapse scan when they expire (wall clock: the injectable Clock) or by a DELETE.
 */
@Injectable()
export class OverridesService {
  private readonly log = createLogger('health-overrides');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: SignalStore,
    private readonly scoring: HealthScoringService,
    private readonly history: SignalHistoryStore,
    private readonly clock: Clock,
  ) {}

  async set(workspaceId: string, accountId: string, dto: SetOverrideDto, by: string) {
    const now = this.clock.now();
    const problems = overrideProblems(dto, now);
    if (problems.length) throw new BadRequestException(problems);
    return this.db.transaction(async (m) => {
      await this.store.lockAccounts(m, workspaceId, [accountId]);
      const [scored] = await m.query(`SELECT 1 FROM account_health WHERE workspace_id = $1 AND account_id = $2`, [workspaceId, accountId]);
      if (!scored) throw new NotFoundException(`account '${accountId}' has no health score in this workspace: nothing to override`);
      for (const old of await this.endOpen(m, workspaceId, accountId, now, 'replaced')) await this.recordEnd(m, workspaceId, old, now, 'cleared');
      const id = randomUUID();
      const [row]: OverrideRow[] = await m.query(`
        INSERT INTO health_override (workspace_id, id, account_id, band, score, reason, created_by, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [workspaceId, id, accountId, dto.band, dto.score ?? null, dto.reason.trim(), by, now, new Date(dto.expiresAt)]);
      const fact: OverrideFact = {
        overrideId: id, state: 'set', band: dto.band, score: dto.score ?? null, reason: dto.reason.trim(), by, expiresAt: new Date(dto.expiresAt).toISOString(),
      };
      await this.history.record(m, workspaceId, accountId, [{ kind: 'override', subject: id, at: now.toISOString(), eventId: id, value: fact }]);
      await this.rescore(m, workspaceId, accountId, {
        eventId: id, type: 'health.override',
        summary: `${by} set the band to ${dto.band}${dto.score !== undefined ? ` (score ${dto.score})` : ''} until ${fact.expiresAt}: ${fact.reason}`,
      }, now);
      return view(row);
    });
  }

  async clear(workspaceId: string, accountId: string, by: string) {
    const now = this.clock.now();
    return this.db.transaction(async (m) => {
      await this.store.lockAccounts(m, workspaceId, [accountId]);
      const ended = await this.endOpen(m, workspaceId, accountId, now, `cleared by ${by}`);
      if (ended.length === 0) throw new NotFoundException(`account '${accountId}' has no override in force`);
      for (const o of ended) await this.recordEnd(m, workspaceId, o, now, 'cleared');
      await this.rescore(m, workspaceId, accountId, { eventId: `${ended[0].id}:cleared`, type: 'health.override-cleared', summary: `${by} cleared the override` }, now);
      return view(ended[0]);
    });
  }

  async list(workspaceId: string, accountId: string) {
    const rows: OverrideRow[] = await this.db.query(
      `SELECT * FROM health_override WHERE workspace_id = $1 AND account_id = $2 ORDER BY created_at DESC LIMIT 100`, [workspaceId, accountId]);
    return rows.map(view);
  }

  /** Ends every override whose expiry has passed on the clock; each account is rescored. Returns how many lapsed. */
  async lapseExpired(): Promise<number> {
    const now = this.clock.now();
    const due: { workspace_id: string; account_id: string }[] = await this.db.query(
      `SELECT workspace_id, account_id FROM health_override WHERE ended_at IS NULL AND expires_at <= $1 ORDER BY expires_at LIMIT 1000`, [now]);
    let lapsed = 0;
    for (const d of due) {
      await this.db.transaction(async (m) => {
        await this.store.lockAccounts(m, d.workspace_id, [d.account_id]);
        const ended = rowsOf<OverrideRow>(await m.query(`
          UPDATE health_override SET ended_at = expires_at, end_reason = 'expired'
           WHERE workspace_id = $1 AND account_id = $2 AND ended_at IS NULL AND expires_at <= $3 RETURNING *`, [d.workspace_id, d.account_id, now]));
        for (const o of ended) {
          await this.recordEnd(m, d.workspace_id, o, new Date(o.expires_at), 'lapsed');
          await this.rescore(m, d.workspace_id, d.account_id, {
            eventId: `${o.id}:lapsed`, type: 'health.override-lapsed',
            summary: `the override by ${o.created_by} (${o.band}: ${o.reason}) lapsed at ${new Date(o.expires_at).toISOString()}`,
          }, now);
          lapsed++;
        }
      });
    }
    if (lapsed) this.log.info({ lapsed }, 'overrides lapsed');
    return lapsed;
  }

  private async endOpen(m: EntityManager, workspaceId: string, accountId: string, now: Date, reason: string): Promise<OverrideRow[]> {
    return rowsOf<OverrideRow>(await m.query(
      `UPDATE health_override SET ended_at = $3, end_reason = $4 WHERE workspace_id = $1 AND account_id = $2 AND ended_at IS NULL RETURNING *`,
      [workspaceId, accountId, now, reason]));
  }

  private async recordEnd(m: EntityManager, workspaceId: string, o: OverrideRow, at: Date, state: 'lapsed' | 'cleared'): Promise<void> {
    const fact: OverrideFact = { overrideId: o.id, state };
    // A subject of its own: the end of an override must not replace its start in the same day's row.
    await this.history.record(m, workspaceId, o.account_id, [{ kind: 'override', subject: `${o.id}:${state}`, at: at.toISOString(), eventId: `${o.id}:${state}`, value: fact }]);
  }

  private async rescore(m: EntityManager, workspaceId: string, accountId: string, cause: SignalCause, asOf: Date): Promise<void> {
    await this.scoring.rescore(m, workspaceId, accountId, cause, asOf);
  }
}

/** Lapses expired overrides every HEALTH_OVERRIDE_SCAN_INTERVAL_MS, on one instance at a time. */
@Injectable()
export class OverrideLapseSchedule implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly job = new RepeatingJob('health-override-lapse', this.config.HEALTH_OVERRIDE_SCAN_INTERVAL_MS,
    () => withAdvisoryLock(this.db, 'cairn-health-override-lapse', false, () => this.overrides.lapseExpired()));

  constructor(private readonly config: HealthConfig, @InjectDataSource() private readonly db: DataSource, private readonly overrides: OverridesService) {}

  onApplicationBootstrap(): void {
    this.job.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.job.stop();
  }
}
