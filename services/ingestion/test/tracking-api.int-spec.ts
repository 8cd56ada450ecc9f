import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { Analytics } from '@segment/analytics-node';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { ingestionService } from '../src/service';

/** A Segment client without the SDK: Basic auth with the write key as user name, empty password. */
function segment(url: string, writeKey: string) {
  const api = apiClient(url);
  const auth = { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` };
  return {
    post: (path: string, body: unknown) => api.post(path, body, auth),
    raw: async (path: string, text: string) => {
      const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: text });
      return { status: res.status, json: await res.json().catch(() => undefined) };
    },
  };
}

describe('ingestion: Segment tracking API and write keys', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let writeKey: string;
  let keyId: string;
  const ofWs = (m: { json?: any }) => m.json?.workspaceId === ws;

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(ingestionService, { watch: [Topics.usageEvent.name] }));
    const created = await apiClient(svc.url, svc.token(ws)).post('/write-keys', { name: 'web app' });
    expect(created.status).toBe(201);
    writeKey = created.json.writeKey;
    keyId = created.json.id;
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('creates a write key shown once and lists keys without the secret', async () => {
    expect(writeKey).toMatch(/^wk_[A-Za-z0-9_-]{20,}$/);
    const list = await apiClient(svc.url, svc.token(ws)).get('/write-keys');
    expect(list.status).toBe(200);
    expect(list.json).toEqual([expect.objectContaining({ id: keyId, name: 'web app', keyHint: writeKey.slice(-4), revokedAt: null })]);
    expect(list.text).not.toContain(writeKey);
    expect(list.text).not.toMatch(/keyHash|key_hash/);
  });

  it('needs an API token for the management API', async () => {
    expect((await apiClient(svc.url).get('/write-keys')).status).toBe(401);
    expect((await apiClient(svc.url).get('/quarantine')).status).toBe(401);
  });

  it('accepts track, identify and group calls and publishes each to cairn.usage.event.v1 with the account as key', async () => {
    const s = segment(svc.url, writeKey);
    const track = await s.post('/v1/track', { userId: 'u-1', event: 'Report Exported', properties: { groupId: 'acme' }, messageId: 'm-track-1' });
    expect(track).toMatchObject({ status: 200, json: { success: true } });
    expect((await s.post('/v1/identify', { userId: 'u-1', traits: { email: 'dana@acme.com' }, messageId: 'm-identify-1' })).status).toBe(200);
    expect((await s.post('/v1/group', { userId: 'u-1', groupId: 'acme', traits: { name: 'Acme' }, messageId: 'm-group-1' })).status).toBe(200);

    const t = await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-track-1');
    expect(t.key).toBe(`${ws}:acme`);
    expect(t.json).toMatchObject({
      type: 'usage.event', accountId: 'acme', source: 'ingestion',
      data: { callType: 'track', userId: 'u-1', event: 'Report Exported', groupId: 'acme', sourceId: keyId },
    });
    const i = await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-identify-1');
    expect(i.json.data).toMatchObject({ callType: 'identify', traits: { email: 'dana@acme.com' } });
    expect(i.json.accountId).toBeUndefined();
    const g = await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-group-1');
    expect(g.json).toMatchObject({ accountId: 'acme', data: { callType: 'group', groupId: 'acme' } });
  });

  it('accepts the write key in the body instead of Basic auth, and never forwards it', async () => {
    const res = await apiClient(svc.url).post('/v1/page', { writeKey, anonymousId: 'anon-1', name: 'Pricing', messageId: 'm-page-1' });
    expect(res).toMatchObject({ status: 200, json: { success: true } });
    const p = await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-page-1');
    expect(p.json.data).toMatchObject({ callType: 'page', event: 'Pricing', anonymousId: 'anon-1' });
    expect(p.value).not.toContain(writeKey);
  });

  it('generates a messageId and corrects the client clock with sentAt', async () => {
    const now = Date.now();
    const res = await segment(svc.url, writeKey).post('/v1/track', {
      userId: 'skewed', event: 'Clock Test',
      timestamp: new Date(now + 3600_000 - 5000).toISOString(), sentAt: new Date(now + 3600_000).toISOString(),
    });
    expect(res.status).toBe(200);
    const m = await watcher.waitFor(Topics.usageEvent.name, (x) => ofWs(x) && x.json.data.userId === 'skewed');
    expect(m.json.data.messageId).toMatch(/^cairn-[0-9a-f-]{36}$/);
    const corrected = Date.parse(m.json.data.timestamp);
    const received = Date.parse(m.json.data.receivedAt);
    expect(received - corrected).toBe(5000);
    expect(Math.abs(corrected - now)).toBeLessThan(60_000);
  });

  it('accepts a batch exactly as @segment/analytics-node sends it (POST /v1/batch, { batch, sentAt })', async () => {
    const sdk = { library: { name: '@segment/analytics-node', version: '2.1.3' } };
    const meta = { nodeVersion: process.versions.node, jsRuntime: 'node' };
    const timestamp = new Date().toISOString();
    const res = await segment(svc.url, writeKey).post('/v1/batch', {
      batch: [
        { type: 'track', event: 'Signed Up', userId: 'sdk-1', properties: { plan: 'pro' }, context: sdk, _metadata: meta, integrations: {}, messageId: 'node-next-1-a', timestamp },
        { type: 'identify', userId: 'sdk-1', traits: { email: 'sdk@acme.com' }, context: sdk, _metadata: meta, integrations: {}, messageId: 'node-next-1-b', timestamp },
        { type: 'group', userId: 'sdk-1', groupId: 'sdk-co', traits: { name: 'SDK Co' }, context: sdk, _metadata: meta, integrations: {}, messageId: 'node-next-1-c', timestamp },
      ],
      sentAt: new Date().toISOString(),
    });
    expect(res).toMatchObject({ status: 200, json: { success: true, accepted: 3, rejected: [] } });
    for (const id of ['node-next-1-a', 'node-next-1-b', 'node-next-1-c']) {
      await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === id);
    }
  });

  it('works with the official Segment Node SDK pointed at it: track, identify and group each arrive once', async () => {
    const analytics = new Analytics({ writeKey, host: svc.url, flushAt: 3, flushInterval: 60_000, maxRetries: 2 });
    const statuses: number[] = [];
    analytics.on('http_response', (r) => statuses.push(r.status));
    const messageIds: string[] = [];
    const sent = (err?: unknown, ctx?: { event: { messageId?: string } }) => {
      if (err) throw err;
      messageIds.push(ctx!.event.messageId!);
    };
    analytics.track({ userId: 'sdk-2', event: 'Report Exported', properties: { rows: 120 }, context: { groupId: 'sdk-2-co' } }, sent);
    analytics.identify({ userId: 'sdk-2', traits: { email: 'sdk2@sdk2.example', role: 'champion' } }, sent);
    analytics.group({ userId: 'sdk-2', groupId: 'sdk-2-co', traits: { name: 'SDK Two', plan: 'pro' } }, sent);
    await analytics.closeAndFlush({ timeout: 15_000 });

    expect(statuses).toEqual([200]); // one batch request, accepted
    expect(new Set(messageIds).size).toBe(3);
    const arrived = await Promise.all(messageIds.map((id) => watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === id)));
    const byType = Object.fromEntries(arrived.map((m) => [m.json.data.callType, m.json.data]));
    expect(Object.keys(byType).sort()).toEqual(['group', 'identify', 'track']);
    expect(byType.track).toMatchObject({ userId: 'sdk-2', groupId: 'sdk-2-co', event: 'Report Exported', properties: { rows: 120 }, sourceId: keyId });
    expect(byType.identify).toMatchObject({ userId: 'sdk-2', traits: { email: 'sdk2@sdk2.example', role: 'champion' } });
    expect(byType.group).toMatchObject({ userId: 'sdk-2', groupId: 'sdk-2-co', traits: { name: 'SDK Two', plan: 'pro' } });
    expect(await holdsFor(1000, () =>
      watcher.matching(Topics.usageEvent.name, (m) => ofWs(m) && messageIds.includes(m.json.data.messageId)).length === 3)).toBe(true);
  });

  it('reads a JSON body sent as text/plain (browser beacons, React Native SDK)', async () => {
    const res = await fetch(`${svc.url}/v1/track`, {
      method: 'POST', headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey, userId: 'beacon-1', event: 'Tab Closed', messageId: 'm-beacon-1' }),
    });
    expect(res.status).toBe(200);
    await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-beacon-1');
  });

  it('keeps the valid calls of a mixed batch, lists the invalid ones by index and quarantines them', async () => {
    const res = await segment(svc.url, writeKey).post('/v1/batch', {
      batch: [
        { type: 'track', userId: 'b-1', event: 'Seat Added', messageId: 'm-batch-ok-1' },
        { type: 'track', userId: 'b-1', messageId: 'm-batch-bad-1' },
        { type: 'identify', traits: { email: 'x@y.z' }, messageId: 'm-batch-bad-2' },
        { type: 'group', userId: 'b-1', groupId: 'globex', messageId: 'm-batch-ok-2' },
        { type: 'track', userId: 'b-1', event: 'Future', timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString(), messageId: 'm-batch-bad-3' },
      ],
      sentAt: new Date().toISOString(),
    });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      success: true, accepted: 2,
      rejected: [
        { index: 1, messageId: 'm-batch-bad-1', reason: expect.stringMatching(/^event: required/) },
        { index: 2, messageId: 'm-batch-bad-2', reason: expect.stringMatching(/userId or anonymousId/) },
        { index: 4, messageId: 'm-batch-bad-3', reason: expect.stringMatching(/^timestamp: .*more than 24 hours/) },
      ],
    });
    await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-batch-ok-1');
    await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-batch-ok-2');
    const q = await apiClient(svc.url, svc.token(ws)).get('/quarantine?limit=50');
    expect(q.status).toBe(200);
    const bad = q.json.filter((r: any) => /^m-batch-bad-/.test(r.messageId));
    expect(bad.map((r: any) => r.messageId).sort()).toEqual(['m-batch-bad-1', 'm-batch-bad-2', 'm-batch-bad-3']);
    expect(bad.find((r: any) => r.messageId === 'm-batch-bad-1')).toMatchObject({
      workspaceId: ws, sourceId: keyId, reason: expect.stringMatching(/^batch\[1\]: event: required/),
      payload: { type: 'track', userId: 'b-1', messageId: 'm-batch-bad-1' },
    });
    expect(watcher.matching(Topics.usageEvent.name, (m) => ofWs(m) && /^m-batch-bad-/.test(m.json.data.messageId))).toEqual([]);
  });

  it.each([
    ['a track call without userId or anonymousId', '/v1/track', { event: 'x' }, /userId or anonymousId: one of them is required/],
    ['a track call without an event name', '/v1/track', { userId: 'u' }, /event: required for track calls/],
    ['a timestamp more than 24 h ahead', '/v1/track', { userId: 'u', event: 'x', timestamp: '2999-01-01T00:00:00Z' }, /timestamp: .*more than 24 hours/],
    ['a group call without groupId', '/v1/group', { userId: 'u', traits: {} }, /groupId: required/],
    ['an event over 32 KB', '/v1/track', { userId: 'u', event: 'x', properties: { blob: 'x'.repeat(33 * 1024) } }, /the limit is 32 KB/],
  ])('refuses %s with 400 naming the problem', async (_what, path, body, message) => {
    const res = await segment(svc.url, writeKey).post(path, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ success: false, message: expect.stringMatching(message) });
  });

  it('refuses a request over 500 KB naming the limit', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'u', event: 'big', messageId: `big-${i}`, properties: { blob: 'y'.repeat(30 * 1024) } }));
    const res = await segment(svc.url, writeKey).post('/v1/batch', { batch });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/the limit is 500 KB \(512000 bytes\) per request/);
    expect(watcher.matching(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.event === 'big')).toEqual([]);
  });

  it('refuses invalid JSON with 400 saying where', async () => {
    const res = await segment(svc.url, writeKey).raw('/v1/track', '{"userId": "u",\n "event": }');
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ success: false, message: expect.stringMatching(/^invalid JSON at line 2, column 11 \(position 26\): Unexpected token/) });
  });

  it('answers 401 for an unknown write key and for a revoked one', async () => {
    const unknown = await segment(svc.url, 'wk_not-a-real-key').post('/v1/track', { userId: 'u', event: 'x' });
    expect(unknown).toMatchObject({ status: 401, json: { success: false, message: expect.stringMatching(/invalid write key/) } });
    const missing = await apiClient(svc.url).post('/v1/track', { userId: 'u', event: 'x' });
    expect(missing).toMatchObject({ status: 401, json: { message: expect.stringMatching(/missing write key/) } });

    const api = apiClient(svc.url, svc.token(ws));
    const doomed = await api.post('/write-keys', { name: 'to revoke' });
    const s = segment(svc.url, doomed.json.writeKey);
    expect((await s.post('/v1/track', { userId: 'u', event: 'before revoke' })).status).toBe(200);
    expect((await api.delete(`/write-keys/${doomed.json.id}`)).json).toMatchObject({ id: doomed.json.id, revokedAt: expect.any(String) });
    const revoked = await s.post('/v1/track', { userId: 'u', event: 'after revoke' });
    expect(revoked).toMatchObject({ status: 401, json: { success: false, message: 'this write key has been revoked' } });
  });

  it('takes calls produced straight to the raw topic through the same validation and quarantine', async () => {
    await producer.sendRaw(Topics.ingestRaw.name, JSON.stringify({
      writeKey, batch: [
        { type: 'track', userId: 'raw-1', event: 'Raw Event', messageId: 'm-raw-ok' },
        { type: 'track', userId: 'raw-1', messageId: 'm-raw-bad' },
      ],
    }));
    const ok = await watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'm-raw-ok');
    expect(ok.json.data).toMatchObject({ callType: 'track', event: 'Raw Event', sourceId: keyId });
    const q = await waitFor('the raw call in quarantine', async () => {
      const r = await apiClient(svc.url, svc.token(ws)).get('/quarantine?messageId=m-raw-bad');
      return r.json?.length ? r.json : undefined;
    });
    expect(q[0].reason).toMatch(/^batch\[1\]: event: required/);
  });

  it('keeps one workspace from seeing another workspace\'s keys and quarantine', async () => {
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/write-keys')).json).toEqual([]);
    expect((await other.get('/quarantine')).json).toEqual([]);
    expect((await other.delete(`/write-keys/${keyId}`)).status).toBe(404);
  });
});
