import 'reflect-metadata';
import { apiClient, createTestDatabase, InProcessService, startServiceInProcess, TcpProxy, uniqueId, waitFor } from '@cairn/testing';
import { healthService } from '../src/service';

/**
 * What the platform's HTTP layer (bootstrapService) answers to hostile input and to a database
 * outage, driven through one service: 4xx naming the field, 503 with Retry-After, never a 500.
 */
describe('health: hostile input and a database outage over HTTP', () => {
  const ws = uniqueId('ws');
  let db: { url: string; drop: () => Promise<void> };
  let proxy: TcpProxy;
  let svc: InProcessService;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    db = await createTestDatabase('health-hostile');
    const u = new URL(db.url);
    proxy = await new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) }).start();
    svc = await startServiceInProcess(healthService, { env: { DATABASE_URL: proxy.rewrite(db.url), HEALTH_RECOMPUTE_INTERVAL_MINUTES: '0' } });
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    proxy?.restore();
    await svc?.close();
    await proxy?.stop();
    await db?.drop();
  });

  it('refuses JSON nested 10,000 deep with a 400 saying where', async () => {
    const deep = '{"name":'.repeat(10_000) + '1' + '}'.repeat(10_000);
    const res = await api.post('/scorecards', deep);
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/^body(\.name)+ nests deeper than 64 levels$/);
  });

  it('refuses a NUL character in a body string, naming the field', async () => {
    const res = await api.post('/scorecards', { id: 'x', name: 'bad\u0000name', measures: [], bands: { yellowFrom: 40, greenFrom: 70 } });
    expect(res.status).toBe(400);
    expect(res.json.message).toBe('body.name contains a NUL character (\\u0000), which is not allowed');
  });

  it('refuses %00 in a path id, naming the parameter', async () => {
    const res = await api.get('/accounts/ab%00cd/health');
    expect(res.status).toBe(400);
    expect(res.json.message).toBe('path.accountId contains a NUL character (\\u0000), which is not allowed');
  });

  it('refuses an offset beyond the deepest page, naming it', async () => {
    const res = await api.get('/accounts?offset=99999999999999999999999');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.message)).toMatch(/offset must not be greater than 1000000/);
  });

  it('answers 503 with Retry-After on token routes and /health while the database is unreachable, then recovers', async () => {
    expect((await api.get('/accounts')).status).toBe(200);
    proxy.cut();
    try {
      const during = await waitFor('a 503 while the database is cut', async () => {
        const r = await api.get('/accounts');
        expect(r.status).not.toBe(500);
        return r.status === 503 ? r : undefined;
      }, { timeoutMs: 20_000 });
      expect(during.headers.get('retry-after')).toBe('5');
      expect(during.json.message).toMatch(/database is unreachable/);
      expect((await api.get('/health')).status).toBe(503);
    } finally {
      proxy.restore();
    }
    await waitFor('/accounts answers 200 again', async () => (await api.get('/accounts')).status === 200, { timeoutMs: 30_000 });
  });

  it('sends the security headers on every answer', async () => {
    const res = await api.get('/accounts');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=/);
  });
});
