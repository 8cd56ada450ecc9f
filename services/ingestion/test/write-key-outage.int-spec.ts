import 'reflect-metadata';
import { Clock } from '@cairn/runtime';
import { apiClient, createTestDatabase, InProcessService, startServiceInProcess, TcpProxy, uniqueId, waitFor } from '@cairn/testing';
import { ingestionService } from '../src/service';

class MovableClock extends Clock {
  offsetMs = 0;
  now(): Date { return new Date(Date.now() + this.offsetMs); }
}

/**
 * The Segment API while PostgreSQL is unreachable: a write key this instance knows keeps being
 * accepted after its cache entry expired (stale-if-error; the calls go to Kafka), and a key it
 * never saw is answered 503 with Retry-After, never 500.
 */
describe('ingestion: the Segment API during a database outage', () => {
  const ws = uniqueId('ws');
  const clock = new MovableClock();
  let db: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let svc: InProcessService;
  let known: string;
  let other: string;
  const track = (key: string) => apiClient(svc.url).post('/v1/track', { userId: 'u-1', event: 'Outage Probe', context: { groupId: 'acme' } },
    { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` });

  beforeAll(async () => {
    db = await createTestDatabase('ingestion-outage');
    const u = new URL(db.url);
    proxy = await new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) }).start();
    svc = await startServiceInProcess(ingestionService, { env: { DATABASE_URL: proxy.rewrite(db.url), INGESTION_SCAN_INTERVAL_MS: '0' }, clock });
    const api = apiClient(svc.url, svc.token(ws));
    known = (await api.post('/write-keys', { name: 'known' })).json.writeKey;
    other = (await api.post('/write-keys', { name: 'other' })).json.writeKey;
  });
  afterAll(async () => {
    proxy?.restore();
    await svc?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('keeps accepting a known key after its cache entry expired, and answers 503 + Retry-After for an unseen one', async () => {
    expect((await track(known)).status).toBe(200);
    proxy.cut();
    try {
      clock.offsetMs = 60_000; // past the 30 s cache entry
      const during = await track(known);
      expect(during.status).toBe(200);
      // `other` was last resolved at its creation: 20 minutes on, that is past the stale-if-error window.
      clock.offsetMs = 20 * 60_000;
      const unseen = await track(other);
      expect(unseen.status).toBe(503);
      expect(unseen.headers.get('retry-after')).toBe('5');
    } finally {
      proxy.restore();
      clock.offsetMs = 0;
    }
    await waitFor('the database back', async () => (await track(known)).status === 200, { timeoutMs: 30_000 });
  });
});
