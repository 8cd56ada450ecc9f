import 'reflect-metadata';
import { EventEnvelope, Topics, validateEnvelope } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, SeenMessage, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { healthService } from '../src/service';

/**
 * The real-time path: signals from other services' topics → read model → score → health.changed.
 * Numbers are those of the built-in scorecard, computed by hand in the comments.
 */
describe('health: scores from signals, in real time', () => {
  const ws = uniqueId('ws');
  const account = 'acme';
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

  const changes = (workspaceId = ws, accountId = account): SeenMessage[] =>
    watcher.matching(Topics.healthChanged.name, (m) => m.json?.workspaceId === workspaceId && m.json?.accountId === accountId);
  const changeCausedBy = (eventId: string) =>
    watcher.waitFor(Topics.healthChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data?.cause?.eventId === eventId);
  const health = async (accountId = account) => (await api.get(`/accounts/${accountId}/health`)).json;
  const measure = (h: any, name: string) => h.explanation.find((e: any) => e.measure === name);
  /** Waits until the service has scored `event` (computedAt is the time of the latest event scored). */
  const scored = (event: EventEnvelope) =>
    waitFor(`event ${event.type} scored`, async () => ((await health())?.computedAt === event.time ? true : undefined));

  const lastActivityAt = new Date(Date.now() - 36 * 3_600_000).toISOString(); // one whole day ago
  const summary = {
    asOf: new Date().toISOString().slice(0, 10), activeUsers7d: 8, activeUsers30d: 12, featuresUsed30d: 6, lastActivityAt, usageTrendPct: 5,
  };
  const drop = {
    kind: 'drop' as const, changePct: -88, thresholdPct: 50, episodeId: 'ep-1', baselineDailyAvg: 40, currentDailyAvg: 4.8,
    baselineWindow: { from: '2026-01-01', to: '2026-01-28' }, currentWindow: { from: '2026-01-29', to: '2026-02-04' },
    reason: 'Weekly usage fell 88% (40.0 → 4.8 events/day) vs the 28-day baseline',
  };
  let dropEvent: EventEnvelope;

  it('refuses requests without an API token', async () => {
    expect((await apiClient(svc.url).get(`/accounts/${account}/health`)).status).toBe(401);
  });

  it('gives an account its first score from a usage summary and a champion, with the explanation', async () => {
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: account, data: { name: 'Acme', plan: 'pro', seats: 20, traits: {} } });
    await producer.sendEvent(Topics.usageSummary, { workspaceId: ws, accountId: account, data: summary });
    const champion = await producer.sendEvent(Topics.contactUpserted, {
      workspaceId: ws, accountId: account, data: { contactId: 'c-jane', accountIds: [account], name: 'Jane Doe', role: 'champion', traits: {} },
    });
    // trend +5% → 85 (w25), 12 of 20 seats = 60% → 80 (w15), 6 features → 80 (w10), 1 day → 96.7 (w10), champion → 100 (w15)
    // (2125 + 1200 + 800 + 967 + 1500) / 75 = 87.89 → 88
    const h = await waitFor('the first complete score', async () => {
      const r = await health();
      return r?.score === 88 ? r : undefined;
    });
    expect(h).toMatchObject({ accountId: account, name: 'Acme', band: 'green', scorecardId: 'default', scorecardVersion: 1 });
    expect(measure(h, 'usageTrend')).toMatchObject({ raw: 5, points: 85, weight: 25, contribution: 28.33 });
    expect(measure(h, 'activeUsersVsSeats')).toMatchObject({ raw: 60, points: 80, weight: 15, contribution: 16 });
    expect(measure(h, 'championPresent')).toMatchObject({ raw: true, points: 100, contribution: 20, lastEventId: champion.id });
    expect(measure(h, 'npsLatest')).toMatchObject({ points: null, contribution: 0 });
    expect(h.coverage.note).toMatch(/^5 of 9 measures had data; left out \(no data\): npsLatest, csat, ces, daysToRenewal/);

    const first = await waitFor('a first health.changed', () => changes()[0]);
    expect(first.json.data.previous).toBeNull();
    expect(first.json.data.summary).toMatch(/^Health scored \d+ \((red|yellow|green)\) for the first time: /);
    expect(first.key).toBe(`${ws}:${account}`);
    // The change to 88 is the last one these three events cause; later counts start from it.
    await waitFor('the health.changed to 88', () => changes().find((m) => m.json.data.current.score === 88));
  });

  it('lowers score and band on a usage drop and publishes exactly one health.changed caused by it', async () => {
    const before = changes().length;
    dropEvent = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: account, data: drop });
    const changed = await changeCausedBy(dropEvent.id);
    // trend −88% → 12/50 × 20 = 4.8 points: (120 + 1200 + 800 + 967 + 1500) / 75 = 61.16 → 61
    expect(changed.json.data).toMatchObject({
      scorecardId: 'default', previous: { score: 88, band: 'green' }, current: { score: 61, band: 'yellow' },
      cause: { eventId: dropEvent.id, type: 'usage.dropped', summary: `usage fell 88% vs baseline (${drop.reason})` },
      summary: `Health fell from 88 (green) to 61 (yellow): usage fell 88% vs baseline (${drop.reason})`,
    });
    const trend = changed.json.data.explanation.find((e: any) => e.measure === 'usageTrend');
    expect(trend).toMatchObject({ raw: -88, points: 4.8, weight: 25, contribution: 1.6, lastEventId: dropEvent.id });
    expect(trend.detail).toContain(drop.reason);
    expect(changes().length).toBe(before + 1);
    // What consumers (renewals, playbooks) will accept: the contract's own validation.
    expect(() => validateEnvelope(Topics.healthChanged, changed.json)).not.toThrow();
  });

  it('publishes nothing for the same usage-drop event delivered twice, nor for another event of the same episode', async () => {
    const before = changes().length;
    await producer.sendEnvelope(Topics.usageDropped.name, dropEvent);
    // Same topic and key, so it is consumed after the duplicate; it moves nothing either.
    const sameEpisode = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: account, data: drop });
    await scored(sameEpisode);
    expect(await holdsFor(1500, () => changes().length === before)).toBe(true);
    expect(changes().filter((m) => m.json.data.cause.eventId === dropEvent.id)).toHaveLength(1);
    expect((await health()).score).toBe(61);
  });

  it('publishes nothing for a signal that changes nothing', async () => {
    const before = changes().length;
    const same = await producer.sendEvent(Topics.usageSummary, { workspaceId: ws, accountId: account, data: summary });
    await scored(same);
    expect(await holdsFor(1500, () => changes().length === before)).toBe(true);
    const h = await health();
    expect(h.score).toBe(61);
    // The open drop episode still explains the trend; the summary did not take it over.
    expect(measure(h, 'usageTrend').lastEventId).toBe(dropEvent.id);
  });

  it('lowers the score when the only champion leaves', async () => {
    const departed = await producer.sendEvent(Topics.contactDeparted, {
      workspaceId: ws, accountId: account,
      data: {
        contactId: 'c-jane', name: 'Jane Doe', role: 'champion', rule: 'traits', evidence: { trait: 'status', value: 'left' },
        departedAt: new Date().toISOString(), reason: 'identify traits say status = left',
      },
    });
    const changed = await changeCausedBy(departed.id);
    // champion → 0 points: (120 + 1200 + 800 + 967 + 0) / 75 = 41.16 → 41
    expect(changed.json.data).toMatchObject({
      previous: { score: 61, band: 'yellow' }, current: { score: 41, band: 'yellow' },
      summary: 'Health fell from 61 (yellow) to 41 (yellow): champion Jane Doe left the account (identify traits say status = left)',
    });
    const champion = changed.json.data.explanation.find((e: any) => e.measure === 'championPresent');
    expect(champion).toMatchObject({ raw: false, points: 0, contribution: 0, lastEventId: departed.id });
    expect(champion.detail).toBe('no champion: Jane Doe (champion) left: identify traits say status = left; weight 15 of 75 present = 20%');
  });

  it('lowers the score on a detractor survey response', async () => {
    const response = await producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: ws, accountId: account,
      data: { surveyId: 'nps-q1', responseId: 'r-1', contactId: 'c-bob', kind: 'nps', score: 3, category: 'detractor', respondedAt: new Date().toISOString() },
    });
    const changed = await changeCausedBy(response.id);
    // NPS 3 → 20 points (w10): (3087 + 200) / 85 = 38.67 → 39, red
    expect(changed.json.data).toMatchObject({
      previous: { score: 41, band: 'yellow' }, current: { score: 39, band: 'red' },
      cause: { type: 'survey.response-recorded', summary: 'NPS answer 3 (detractor)' },
    });
  });

  it('returns score, trend, explanation, cause and history through the API', async () => {
    const h = await health();
    expect(h).toMatchObject({
      accountId: account, score: 39, band: 'red', trend: { delta: -2, basis: 'previous', comparedTo: { score: 41 } },
      cause: { type: 'survey.response-recorded', summary: 'NPS answer 3 (detractor)' },
      summary: 'Health fell from 41 (yellow) to 39 (red): NPS answer 3 (detractor)',
    });
    expect(measure(h, 'npsLatest')).toMatchObject({ raw: 3, points: 20, weight: 10, contribution: 2.35, detail: 'latest NPS answer 3 (detractor); weight 10 of 85 present = 11.8%' });
    expect(measure(h, 'usageTrend').detail).toContain(drop.reason);

    const history = await api.get(`/accounts/${account}/health/history?limit=3`);
    expect(history.status).toBe(200);
    expect(history.json.map((e: any) => e.score)).toEqual([39, 41, 61]);
    expect(history.json[2]).toMatchObject({ previous: { score: 88, band: 'green' }, cause: { eventId: dropEvent.id } });

    const red = await api.get('/accounts?band=red');
    expect(red.json).toEqual([expect.objectContaining({ accountId: account, name: 'Acme', plan: 'pro', score: 39, band: 'red' })]);
    expect((await api.get('/accounts?band=green')).json).toEqual([]);
    expect((await api.get('/accounts')).json.map((a: any) => a.accountId)).toEqual([account]);
  });

  it('answers 404 for an account it has no score for, and 400 naming a bad query field', async () => {
    const missing = await api.get('/accounts/nobody/health');
    expect(missing.status).toBe(404);
    expect(missing.json.message).toBe("account 'nobody' has no health score in this workspace (no signals received for it yet)");
    const bad = await api.get('/accounts?band=purple&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toEqual(expect.arrayContaining([
      'band must be one of the following values: red, yellow, green', 'limit must not be less than 1',
    ]));
  });

  it('learns days to renewal from contracts and renewal.upcoming', async () => {
    const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    await producer.sendEvent(Topics.contractUpserted, {
      workspaceId: ws, accountId: 'globex',
      data: { contractId: 'ctr-g', arr: 12000, currency: 'USD', startDate: inDays(-245), endDate: inDays(120), autoRenew: false },
    });
    // 120 days → 80 + 30/90 × 20 = 86.7, the only measure with data → 87
    const first = await waitFor('globex scored', async () => {
      const r = await health('globex');
      return r?.score ? r : undefined;
    });
    expect(first).toMatchObject({ score: 87, band: 'green' });
    expect(measure(first, 'daysToRenewal')).toMatchObject({ raw: 120, points: 86.7 });

    const upcoming = await producer.sendEvent(Topics.renewalUpcoming, {
      workspaceId: ws, accountId: 'globex',
      data: { contractId: 'ctr-g', endDate: inDays(20), horizonDays: 30, daysToRenewal: 20, arr: 12000, currency: 'USD' },
    });
    // the end date moved to 20 days away → 40 + 20/30 × 10 = 46.7 → 47
    const changed = await changeCausedBy(upcoming.id);
    expect(changed.json.data).toMatchObject({
      previous: { score: 87, band: 'green' }, current: { score: 47, band: 'yellow' },
      cause: { type: 'renewal.upcoming', summary: `renewal of contract ctr-g in 20 days (${inDays(20)})` },
    });
  });

  it('keeps each workspace\'s accounts and scores apart', async () => {
    const other = uniqueId('other');
    const otherApi = apiClient(svc.url, svc.token(other));
    expect((await otherApi.get(`/accounts/${account}/health`)).status).toBe(404);
    expect((await otherApi.get('/accounts')).json).toEqual([]);

    // The same account id in another workspace is another account.
    await producer.sendEvent(Topics.usageSummary, { workspaceId: other, accountId: account, data: { ...summary, usageTrendPct: 20 } });
    const theirs = await waitFor('the other workspace\'s score', async () => {
      const r = await otherApi.get(`/accounts/${account}/health`);
      return r.status === 200 ? r.json : undefined;
    });
    // trend +20% → 100 (w25), 6 features → 80 (w10), 1 day → 96.7 (w10): (2500 + 800 + 967) / 45 = 94.8 → 95
    expect(theirs).toMatchObject({ score: 95, band: 'green' });
    expect(measure(theirs, 'championPresent').points).toBeNull();
    expect((await health()).score).toBe(39);
    expect(changes(other).every((m) => m.json.workspaceId === other)).toBe(true);
  });
});
