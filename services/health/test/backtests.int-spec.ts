import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, uniqueId, waitFor } from '@cairn/testing';
import { healthService } from '../src/service';

const DAY = 86_400_000;
const day = (base: string, n: number) => new Date(Date.parse(`${base}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const at = (base: string, n: number, hour = 12) => new Date(Date.parse(`${base}T00:00:00Z`) + n * DAY + hour * 3600_000).toISOString();

/** Point-in-time history and backtests, against the real broker and database. */
describe('health: point-in-time history and backtests', () => {
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let producer: TestProducer;

  beforeAll(async () => {
    ({ svc, producer } = rig = await startServiceUnderTest(healthService));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const nps = (ws: string, accountId: string, score: number, respondedAt: string, responseId = `r-${accountId}-${respondedAt}`) =>
    producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: ws, accountId,
      data: { surveyId: 's', responseId, kind: 'nps', score, category: score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor', respondedAt },
    });
  const outcome = (ws: string, accountId: string, outcome: 'churned' | 'renewed', closedAt: string) =>
    producer.sendEvent(Topics.renewalClosed, {
      workspaceId: ws, accountId,
      data: { contractId: `c-${accountId}`, outcome, arrBefore: 1000, arrAfter: outcome === 'churned' ? 0 : 1000, ...(outcome === 'churned' ? { reason: 'budget' } : {}), closedAt },
    });

  async function backtest(api: ReturnType<typeof apiClient>, body: unknown) {
    const res = await api.post('/backtests', body);
    expect(res.status).toBe(202);
    return waitFor('backtest finished', async () => {
      const r = (await api.get(`/backtests/${res.json.id}`)).json;
      return r?.status === 'succeeded' || r?.status === 'failed' ? r : undefined;
    }, { timeoutMs: 90_000 });
  }

  describe('no look-ahead', () => {
    const ws = uniqueId('ws');
    const D = '2026-04-15';
    let api: ReturnType<typeof apiClient>;
    beforeAll(() => { api = apiClient(svc.url, svc.token(ws)); });

    const before = (accountId: string) => [
      () => producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId, time: at(D, -30), data: { seats: 20, traits: {} } }),
      () => producer.sendEvent(Topics.contactUpserted, {
        workspaceId: ws, accountId, time: at(D, -20), data: { contactId: `${accountId}-ana`, accountIds: [accountId], name: 'Ana', role: 'champion', traits: {} },
      }),
      () => producer.sendEvent(Topics.usageSummary, {
        workspaceId: ws, accountId, data: { asOf: day(D, -1), activeUsers7d: 12, activeUsers30d: 16, featuresUsed30d: 6, lastActivityAt: at(D, -1, 9), usageTrendPct: 5 },
      }),
      () => nps(ws, accountId, 9, at(D, -10)),
    ];
    const after = (accountId: string) => [
      // Dated D itself: not "before D".
      () => producer.sendEvent(Topics.usageSummary, {
        workspaceId: ws, accountId, data: { asOf: D, activeUsers7d: 1, activeUsers30d: 2, featuresUsed30d: 1, lastActivityAt: at(D, 0, 8), usageTrendPct: -80 },
      }),
      () => producer.sendEvent(Topics.contactDeparted, {
        workspaceId: ws, accountId, data: { contactId: `${accountId}-ana`, name: 'Ana', role: 'champion', rule: 'traits', evidence: {}, departedAt: at(D, 2), reason: 'left' },
      }),
      () => nps(ws, accountId, 2, at(D, 3)),
      () => producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId, time: at(D, 4), data: { seats: 200, traits: {} } }),
    ];
    const asOf = async (accountId: string, d: string) => (await api.get(`/accounts/${accountId}/health/as-of/${d}`)).json;
    const settled = (accountId: string, facts: number) => waitFor(`${accountId} has ${facts} facts before ${day(D, 10)}`, async () => {
      const r = await asOf(accountId, day(D, 10));
      return r?.facts === facts ? r : undefined;
    });

    it('an event dated after D never changes the score as of D, whatever order events arrive in', async () => {
      // In order: the past first, the score as of D is taken, then the future arrives.
      for (const send of before('ordered')) await send();
      const early = await waitFor('ordered scored as of D on its four facts', async () => {
        const r = await asOf('ordered', D);
        return r?.facts === 4 && r.score !== null ? r : undefined;
      });
      expect(early.band).toBe('green');
      for (const send of after('ordered')) await send();
      await settled('ordered', 8);
      expect(await asOf('ordered', D)).toEqual(early);

      // Reversed: the future arrives first, then the past.
      for (const send of [...after('reversed')].reverse()) await send();
      for (const send of [...before('reversed')].reverse()) await send();
      const late = await settled('reversed', 8);
      const reversed = await asOf('reversed', D);
      expect({ ...reversed, accountId: 'x', explanation: undefined }).toEqual({ ...early, accountId: 'x', explanation: undefined });
      expect(reversed.explanation.map((e: any) => [e.measure, e.points])).toEqual(early.explanation.map((e: any) => [e.measure, e.points]));
      // The future does count once its day has passed.
      expect(late.score).toBeLessThan(early.score);
      expect(late.explanation.find((e: any) => e.measure === 'championPresent').raw).toBe(false);
    });
  });

  describe('on a small hand-built history', () => {
    const ws = uniqueId('ws');
    const D = '2026-05-04';
    let api: ReturnType<typeof apiClient>;
    // Only NPS is known, so each score is the NPS measure's points (default thresholds 0→0, 6→40, 7→60, 8→75, 9→90, 10→100):
    // a1 NPS 2 → 13 red, a2 5 → 33 red, a3 7 → 60 yellow, a4 8 → 75 green, a5 9 → 90 green, a6 10 → 100 green.
    const accounts: [string, number, number | null][] = [['a1', 2, 10], ['a2', 5, null], ['a3', 7, 20], ['a4', 8, null], ['a5', 9, 40], ['a6', 10, null]];

    beforeAll(async () => {
      api = apiClient(svc.url, svc.token(ws));
      for (const [id, score, churnDay] of accounts) {
        await nps(ws, id, score, at(D, -5));
        await outcome(ws, id, churnDay === null ? 'renewed' : 'churned', at(D, churnDay ?? 100));
      }
      await waitFor('all facts in', async () => {
        const all = await Promise.all(accounts.map(async ([id]) => (await api.get(`/accounts/${id}/health/as-of/${day(D, 200)}`)).json?.facts));
        return all.every((n) => n === 2);
      }, { timeoutMs: 90_000 });
    });

    it('gives the AUC, PR AUC, lift and churn per band computed by hand', async () => {
      const r = await backtest(api, { scorecard: { id: 'default' }, period: { from: D, to: D }, horizons: [30, 60], stepDays: 1 });
      expect(r.status).toBe('succeeded');
      const [h30, h60] = r.result.scorecards[0].horizons;
      // 30 days: churners a1 (13), a3 (60); stayed a2 (33), a4 (75), a5 (90), a6 (100).
      // a1 is below all 4, a3 below 3 of 4: AUC = 7/8.
      expect(h30).toMatchObject({ horizonDays: 30, pairs: 6, accounts: 6, churners: 2, rocAuc: 0.875, baseRate: 0.3333 });
      // Riskiest first: 13 churned (precision 1, recall ½), 33 stayed, 60 churned (precision ⅔, recall ½): AP = ½ + ⅓.
      expect(h30.prAuc).toBeCloseTo(0.8333, 4);
      // The riskiest tenth (0.6 of an account) is all a1, a churner: rate 1 over base ⅓ = 3.
      expect(h30.topDecileLift).toBe(3);
      expect(h30.bands).toEqual([
        { band: 'red', pairs: 2, churned: 1, churnRate: 0.5 },
        { band: 'yellow', pairs: 1, churned: 1, churnRate: 1 },
        { band: 'green', pairs: 3, churned: 0, churnRate: 0 },
      ]);
      expect(h30.red).toEqual({ precision: 0.5, recall: 0.5 });
      expect(h30.greenChurners.count).toBe(0);
      // 60 days: a5 (90) churns too. a1 below 3 of 3, a3 below 2, a5 below 1: AUC = 6/9.
      expect(h60).toMatchObject({ churners: 3, rocAuc: 0.6667 });
      expect(h60.bands[2]).toEqual({ band: 'green', pairs: 3, churned: 1, churnRate: 0.3333 });
      expect(h60.greenChurners.count).toBe(1);
      expect(h60.greenChurners.accounts[0]).toMatchObject({ accountId: 'a5', score: 90, band: 'green', asOf: `${D}` });
      expect(h60.greenChurners.accounts[0].explanation.find((e: any) => e.measure === 'npsLatest')).toMatchObject({ raw: 9, points: 90 });
      expect(h30.rocAucCi.low).toBeLessThanOrEqual(0.875);
      expect(h30.rocAucCi.high).toBeGreaterThanOrEqual(0.875);
    });

    it('compares two scorecard versions side by side on the same accounts and days', async () => {
      const created = await api.post('/scorecards', {
        id: 'upside-down', name: 'Upside down', draft: true,
        measures: [{ measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 100 }, { value: 10, points: 0 }] }],
      });
      expect(created.status).toBe(201);
      expect(created.json.active).toBe(false);
      const r = await backtest(api, {
        scorecard: { id: 'default' }, compareWith: { id: 'upside-down', version: 1 }, period: { from: D, to: D }, horizons: [30], stepDays: 1,
      });
      const [a, b] = r.result.scorecards;
      expect([a.scorecardId, b.scorecardId]).toEqual(['default', 'upside-down']);
      expect(b.active).toBe(false);
      expect(a.horizons[0].pairs).toBe(b.horizons[0].pairs);
      // The mirror image ranks every pair the other way round: 1 − 7/8.
      expect(a.horizons[0].rocAuc).toBe(0.875);
      expect(b.horizons[0].rocAuc).toBe(0.125);
    });

    it('refuses a period without outcomes and a segment without accounts with a clear message', async () => {
      const empty = await api.post('/backtests', { scorecard: { id: 'default' }, period: { from: '2025-01-01', to: '2025-02-01' } });
      expect(empty.status).toBe(400);
      expect(empty.json.message[0]).toMatch(/^period: no churn outcome is recorded between 2025-01-01 and 2025-05-02/);
      const nobody = await api.post('/backtests', { scorecard: { id: 'default' }, period: { from: D, to: D }, segment: { plan: 'platinum' } });
      expect(nobody.status).toBe(400);
      expect(nobody.json.message).toEqual(["segment: no account of this workspace has plan 'platinum'"]);
      const unknown = await api.post('/backtests', { scorecard: { id: 'nope' }, period: { from: D, to: D } });
      expect(unknown.status).toBe(400);
      expect(unknown.json.message).toEqual(["scorecard: scorecard 'nope' not found"]);
      const other = apiClient(svc.url, svc.token(uniqueId('ws')));
      const r = await api.post('/backtests', { scorecard: { id: 'default' }, period: { from: D, to: D }, stepDays: 1 });
      expect((await other.get(`/backtests/${r.json.id}`)).status).toBe(404);
      expect((await apiClient(svc.url).post('/backtests', { scorecard: { id: 'default' }, period: { from: D, to: D } })).status).toBe(401);
    });
  });

  describe('suggestion', () => {
    const ws = uniqueId('ws');
    const P0 = '2026-01-05';
    let api: ReturnType<typeof apiClient>;

    it('fits a draft that beats a deliberately bad scorecard on held-out days, and does not activate it', async () => {
      api = apiClient(svc.url, svc.token(ws));
      // 66 accounts, NPS 0..10; detractors (NPS ≤ 4) churn, spread over 20 weeks; the rest renew later.
      const n = 66;
      for (let i = 0; i < n; i++) {
        const id = `s${i}`;
        await nps(ws, id, i % 11, at(P0, -3));
        await outcome(ws, id, i % 11 <= 4 ? 'churned' : 'renewed', at(P0, i % 11 <= 4 ? 7 * (i % 20) + 3 : 200));
      }
      await waitFor('all facts in', async () => {
        const r = await api.get(`/accounts/s${n - 1}/health/as-of/${day(P0, 300)}`);
        return r.json?.facts === 2;
      }, { timeoutMs: 90_000 });
      const bad = await api.post('/scorecards', {
        id: 'bad', name: 'Bad', draft: true,
        measures: [{ measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 100 }, { value: 10, points: 0 }] }],
      });
      expect(bad.status).toBe(201);
      const res = await api.post('/scorecards/suggestions', { period: { from: P0, to: day(P0, 133) }, horizonDays: 30, baseline: { id: 'bad' } });
      expect(res.status).toBe(201);
      expect(res.json.activated).toBe(false);
      expect(res.json.heldOut.draftAuc).toBeGreaterThan(res.json.heldOut.baselineAuc);
      expect(res.json.heldOut.draftAuc).toBeGreaterThan(0.8);
      expect(res.json.draft.measures.map((m: any) => m.measure)).toEqual(['npsLatest']);
      const stored = (await api.get('/scorecards/fitted')).json;
      expect(stored.active).toBe(false);
      expect(stored.versions).toEqual([expect.objectContaining({ version: 1, active: false })]);
      // Not used for scoring: the workspace's active scorecards are still only the built-in one.
      expect((await api.get('/scorecards')).json.map((s: any) => s.id)).toEqual(['default']);
    });
  });
});
