import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { healthService } from '../src/service';

/** Workspace scorecards: validation, segment selection, versions, full recompute. */
describe('health: scorecards', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(healthService, { watch: [Topics.healthChanged.name] }));
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const health = async (accountId: string) => (await api.get(`/accounts/${accountId}/health`)).json;
  const causedBy = (eventId: string) =>
    watcher.matching(Topics.healthChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data?.cause?.eventId === eventId);
  const recompute = async () => {
    const res = await api.post('/scorecards/recompute');
    expect(res.status).toBe(200);
    return res.json;
  };

  const enterprise = {
    id: 'enterprise', name: 'Enterprise', segment: { plan: 'enterprise' },
    measures: [
      { measure: 'activeUsersVsSeats', weight: 3, thresholds: [{ value: 0, points: 0 }, { value: 50, points: 100 }] },
      { measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 0 }, { value: 10, points: 100 }] },
    ],
    bands: { yellowFrom: 50, greenFrom: 90 },
  };

  it('scores accounts with the built-in scorecard while the workspace has none', async () => {
    for (const [account, plan] of [['big', 'enterprise'], ['small', 'starter']]) {
      await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: account, data: { plan, seats: 40, traits: {} } });
      await producer.sendEvent(Topics.usageSummary, {
        workspaceId: ws, accountId: account, data: { asOf: '2026-03-01', activeUsers7d: 5, activeUsers30d: 10, featuresUsed30d: 2 },
      });
      await producer.sendEvent(Topics.surveyResponseRecorded, {
        workspaceId: ws, accountId: account,
        data: { surveyId: 's', responseId: `r-${account}`, kind: 'nps', score: 8, category: 'passive', respondedAt: '2026-03-01T10:00:00Z' },
      });
    }
    // 10 of 40 seats = 25% → 45 (w15), 2 features → 35 (w10), NPS 8 → 75 (w10): (675 + 350 + 750) / 35 = 50.71 → 51
    for (const account of ['big', 'small']) {
      const h = await waitFor(`${account} scored on all three signals`, async () => {
        const r = await health(account);
        return r?.coverage?.used?.length === 3 ? r : undefined;
      });
      expect(h).toMatchObject({ score: 51, band: 'yellow', scorecardId: 'default' });
    }
  });

  it('rejects an invalid scorecard with a message naming each bad field', async () => {
    const semantic = await api.post('/scorecards', {
      name: 'Broken',
      measures: [
        { measure: 'pageViewsPerSeat', weight: 1 },
        { measure: 'csat', weight: 0 },
        { measure: 'ces', weight: 1, thresholds: [{ value: 5, points: 0 }, { value: 2, points: 100 }] },
      ],
      bands: { yellowFrom: 80, greenFrom: 60 },
    });
    expect(semantic.status).toBe(400);
    expect(semantic.json.message).toEqual([
      expect.stringMatching(/^measures\[0\]\.measure: unknown measure 'pageViewsPerSeat' \(known: usageTrend, /),
      'measures[1].weight: must be a number greater than 0 (got 0)',
      'measures[2].thresholds[1].value: thresholds must be strictly ascending by value (2 after 5)',
      'bands: yellowFrom (80) must be below greenFrom (60)',
    ]);
    const shape = await api.post('/scorecards', {
      name: 'Broken', segment: { tier: 'gold' },
      measures: [{ measure: 'csat', weight: 'heavy', thresholds: [{ value: 1, points: 120 }] }],
    });
    expect(shape.status).toBe(400);
    expect(shape.json.message).toEqual(expect.arrayContaining([
      'segment.property tier should not exist', 'measures.0.weight must be a number conforming to the specified constraints',
      'measures.0.thresholds.0.points must not be greater than 100',
    ]));
    expect((await api.post('/scorecards', { ...enterprise, id: 'default' })).status).toBe(400);
    expect((await api.get('/scorecards')).json.map((s: any) => s.id)).toEqual(['default']);
  });

  it('uses a segment\'s scorecard for matching accounts after a recompute, with hand-computed numbers', async () => {
    const created = await api.post('/scorecards', enterprise);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ id: 'enterprise', version: 1, active: true, segment: { plan: 'enterprise' } });

    const report = await recompute();
    expect(report).toMatchObject({ accounts: 2, scored: 2, changed: 1 });
    // 25% of seats → 50 points (w3), NPS 8 → 80 points (w1): (150 + 80) / 4 = 57.5 → 58; yellow from 50
    const big = await health('big');
    expect(big).toMatchObject({ score: 58, band: 'yellow', scorecardId: 'enterprise', scorecardVersion: 1 });
    expect(big.explanation).toEqual([
      expect.objectContaining({ measure: 'activeUsersVsSeats', raw: 25, points: 50, weight: 3, contribution: 37.5 }),
      expect.objectContaining({ measure: 'npsLatest', raw: 8, points: 80, weight: 1, contribution: 20 }),
    ]);
    expect(big.coverage.note).toBe('all 2 measures had data');
    expect(await health('small')).toMatchObject({ score: 51, scorecardId: 'default' });

    const event = await waitFor('health.changed of the recompute', () => causedBy(report.runId)[0]);
    expect(event.json).toMatchObject({
      accountId: 'big',
      data: {
        scorecardId: 'enterprise', scorecardVersion: 1, previous: { score: 51, band: 'yellow' }, current: { score: 58, band: 'yellow' },
        cause: { type: 'health.recompute' }, summary: 'Health rose from 51 (yellow) to 58 (yellow): full recompute requested (scorecards)',
      },
    });
  });

  it('prefers the most specific matching scorecard', async () => {
    const everyone = await api.post('/scorecards', { name: 'Everyone', measures: [{ measure: 'featureAdoption', weight: 1 }] });
    expect(everyone.json).toMatchObject({ id: 'everyone', segment: {}, measures: [{ measure: 'featureAdoption', thresholds: [{ value: 0, points: 0 }, { value: 1, points: 20 }, { value: 3, points: 50 }, { value: 5, points: 75 }, { value: 10, points: 100 }] }] });
    expect(await recompute()).toMatchObject({ accounts: 2, changed: 1 });
    // 2 features → 35 with the default thresholds: red
    expect(await health('small')).toMatchObject({ score: 35, band: 'red', scorecardId: 'everyone' });
    expect(await health('big')).toMatchObject({ score: 58, scorecardId: 'enterprise' });
  });

  it('keeps versions: a new version applies, an old one can be activated again', async () => {
    const v2 = await api.put('/scorecards/enterprise', { ...enterprise, id: undefined, bands: { yellowFrom: 60, greenFrom: 90 } });
    expect(v2.status).toBe(200);
    expect(v2.json).toMatchObject({ id: 'enterprise', version: 2, active: true });
    const afterV2 = await recompute();
    expect(afterV2.changed).toBe(1);
    expect(await health('big')).toMatchObject({ score: 58, band: 'red', scorecardVersion: 2 });
    const bandChange = await waitFor('health.changed of the band change', () => causedBy(afterV2.runId)[0]);
    expect(bandChange.json.data.summary).toBe('Health band changed from yellow to red at 58: full recompute requested (scorecards)');

    const detail = await api.get('/scorecards/enterprise');
    expect(detail.json).toMatchObject({ version: 2, versions: [{ version: 2, active: true }, { version: 1, active: false }] });
    expect((await api.post('/scorecards/enterprise/activate', { version: 1 })).json).toMatchObject({ version: 1, active: true });
    expect((await recompute()).changed).toBe(1);
    expect(await health('big')).toMatchObject({ score: 58, band: 'yellow', scorecardVersion: 1 });

    expect((await api.post('/scorecards/enterprise/activate', { version: 7 })).status).toBe(404);
    expect((await api.post('/scorecards', enterprise)).status).toBe(409);
    expect((await api.put('/scorecards/nope', { ...enterprise, id: undefined })).status).toBe(404);
  });

  it('publishes nothing when a recompute changes nothing', async () => {
    const report = await recompute();
    expect(report).toMatchObject({ accounts: 2, scored: 2, changed: 0 });
    expect(await holdsFor(1000, () => causedBy(report.runId).length === 0)).toBe(true);
  });

  it('scores new signals with the account\'s scorecard in real time', async () => {
    const answer = await producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: ws, accountId: 'big',
      data: { surveyId: 's', responseId: 'r-big-2', kind: 'nps', score: 10, category: 'promoter', respondedAt: '2026-03-02T10:00:00Z' },
    });
    // (50 × 3 + 100 × 1) / 4 = 62.5 → 63
    const event = await waitFor('health.changed of the survey answer', () => causedBy(answer.id)[0]);
    expect(event.json.data).toMatchObject({ scorecardId: 'enterprise', previous: { score: 58 }, current: { score: 63, band: 'yellow' } });
  });

  it('lists scorecards and measures, and keeps them to their workspace', async () => {
    expect((await api.get('/scorecards')).json.map((s: any) => [s.id, s.builtIn])).toEqual([['enterprise', false], ['everyone', false], ['default', true]]);
    const measures = (await api.get('/scorecards/measures')).json;
    expect(measures).toHaveLength(15);
    expect(measures.find((m: any) => m.measure === 'ticketVolumeTrend')).toMatchObject({ defaultWeight: null, group: 'support' });
    expect(measures[0]).toMatchObject({ measure: 'usageTrend', defaultWeight: 25, group: 'adoption' });
    expect(measures.find((m: any) => m.measure === 'npsTrend')).toMatchObject({ defaultWeight: null, group: 'sentiment' });

    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/scorecards')).json.map((s: any) => s.id)).toEqual(['default']);
    expect((await other.get('/scorecards/enterprise')).status).toBe(404);
    expect((await other.post('/scorecards/recompute')).json).toMatchObject({ accounts: 0, changed: 0 });
  });

  it('scores the NPS trend from the account\'s latest answer vs the one before, a corrected answer not counting as new', async () => {
    const trendWs = uniqueId('ws');
    const trendApi = apiClient(svc.url, svc.token(trendWs));
    expect((await trendApi.post('/scorecards', {
      id: 'trend', name: 'Trend', measures: [{ measure: 'npsTrend', weight: 1, thresholds: [{ value: -10, points: 0 }, { value: 10, points: 100 }] }],
    })).status).toBe(201);
    const nps = (responseId: string, score: number, category: string, time: string) => producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: trendWs, accountId: 'trendy', time,
      data: { surveyId: 's', responseId, kind: 'nps', score, category: category as 'promoter', respondedAt: time },
    });
    const scoreOf = (eventId: string) => waitFor('the answer scored', async () => {
      const h = (await trendApi.get('/accounts/trendy/health')).json;
      return h?.explanation?.[0]?.lastEventId === eventId ? h : undefined;
    });
    await nps('r-1', 9, 'promoter', '2026-03-01T10:00:00Z');
    const second = await nps('r-2', 3, 'detractor', '2026-03-02T10:00:00Z');
    // 3 − 9 = −6 → 50 − 6 × 5 = 20
    expect(await scoreOf(second.id)).toMatchObject({
      score: 20, band: 'red',
      explanation: [expect.objectContaining({ measure: 'npsTrend', raw: -6, points: 20, detail: 'NPS answers 9 (promoter) → 3 (detractor): -6' })],
    });
    // The same person corrects their answer to 5: still compared with 9 → −4 → 30
    const corrected = await nps('r-2', 5, 'detractor', '2026-03-02T11:00:00Z');
    expect(await scoreOf(corrected.id)).toMatchObject({ score: 30, explanation: [expect.objectContaining({ raw: -4 })] });
  });
});
