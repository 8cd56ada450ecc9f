import { BacktestSweep } from './backtest';
import { SignalFact } from './history';
import { DEFAULT_SCORECARD } from './scorecard';

const nps = (score: number, at: string, id: string): SignalFact =>
  ({ kind: 'nps', subject: id, at, eventId: id, value: { score, category: 'x', surveyId: 's', responseId: id } });
const churn = (at: string, id: string): SignalFact => ({ kind: 'outcome', subject: id, at, eventId: id, value: { outcome: 'churned', closedAt: at } });

describe('backtest sweep', () => {
  const plan = { from: '2026-02-01', to: '2026-02-15', stepDays: 7, horizons: [30], segment: {}, observedUntil: new Date('2026-06-01T00:00:00Z') };

  it('reports pairs under an override apart, and drops an account once it churned', () => {
    const sweep = new BacktestSweep(plan, [DEFAULT_SCORECARD]);
    sweep.add({ accountId: 'plain', facts: [nps(2, '2026-01-20T00:00:00.000Z', 'p1'), churn('2026-02-10T00:00:00.000Z', 'p2')] });
    sweep.add({
      accountId: 'overridden', facts: [
        nps(9, '2026-01-20T00:00:00.000Z', 'o1'),
        { kind: 'override', subject: 'o', at: '2026-01-25T00:00:00.000Z', eventId: 'o2', value: { overrideId: 'o', state: 'set', band: 'red', reason: 'r', expiresAt: '2026-02-10T00:00:00.000Z' } },
      ],
    });
    const [h] = sweep.results(50)[0].horizons;
    // plain: 02-01 and 02-08 (churned 02-10, gone on 02-15); overridden: 02-01, 02-08 under override, 02-15 not.
    expect(h.pairs).toBe(3);
    expect(h.overridden).toEqual({ pairs: 2, churnedPairs: 0, churnRate: 0 });
    expect(h.churnedPairs).toBe(2);
    expect(h.rocAuc).toBe(1);
  });

  it('leaves out days whose horizon reaches past what the history observed', () => {
    const sweep = new BacktestSweep({ ...plan, observedUntil: new Date('2026-03-05T00:00:00Z') }, [DEFAULT_SCORECARD]);
    sweep.add({ accountId: 'a', facts: [nps(5, '2026-01-20T00:00:00.000Z', 'a1')] });
    // 02-01 + 30 = 03-03 ≤ 03-05; 02-08 + 30 = 03-10 > 03-05.
    expect(sweep.results(10)[0].horizons[0].pairs).toBe(1);
  });
});
