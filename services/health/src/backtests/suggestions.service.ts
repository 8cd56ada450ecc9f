import { BadRequestException, Injectable } from '@nestjs/common';
import { histogram, rocAuc } from '../domain/backtest-metrics';
import { round4 } from '../domain/backtest';
import { DAY_MS, dayStart } from '../domain/history';
import { Segment } from '../domain/scorecard';
import { fitBands, fitScorecard, FitRow, scoreFromInputs } from '../domain/scorecard-fit';
import { ScorecardsService } from '../scorecards/scorecards.service';
import { BacktestRunner } from './backtest-runner';
import { SuggestScorecardDto } from './dto';

/** Share of the period's as-of days the fit learns from; the later rest is held out. */
const TRAINING_SHARE = 0.7;

/**
 * Suggests a scorecard fitted to the workspace's own history (domain/scorecard-fit.ts) with a
 * time-based split: it learns from the earlier as-of days whose horizon ends before the held-out
 * days begin, and is judged on the later days, next to a baseline scorecard on the same pairs.
 * The result is stored as a draft version; it never activates itself.
 */
@Injectable()
export class SuggestionsService {
  constructor(private readonly runner: BacktestRunner, private readonly scorecards: ScorecardsService) {}

  async suggest(workspaceId: string, dto: SuggestScorecardDto) {
    const horizon = dto.horizonDays ?? 90;
    const segment: Segment = { ...(dto.segment?.plan ? { plan: dto.segment.plan } : {}), ...(dto.segment?.lifecycleStage ? { lifecycleStage: dto.segment.lifecycleStage } : {}) };
    const baseline = await this.runner.scorecard(workspaceId, dto.baseline ?? { id: 'default' }, 'baseline');
    const plan = await this.runner.plan(workspaceId, dto.period, segment, [horizon], dto.stepDays ?? 7);
    const started = Date.now();
    const { sweep, timings } = await this.runner.sweep(workspaceId, plan, [], { keepReadings: true });
    const days = sweep.days;
    const splitDay = days[Math.min(days.length - 1, Math.max(1, Math.floor(days.length * TRAINING_SHARE)))];
    const split = dayStart(splitDay).getTime();
    const train: FitRow[] = [];
    const test: FitRow[] = [];
    for (const r of sweep.readings) {
      const label = r.labels[0];
      if (label === null) continue;
      const t = dayStart(r.asOf).getTime();
      if (t + horizon * DAY_MS <= split) train.push({ inputs: r.inputs, churned: label });
      else if (t >= split) test.push({ inputs: r.inputs, churned: label });
    }
    const churners = (rows: FitRow[]) => rows.filter((r) => r.churned).length;
    const problems: string[] = [];
    if (churners(train) === 0 || churners(train) === train.length) {
      problems.push(`period: the training days (${dto.period.from} to ${splitDay} minus the ${horizon}-day horizon) have ${churners(train)} churned of ${train.length} account-days; the fit needs both churned and retained accounts — choose a longer or earlier period`);
    }
    if (churners(test) === 0 || churners(test) === test.length) {
      problems.push(`period: the held-out days (${splitDay} to ${dto.period.to}) have ${churners(test)} churned of ${test.length} account-days; choose a period whose later part has churn outcomes within ${horizon} days`);
    }
    if (problems.length) throw new BadRequestException(problems);

    const fit = fitScorecard(train);
    const trainScored = train.map((r) => ({ score: scoreFromInputs(fit.measures, r.inputs), churned: r.churned }))
      .filter((s): s is { score: number; churned: boolean } => s.score !== null);
    const bands = fitBands(trainScored);
    const aucOn = (rows: FitRow[], measures: typeof fit.measures) => {
      const scored = rows.map((r) => ({ score: scoreFromInputs(measures, r.inputs), churned: r.churned })).filter((s) => s.score !== null) as { score: number; churned: boolean }[];
      return { auc: round4(rocAuc(histogram(scored))), pairs: scored.length };
    };
    const draftHeldOut = aucOn(test, fit.measures);
    const baselineHeldOut = aucOn(test, baseline.measures);
    const id = dto.id ?? 'fitted';
    const description = `Fitted on ${train.length} account-days from ${dto.period.from} to ${splitDay} (churn within ${horizon} days); `
      + `held-out AUC ${draftHeldOut.auc} vs ${baseline.id} v${baseline.version} ${baselineHeldOut.auc} on ${test.length} later account-days.`;
    const draft = await this.scorecards.saveDraft(workspaceId, id, {
      name: 'Fitted to this workspace\'s history', description, segment,
      measures: fit.measures.map((m) => ({ measure: m.measure, weight: m.weight, thresholds: m.thresholds })), bands,
    });
    return {
      draft,
      activated: false,
      activate: `POST /scorecards/${id}/activate {"version": ${draft.version}}`,
      horizonDays: horizon,
      training: { from: dto.period.from, before: splitDay, accountDays: train.length, churnedAccountDays: churners(train) },
      heldOut: {
        from: splitDay, to: dto.period.to, accountDays: test.length, churnedAccountDays: churners(test),
        draftAuc: draftHeldOut.auc, baselineAuc: baselineHeldOut.auc, baseline: { id: baseline.id, version: baseline.version },
      },
      model: {
        intercept: round4(fit.intercept),
        measures: fit.fitted.map((f) => ({ measure: f.measure, coefficient: round4(f.coefficient), coverage: round4(f.coverage), thresholds: f.thresholds })),
        leftOut: fit.leftOut,
      },
      timings: { ...timings, totalMs: Date.now() - started },
    };
  }
}
