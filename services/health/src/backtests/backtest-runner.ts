import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Clock } from '@cairn/runtime';
import { DataSource, EntityManager } from 'typeorm';
import { AccountHistory, BacktestPlan, BacktestSweep } from '../domain/backtest';
import { addDays, DAY_MS, dayStart, SignalFact, utcDay } from '../domain/history';
import { Scorecard, Segment } from '../domain/scorecard';
import { SignalHistoryStore } from '../history/signal-history.store';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { PeriodDto, ScorecardRefDto } from './dto';

export interface SweepTimings {
  loadMs: number;
  sweepMs: number;
  facts: number;
}

/**
 * What backtests and suggestions share: checking a request against the workspace's history
 * (clear 400s instead of empty figures), reading that history once and sweeping it.
 */
@Injectable()
export class BacktestRunner {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly history: SignalHistoryStore,
    private readonly scorecards: ScorecardsService,
    private readonly clock: Clock,
  ) {}

  async scorecard(workspaceId: string, ref: ScorecardRefDto, field: string): Promise<Scorecard & { active: boolean }> {
    try {
      return await this.scorecards.findVersion(this.db.manager, workspaceId, ref.id, ref.version);
    } catch (e) {
      if (e instanceof NotFoundException) throw new BadRequestException([`${field}: ${(e as Error).message}`]);
      throw e;
    }
  }

  /**
   * Checks the period, the segment and the outcomes: every problem is a 400 that says what to
   * change. Returns the plan (observation end = the latest fact the workspace has).
   */
  async plan(workspaceId: string, period: PeriodDto, segment: Segment, horizons: number[], stepDays: number): Promise<BacktestPlan> {
    const problems: string[] = [];
    const today = utcDay(this.clock.now());
    if (period.from > period.to) problems.push(`period: from (${period.from}) is after to (${period.to})`);
    if (period.to > today) problems.push(`period.to: ${period.to} is in the future (today is ${today})`);
    if (dayStart(period.to).getTime() - dayStart(period.from).getTime() > 3 * 366 * DAY_MS) problems.push('period: at most three years');
    if (problems.length) throw new BadRequestException(problems);

    const m = this.db.manager;
    const accounts = await this.accountsInSegment(m, workspaceId, segment);
    if (accounts === 0) {
      const what = segment.plan || segment.lifecycleStage
        ? `segment: no account of this workspace has ${[segment.plan ? `plan '${segment.plan}'` : '', segment.lifecycleStage ? `lifecycle stage '${segment.lifecycleStage}'` : ''].filter(Boolean).join(' and ')}`
        : 'segment: this workspace has no account with any history yet';
      throw new BadRequestException([what]);
    }
    const maxHorizon = Math.max(...horizons);
    const until = addDays(period.to, maxHorizon);
    const outcomes = await this.history.outcomesBetween(m, workspaceId, dayStart(period.from), dayStart(until));
    if (outcomes.churned === 0) {
      throw new BadRequestException([
        `period: no churn outcome is recorded between ${period.from} and ${until} (the period plus the longest horizon, ${maxHorizon} days)`
        + ` — ${outcomes.all} other outcome(s); a backtest needs churned accounts to measure against`
        + ' (record outcomes with POST /contracts/:id/outcome on renewals, or choose another period)',
      ]);
    }
    const observed = await this.history.latestFactAt(m, workspaceId);
    return { from: period.from, to: period.to, stepDays, horizons, segment, observedUntil: observed ?? this.clock.now() };
  }

  /**
   * Reads the workspace's history in one pass and sweeps it, account by account, yielding to the
   * event loop now and then so the service keeps consuming and answering meanwhile.
   */
  async sweep(workspaceId: string, plan: BacktestPlan, cards: Scorecard[], options: { keepReadings?: boolean; onProgress?: (share: number) => Promise<void> } = {}): Promise<{ sweep: BacktestSweep; timings: SweepTimings }> {
    const loadStarted = Date.now();
    const facts = await this.history.load(this.db.manager, workspaceId, new Date(dayStart(addDays(plan.to, Math.max(...plan.horizons) + 1))));
    const loadMs = Date.now() - loadStarted;
    const sweepStarted = Date.now();
    const sweep = new BacktestSweep(plan, cards, options.keepReadings);
    const histories = groupByAccount(facts);
    let done = 0;
    for (const h of histories) {
      sweep.add(h);
      if (++done % 250 === 0) {
        await new Promise((r) => setImmediate(r));
        await options.onProgress?.(done / histories.length);
      }
    }
    return { sweep, timings: { loadMs, sweepMs: Date.now() - sweepStarted, facts: facts.length } };
  }

  private async accountsInSegment(m: EntityManager, workspaceId: string, segment: Segment): Promise<number> {
    const [r]: { n: string }[] = segment.plan || segment.lifecycleStage
      ? await m.query(`
          SELECT count(DISTINCT account_id) AS n FROM signal_fact
           WHERE workspace_id = $1 AND kind = 'account'
             AND ($2::text IS NULL OR lower(trim(value->>'plan')) = lower(trim($2)))
             AND ($3::text IS NULL OR lower(trim(value->>'lifecycleStage')) = lower(trim($3)))`,
        [workspaceId, segment.plan ?? null, segment.lifecycleStage ?? null])
      : await m.query(`SELECT count(DISTINCT account_id) AS n FROM signal_fact WHERE workspace_id = $1 AND kind <> 'outcome'`, [workspaceId]);
    return Number(r.n);
  }
}

/** Facts come ordered by account, then event time: consecutive runs are an account's history. */
function groupByAccount(facts: (SignalFact & { accountId: string })[]): AccountHistory[] {
  const out: AccountHistory[] = [];
  let current: AccountHistory | undefined;
  for (const f of facts) {
    if (!current || current.accountId !== f.accountId) out.push(current = { accountId: f.accountId, facts: [] });
    current.facts.push(f);
  }
  return out;
}
