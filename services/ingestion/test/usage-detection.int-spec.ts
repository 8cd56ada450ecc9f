import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { ingestionService } from '../src/service';
import { addDays, utcDay } from '../src/domain/days';
import { DetectionScanner } from '../src/usage/detection-scanner';

const DAY_MS = 86_400_000;

describe('ingestion: rollups, usage-drop and silence detection', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let writeKey: string;
  const today = utcDay(new Date());
  /** Day n of the drop scenario: day 0 is 45 days ago, so every day up to 44 is in the past. */
  const D = (n: number) => addDays(today, n - 45);
  const at = (n: number, minute = 0) => `${D(n)}T12:${String(minute % 60).padStart(2, '0')}:00.000Z`;
  const ofAccount = (accountId: string) => (m: { json?: any }) => m.json?.workspaceId === ws && m.json?.accountId === accountId;
  /**
   * Distinct events (by envelope id) on a topic for an account. Every ingestion instance on the
   * broker (other suites' included) consumes cairn.usage.event.v1, and derives the same signal
   * with the same deterministic id; consumers dedupe on that id, so "once" means one id.
   */
  const signals = (topic: string, accountId: string) =>
    [...new Map(watcher.matching(topic, ofAccount(accountId)).map((m) => [m.json.id, m])).values()];

  let seq = 0;
  /** `perDay` track calls on each day from..to (event time), by five users, in order. */
  function days(accountId: string, from: number, to: number, perDay: number, dayOf: (n: number) => string = D) {
    const calls: object[] = [];
    for (let d = from; d <= to; d++) {
      for (let i = 0; i < perDay; i++) {
        calls.push({
          type: 'track', userId: `${accountId}-user-${i % 5}`, event: i % 2 ? 'Report Exported' : 'Dashboard Viewed',
          context: { groupId: accountId }, timestamp: `${dayOf(d)}T12:${String(i % 60).padStart(2, '0')}:00.000Z`, messageId: `${accountId}-${seq++}`,
        });
      }
    }
    return calls;
  }

  async function send(calls: object[]) {
    const auth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
    for (let i = 0; i < calls.length; i += 500) {
      const res = await apiClient(svc.url).post('/v1/batch', { batch: calls.slice(i, i + 500) }, auth);
      expect(res.json).toMatchObject({ success: true, rejected: [] });
    }
  }

  const usage = (accountId: string, query = '') => apiClient(svc.url, svc.token(ws)).get(`/accounts/${accountId}/usage${query}`);

  beforeAll(async () => {
    ({ svc, watcher } = rig = await startServiceUnderTest(ingestionService, { env: { INGESTION_SCAN_INTERVAL_MS: '0' }, watch: [Topics.usageDropped.name, Topics.usageRecovered.name, Topics.usageSummary.name] }));
    writeKey = (await apiClient(svc.url, svc.token(ws)).post('/write-keys', { name: 'backfill' })).json.writeKey;
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('signals one usage drop, with the numbers, when 28 days × 40 events fall to 7 days × 3 (event time)', async () => {
    await send([...days('drop-co', 0, 27, 40), ...days('drop-co', 28, 34, 3)]);
    await waitFor('all 1141 drop-co events in the rollups', async () =>
      (await usage('drop-co', `?from=${D(0)}&to=${D(34)}`)).json?.totals?.events === 1141, { timeoutMs: 60_000 });
    // Until a day-35 event closes day 34, no baseline covers 28 full days of history: no signal yet.
    expect(await holdsFor(500, () => signals(Topics.usageDropped.name, 'drop-co').length === 0)).toBe(true);
    await send(days('drop-co', 35, 35, 1));
    const dropped = await watcher.waitFor(Topics.usageDropped.name, ofAccount('drop-co'), { timeoutMs: 60_000 });
    expect(dropped.json.data).toEqual({
      kind: 'drop', thresholdPct: 50, episodeId: expect.any(String),
      baselineWindow: { from: D(0), to: D(27) }, currentWindow: { from: D(28), to: D(34) },
      baselineDailyAvg: 40, currentDailyAvg: 3, changePct: -92.5,
      reason: 'Weekly usage fell 92.5% (40.0 → 3.0 events/day) vs the 28-day baseline',
    });
    expect(dropped.key).toBe(`${ws}:drop-co`);
    expect(await holdsFor(1500, () => signals(Topics.usageDropped.name, 'drop-co').length === 1)).toBe(true);
  });

  it('publishes the account\'s usage summary as its days advance', async () => {
    const summary = await watcher.waitFor(Topics.usageSummary.name, (m) => ofAccount('drop-co')(m) && m.json.data.asOf === D(34) && !m.json.data.current);
    expect(summary.json.data).toEqual({
      asOf: D(34), activeUsers7d: 3, activeUsers30d: 5, featuresUsed30d: 2, usageTrendPct: -92.5,
      lastActivityAt: `${D(35)}T12:00:00.000Z`, firstActivityAt: `${D(0)}T12:00:00.000Z`,
    });
  });

  it('serves the daily series with active users and feature adoption', async () => {
    await waitFor('this instance to have judged drop-co', async () => (await usage('drop-co')).json?.episode);
    const res = await usage('drop-co', `?from=${D(26)}&to=${D(29)}`);
    expect(res.status).toBe(200);
    expect(res.json.days).toEqual([
      { day: D(26), events: 40, activeUsers: 5 }, { day: D(27), events: 40, activeUsers: 5 },
      { day: D(28), events: 3, activeUsers: 3 }, { day: D(29), events: 3, activeUsers: 3 },
    ]);
    expect(res.json).toMatchObject({
      totals: { events: 86, activeUsers: 5 }, activeUsers: { dau: 3, wau: 5, mau: 5 }, adoption: { featuresUsed30d: 2 },
      episode: { kind: 'drop', baselineDailyAvg: 40 },
    });
    expect(res.json.features.map((f: any) => f.feature).sort()).toEqual(['Dashboard Viewed', 'Report Exported']);
    const bad = await usage('drop-co', '?from=last-week');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/^from: must be a date/);
  });

  it('counts a call sent twice with one messageId once, and puts a late event in its own day', async () => {
    const late = { type: 'track', userId: 'drop-co-user-0', event: 'Late Event', context: { groupId: 'drop-co' }, timestamp: at(10, 30), messageId: 'late-dup-1' };
    await send([late]);
    await send([late]);
    await waitFor('the late event in its day', async () => (await usage('drop-co', `?from=${D(10)}&to=${D(10)}`)).json.days[0].events === 41);
    expect(await holdsFor(1000, async () => (await usage('drop-co', `?from=${D(10)}&to=${D(10)}`)).json.days[0].events === 41)).toBe(true);
  });

  it('signals recovery once when usage comes back within half the threshold, ending the episode', async () => {
    const dropped = signals(Topics.usageDropped.name, 'drop-co')[0];
    await send([...days('drop-co', 35, 35, 39), ...days('drop-co', 36, 41, 40)]);
    const recovered = await watcher.waitFor(Topics.usageRecovered.name, ofAccount('drop-co'), { timeoutMs: 60_000 });
    expect(recovered.json.data).toMatchObject({
      episodeId: dropped.json.data.episodeId, baselineDailyAvg: 40, currentDailyAvg: 34.7, changePct: -13.2,
      currentWindow: { from: D(34), to: D(40) }, reason: expect.stringMatching(/recovered to 34\.7 events\/day/),
    });
    await send(days('drop-co', 42, 42, 1));
    await waitFor('this instance to reach the last day', async () => (await usage('drop-co')).json?.latestDay === D(42));
    expect((await usage('drop-co')).json.episode).toBeNull();
    expect(await holdsFor(1000, () => signals(Topics.usageRecovered.name, 'drop-co').length === 1)).toBe(true);
    expect(signals(Topics.usageDropped.name, 'drop-co')).toHaveLength(1);
  });

  it('stays quiet about an account too small to judge', async () => {
    await send([...days('tiny-co', 0, 27, 2), ...days('tiny-co', 28, 35, 0), ...days('tiny-co', 36, 36, 1)]);
    await waitFor('tiny-co judged', async () => (await usage('tiny-co')).json?.latestDay === D(36));
    expect(await holdsFor(1000, () => signals(Topics.usageDropped.name, 'tiny-co').length === 0)).toBe(true);
  });

  it('signals silence once from a scheduled scan (injected clock), and recovery when events return', async () => {
    const recent = (n: number) => addDays(today, n);
    await send(days('quiet-co', -30, -1, 10, recent));
    await waitFor('all 300 quiet-co events in the rollups', async () =>
      (await usage('quiet-co', `?from=${recent(-30)}&to=${recent(-1)}`)).json?.totals?.events === 300);
    const scanner = svc.app.get(DetectionScanner);

    expect(await scanner.scan(new Date(Date.now() + 3 * DAY_MS))).toMatchObject({ silences: 0 });
    const eightDaysLater = new Date(Date.now() + 9 * DAY_MS);
    await scanner.scan(eightDaysLater);
    const silent = await watcher.waitFor(Topics.usageDropped.name, ofAccount('quiet-co'));
    expect(silent.json.data).toMatchObject({
      kind: 'silence', baselineDailyAvg: 10, currentDailyAvg: 0, changePct: -100,
      baselineWindow: { from: recent(-28), to: recent(-1) }, reason: expect.stringMatching(/^No usage for 8 days \(baseline 10\.0 events\/day/),
    });
    await scanner.scan(new Date(Date.now() + 12 * DAY_MS));
    expect(await holdsFor(1000, () => signals(Topics.usageDropped.name, 'quiet-co').length === 1)).toBe(true);

    await send(days('quiet-co', 0, 0, 1, recent));
    const back = await watcher.waitFor(Topics.usageRecovered.name, ofAccount('quiet-co'));
    expect(back.json.data).toMatchObject({ episodeId: silent.json.data.episodeId, reason: expect.stringMatching(/^Usage resumed/) });
  });

  it('handles one batch of track, group and identify calls for an account in order, each messageId once', async () => {
    const ts = `${D(44)}T08:00:00.000Z`;
    const track = (messageId: string) =>
      ({ type: 'track', userId: 'order-user', event: 'Dashboard Viewed', context: { groupId: 'order-co' }, timestamp: ts, messageId });
    await send([
      track('order-1'),
      { type: 'group', userId: 'order-user', groupId: 'order-co', traits: { name: 'Order Co', plan: 'trial' }, timestamp: ts, messageId: 'order-2' },
      track('order-3'),
      track('order-3'),
      { type: 'identify', userId: 'order-user', context: { groupId: 'order-co' }, traits: { email: 'o@order.example' }, timestamp: ts, messageId: 'order-4' },
      { type: 'group', userId: 'order-user', groupId: 'order-co', traits: { name: 'Order Company' }, timestamp: ts, messageId: 'order-5' },
      track('order-6'),
    ]);
    await waitFor('order-co rolled up', async () => (await usage('order-co', `?from=${D(44)}&to=${D(44)}`)).json?.totals?.events === 3);
    const account = await apiClient(svc.url, svc.token(ws)).get('/accounts/order-co');
    expect(account.json).toMatchObject({ name: 'Order Company', plan: 'trial', contacts: [{ contactId: 'order-user' }] });
    expect(await holdsFor(1000, async () => (await usage('order-co', `?from=${D(44)}&to=${D(44)}`)).json.totals.events === 3)).toBe(true);
  });

  it('records time to first value for the workspace\'s value event, in the usage API and in summaries', async () => {
    const api = apiClient(svc.url, svc.token(ws));
    const bad = await api.put('/settings/detection', { valueEvent: 42 });
    expect(bad.status).toBe(400);
    expect(bad.json.message.join(' ')).toMatch(/valueEvent/);
    expect((await api.put('/settings/detection', { valueEvent: 'Report Exported' })).json).toMatchObject({ valueEvent: 'Report Exported', customized: true });
    const call = (n: number, time: string, event: string) =>
      ({ type: 'track', userId: 'ttfv-user', event, context: { groupId: 'ttfv-co' }, timestamp: `${D(n)}T${time}:00.000Z`, messageId: `ttfv-${n}-${event}` });
    await send([call(40, '09:00', 'Dashboard Viewed'), call(42, '15:30', 'Report Exported'), call(43, '10:00', 'Dashboard Viewed')]);

    await waitFor('ttfv-co judged up to its last day', async () => (await usage('ttfv-co')).json?.latestDay === D(43));
    expect((await usage('ttfv-co')).json.timeToFirstValue).toEqual({
      valueEvent: 'Report Exported', firstActivityAt: `${D(40)}T09:00:00.000Z`, firstValueAt: `${D(42)}T15:30:00.000Z`,
      seconds: 2 * 86_400 + 6.5 * 3600, days: 2.3,
    });
    // Event time: the summary as of the day before the value event does not have it yet; the next one does.
    const before = await watcher.waitFor(Topics.usageSummary.name, (m) => ofAccount('ttfv-co')(m) && m.json.data.asOf === D(41) && !m.json.data.current);
    expect(before.json.data).toMatchObject({ firstActivityAt: `${D(40)}T09:00:00.000Z` });
    expect(before.json.data.firstValueAt).toBeUndefined();
    const after = await watcher.waitFor(Topics.usageSummary.name, (m) => ofAccount('ttfv-co')(m) && m.json.data.asOf === D(42) && !m.json.data.current);
    expect(after.json.data).toMatchObject({ firstActivityAt: `${D(40)}T09:00:00.000Z`, firstValueAt: `${D(42)}T15:30:00.000Z` });

    await api.put('/settings/detection', { valueEvent: null });
    expect((await usage('ttfv-co')).json.timeToFirstValue).toEqual({
      valueEvent: null, firstActivityAt: `${D(40)}T09:00:00.000Z`, firstValueAt: null, seconds: null, days: null,
    });
  });

  it('keeps one workspace from reading another workspace\'s usage', async () => {
    const other = await apiClient(svc.url, svc.token(uniqueId('other'))).get('/accounts/drop-co/usage');
    expect(other.status).toBe(404);
  });
});
