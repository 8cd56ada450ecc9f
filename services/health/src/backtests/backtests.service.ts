import { createLogger } from '@cairn/observability';
import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_HORIZONS } from '../domain/backtest';
import { Segment } from '../domain/scorecard';
import { BacktestRunner } from './backtest-runner';
import { CreateBacktestDto } from './dto';

export type BacktestStatus = 'running' | 'succeeded' | 'failed';

interface BacktestRow {
  id: string;
  request: unknown;
  status: BacktestStatus;
  progress: number;
  result: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

/**
 * Backtest jobs: POST checks the request and starts the job in this instance; GET reads its
 * progress and, once done, the result (one row per job in table backtest).
 */
@Injectable()
export class BacktestsService {
  private readonly log = createLogger('backtests');
  private readonly running = new Set<Promise<void>>();

  constructor(@InjectDataSource() private readonly db: DataSource, private readonly runner: BacktestRunner) {}

  async create(workspaceId: string, dto: CreateBacktestDto) {
    const horizons = [...new Set(dto.horizons ?? [...DEFAULT_HORIZONS])].sort((a, b) => a - b);
    const segment: Segment = { ...(dto.segment?.plan ? { plan: dto.segment.plan } : {}), ...(dto.segment?.lifecycleStage ? { lifecycleStage: dto.segment.lifecycleStage } : {}) };
    const cards = [await this.runner.scorecard(workspaceId, dto.scorecard, 'scorecard')];
    if (dto.compareWith) cards.push(await this.runner.scorecard(workspaceId, dto.compareWith, 'compareWith'));
    const plan = await this.runner.plan(workspaceId, dto.period, segment, horizons, dto.stepDays ?? 7);
    const id = randomUUID();
    const request = {
      scorecards: cards.map((c) => ({ id: c.id, version: c.version, active: c.active })), period: dto.period, segment, horizons,
      stepDays: plan.stepDays, observedUntil: plan.observedUntil.toISOString(),
    };
    await this.db.query(`INSERT INTO backtest (workspace_id, id, request, status) VALUES ($1, $2, $3, 'running')`, [workspaceId, id, JSON.stringify(request)]);
    const job = this.run(workspaceId, id, async () => {
      const started = Date.now();
      const { sweep, timings } = await this.runner.sweep(workspaceId, plan, cards, {
        onProgress: (share) => this.progress(workspaceId, id, 0.9 * share),
      });
      const metricsStarted = Date.now();
      const results = sweep.results();
      return {
        accounts: sweep.accountIds.length, asOfDays: sweep.days.length, churners: sweep.churnerIds.size,
        scorecards: results.map((r, i) => ({ ...r, active: cards[i].active, name: cards[i].name })),
        timings: { ...timings, metricsMs: Date.now() - metricsStarted, totalMs: Date.now() - started },
      };
    });
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    return { id, status: 'running' as const, progress: 0, request, links: { self: `/backtests/${id}` } };
  }

  async get(workspaceId: string, id: string) {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFoundException(`backtest '${id}' not found`);
    const [row]: BacktestRow[] = await this.db.query(
      `SELECT id, request, status, progress, result, error, created_at, finished_at FROM backtest WHERE workspace_id = $1 AND id = $2`, [workspaceId, id]);
    if (!row) throw new NotFoundException(`backtest '${id}' not found`);
    return {
      id: row.id, status: row.status, progress: Math.round(row.progress * 100) / 100, request: row.request,
      ...(row.result ? { result: row.result } : {}), ...(row.error ? { error: row.error } : {}),
      createdAt: new Date(row.created_at).toISOString(), ...(row.finished_at ? { finishedAt: new Date(row.finished_at).toISOString() } : {}),
    };
  }

  /** Jobs still running in this instance (shutdown waits for them). */
  async settle(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async progress(workspaceId: string, id: string, share: number): Promise<void> {
    await this.db.query(`UPDATE backtest SET progress = $3 WHERE workspace_id = $1 AND id = $2`, [workspaceId, id, share]);
  }

  private async run(workspaceId: string, id: string, work: () => Promise<unknown>): Promise<void> {
    // Let the POST answer first.
    await new Promise((r) => setImmediate(r));
    try {
      const result = await work();
      await this.db.query(`UPDATE backtest SET status = 'succeeded', progress = 1, result = $3, finished_at = now() WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, id, JSON.stringify(result)]);
    } catch (e) {
      this.log.error({ workspaceId, backtestId: id, err: e }, 'backtest failed');
      await this.db.query(`UPDATE backtest SET status = 'failed', error = $3, finished_at = now() WHERE workspace_id = $1 AND id = $2`,
        [workspaceId, id, (e as Error).message]).catch(() => undefined);
    }
  }
}
