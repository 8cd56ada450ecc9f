import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { Clock } from '@cairn/runtime';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor } from '@cairn/testing';
import { Client } from 'pg';
import { healthService } from '../src/service';

/** The service's wall clock, moved by the test. */
class MovableClock extends Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

/** CSM overrides: shown, published, kept in history, and lapsing on their own by the (moved) clock. */
describe('health: overrides', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;
  const clock = new MovableClock();

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(healthService, {
      watch: [Topics.healthChanged.name], env: { HEALTH_OVERRIDE_SCAN_INTERVAL_MS: '200' }, clock,
    }));
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const health = async (accountId: string) => (await api.get(`/accounts/${accountId}/health`)).json;
  const changes = (accountId: string, type: string) => watcher.matching(Topics.healthChanged.name,
    (m) => m.json?.workspaceId === ws && m.json?.accountId === accountId && m.json?.data?.cause?.type === type);

  it('an override shows in the explanation and the event, and lapses on its own at its expiry', async () => {
    const now = new Date();
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'acme', data: { seats: 10, traits: {} } });
    await producer.sendEvent(Topics.usageSummary, {
      workspaceId: ws, accountId: 'acme',
      data: { asOf: now.toISOString().slice(0, 10), activeUsers7d: 9, activeUsers30d: 10, featuresUsed30d: 8, lastActivityAt: now.toISOString(), usageTrendPct: 10 },
    });
    const green = await waitFor('acme scored green', async () => {
      const h = await health('acme');
      return h?.band === 'green' && h.coverage.used.length >= 4 ? h : undefined;
    }, { timeoutMs: 90_000 });

    const expiresAt = new Date(now.getTime() + 3600_000).toISOString();
    const bad = await api.put('/accounts/acme/health/override', { band: 'red', reason: ' ', expiresAt: new Date(now.getTime() - 1000).toISOString() });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toEqual([expect.stringMatching(/^expiresAt: must be in the future/), 'reason: must say why']);
    expect((await api.put('/accounts/nobody/health/override', { band: 'red', reason: 'x', expiresAt })).status).toBe(404);

    const set = await api.put('/accounts/acme/health/override', { band: 'red', score: 25, reason: 'sponsor is evaluating a competitor', expiresAt });
    expect(set.status).toBe(200);
    const [event] = await waitFor('health.changed for the override', () => changes('acme', 'health.override').length ? changes('acme', 'health.override') : undefined, { timeoutMs: 60_000 });
    expect(event.json.data).toMatchObject({
      current: { score: 25, band: 'red' }, previous: { score: green.score, band: 'green' },
      override: { band: 'red', score: 25, reason: 'sponsor is evaluating a competitor', by: 'test', expiresAt, computed: { score: green.score, band: 'green' } },
    });
    const overridden = await health('acme');
    expect(overridden).toMatchObject({ score: 25, band: 'red', override: { band: 'red', reason: 'sponsor is evaluating a competitor', expiresAt } });
    expect(overridden.explanation[0]).toMatchObject({ measure: 'override', raw: 'red' });
    expect(overridden.explanation[0].detail).toContain(`(computed: ${green.score}, green)`);
    // Other workspaces see nothing of it.
    expect((await apiClient(svc.url, svc.token(uniqueId('ws'))).get('/accounts/acme/health/override')).json).toEqual([]);

    // An hour later on the service's clock, the scheduled scan lapses it.
    clock.offsetMs = 2 * 3600_000;
    const [lapsed] = await waitFor('health.changed for the lapse', () => changes('acme', 'health.override-lapsed').length ? changes('acme', 'health.override-lapsed') : undefined, { timeoutMs: 60_000 });
    expect(lapsed.json.data.current).toEqual({ score: green.score, band: 'green' });
    expect(lapsed.json.data.override).toBeUndefined();
    const after = await health('acme');
    expect(after).toMatchObject({ score: green.score, band: 'green' });
    expect(after.override).toBeUndefined();
    expect((await api.get('/accounts/acme/health/override')).json).toEqual([expect.objectContaining({ band: 'red', endReason: 'expired', endedAt: expiresAt })]);

    // History keeps both: the override and its end, with their times.
    const db = new Client({ connectionString: svc.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query(
        `SELECT at, value->>'state' AS state FROM health.signal_fact WHERE workspace_id = $1 AND account_id = 'acme' AND kind = 'override' ORDER BY at`, [ws]);
      expect(rows.map((r) => [new Date(r.at).toISOString(), r.state])).toEqual([[expect.any(String), 'set'], [expiresAt, 'lapsed']]);
    } finally {
      await db.end();
    }
  });
});
