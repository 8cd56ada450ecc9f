import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TopicWatcher, uniqueId } from '@cairn/testing';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { ingestionService } from '../src/service';

/**
 * What the Segment clients send, byte for byte as their sources show: compressed bodies, odd or
 * missing content types, one-letter paths and trailing slashes, CORS from browser pages. (The
 * clients themselves are driven in e2e/segment-clients.e2e-spec.ts.)
 */
describe('ingestion: the tracking API speaks every Segment client\'s dialect', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let writeKey: string;
  let keyId: string;
  const ofWs = (m: { json?: any }) => m.json?.workspaceId === ws;
  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  const arrived = (messageId: string) => watcher.waitFor(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === messageId);
  const post = async (path: string, body: BodyInit | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(`${svc.url}${path}`, { method: 'POST', headers: { authorization: basic(writeKey), ...headers }, body });
    return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
  };
  const track = (messageId: string, extra: Record<string, unknown> = {}) => JSON.stringify({ userId: 'p-1', event: 'Protocol Test', messageId, ...extra });

  beforeAll(async () => {
    ({ svc, watcher } = rig = await startServiceUnderTest(ingestionService, { watch: [Topics.usageEvent.name] }));
    const created = await apiClient(svc.url, svc.token(ws)).post('/write-keys', { name: 'browser' });
    ({ writeKey, id: keyId } = created.json);
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('reads a gzip-compressed batch (RudderStack\'s default) and counts the 500 KB limit on the decompressed body', async () => {
    const body = gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'p-1', event: 'Zipped', messageId: 'gz-1' }], sentAt: new Date().toISOString() }));
    const res = await post('/v1/batch', body, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res).toMatchObject({ status: 200, json: { success: true, accepted: 1 } });
    await arrived('gz-1');

    // ~600 KB of JSON compresses to a few KB: the limit applies to what it becomes.
    const big = Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'p-1', event: 'big', messageId: `gz-big-${i}`, properties: { blob: 'z'.repeat(30 * 1024) } }));
    const zipped = gzipSync(JSON.stringify({ batch: big }));
    expect(zipped.length).toBeLessThan(20 * 1024);
    const over = await post('/v1/batch', zipped, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(over.status).toBe(400);
    expect(over.json.message).toMatch(/the limit is 500 KB \(512000 bytes\) per request/);
  });

  it('reads deflate bodies, zlib-wrapped or raw', async () => {
    expect((await post('/v1/track', deflateSync(track('df-1')), { 'content-type': 'application/json', 'content-encoding': 'deflate' })).status).toBe(200);
    expect((await post('/v1/track', deflateRawSync(track('df-2')), { 'content-type': 'application/json', 'content-encoding': 'deflate' })).status).toBe(200);
    await arrived('df-1');
    await arrived('df-2');
  });

  it('stops inflating a decompression bomb at the read limit and answers 413', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)); // 50 MB of spaces in ~50 KB
    const res = await post('/v1/batch', bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(res.json).toEqual({ success: false, message: expect.stringMatching(/decompresses to more than \d+ bytes; the limit is 500 KB/) });
  });

  it('refuses a corrupt gzip body and an unknown encoding with 4xx naming them', async () => {
    const corrupt = await post('/v1/track', Buffer.from('not gzip at all'), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(corrupt).toMatchObject({ status: 400, json: { success: false, message: expect.stringMatching(/not valid gzip data/) } });
    const unknown = await post('/v1/track', track('enc-x'), { 'content-type': 'application/json', 'content-encoding': 'compress' });
    expect(unknown).toMatchObject({ status: 415, json: { success: false, message: expect.stringMatching(/Content-Encoding 'compress' is not supported/) } });
  });

  it('parses JSON sent without a Content-Type, as text/plain or as form data', async () => {
    expect((await post('/v1/track', new Blob([track('ct-none')]))).status).toBe(200);
    expect((await post('/v1/track', track('ct-text'), { 'content-type': 'text/plain;charset=UTF-8' })).status).toBe(200);
    expect((await post('/v1/track', track('ct-form'), { 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(200);
    for (const id of ['ct-none', 'ct-text', 'ct-form']) await arrived(id);
  });

  it('refuses a body that is not JSON with 400 naming its content type', async () => {
    const res = await post('/v1/track', 'userId=u&event=x', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res).toMatchObject({ status: 400, json: { success: false, message: expect.stringMatching(/Content-Type 'application\/x-www-form-urlencoded' is not supported and the body is not JSON/) } });
    const plain = await post('/v1/track', '{"userId": ', { 'content-type': 'text/plain' });
    expect(plain).toMatchObject({ status: 400, json: { message: expect.stringMatching(/invalid JSON.*\(Content-Type: text\/plain; the body must be JSON\)/) } });
  });

  it.each([
    ['/v1/track/', 'track'], ['/v1/t', 'track'], ['/v1/t/', 'track'], ['/v1/p', 'page'], ['/v1/i', 'identify'], ['/v1/s', 'screen'],
  ])('accepts %s as the %s endpoint', async (path, callType) => {
    const messageId = uniqueId('path');
    const res = await post(path, JSON.stringify({ userId: 'p-2', event: 'Path', name: 'Path', messageId }), { 'content-type': 'application/json' });
    expect(res).toMatchObject({ status: 200, json: { success: true } });
    expect((await arrived(messageId)).json.data.callType).toBe(callType);
  });

  it('accepts analytics.js\'s batch alias /v1/b and analytics-java\'s /v1/import/', async () => {
    for (const [path, id] of [['/v1/b', 'b-1'], ['/v1/import/', 'imp-1']]) {
      const res = await post(path, JSON.stringify({ batch: [{ type: 'track', userId: 'p-3', event: 'Alias', messageId: id }] }), { 'content-type': 'text/plain' });
      expect(res).toMatchObject({ status: 200, json: { success: true, accepted: 1 } });
      await arrived(id);
    }
  });

  it('counts a track with a top-level groupId for that account', async () => {
    expect((await post('/v1/track', track('top-group', { groupId: 'acme-top' }), { 'content-type': 'application/json' })).status).toBe(200);
    const m = await arrived('top-group');
    expect(m.key).toBe(`${ws}:acme-top`);
    expect(m.json).toMatchObject({ accountId: 'acme-top', data: { groupId: 'acme-top' } });
  });

  it('answers a CORS preflight from any origin with the headers the page asked for', async () => {
    const res = await fetch(`${svc.url}/v1/t`, {
      method: 'OPTIONS',
      headers: { origin: 'http://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,x-retry-count' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-retry-count');
  });

  it('grants the origin on the call itself and keeps the write key in the body working (analytics.js)', async () => {
    const res = await fetch(`${svc.url}/v1/t`, {
      method: 'POST', headers: { origin: 'http://shop.example', 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey, anonymousId: 'anon-cors', event: 'Cors', messageId: 'cors-1' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    expect((await arrived('cors-1')).json.data.sourceId).toBe(keyId);
  });

  it('serves analytics.js its settings, pointing it back at this host, for a known write key only', async () => {
    const res = await fetch(`${svc.url}/v1/projects/${writeKey}/settings`, { headers: { origin: 'http://shop.example' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://shop.example');
    const settings = await res.json();
    expect(settings.integrations['Segment.io']).toMatchObject({ apiKey: writeKey, apiHost: `${new URL(svc.url).host}/v1`, protocol: 'http' });
    expect(settings).toMatchObject({ remotePlugins: [], metrics: { sampleRate: 0 } });
    expect(Object.keys(settings.integrations)).toEqual(['Segment.io']);
    const unknown = await fetch(`${svc.url}/v1/projects/wk_unknown/settings`);
    expect(unknown.status).toBe(404);
  });

  it('refuses calls from origins a source does not allow, without a CORS grant, and takes the allowed one', async () => {
    const api = apiClient(svc.url, svc.token(ws));
    const restricted = await api.post('/write-keys', { name: 'shop only', allowedOrigins: ['https://shop.example'] });
    expect(restricted.status).toBe(201);
    const send = (origin: string, messageId: string) => fetch(`${svc.url}/v1/t`, {
      method: 'POST', headers: { origin, 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey: restricted.json.writeKey, userId: 'o-1', event: 'Origin', messageId }),
    });
    const denied = await send('https://evil.example', 'origin-denied');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect((await denied.json()).message).toMatch(/origin 'https:\/\/evil.example' may not send with this write key/);
    expect((await send('https://shop.example', 'origin-ok')).status).toBe(200);
    await arrived('origin-ok');
    expect(watcher.matching(Topics.usageEvent.name, (m) => ofWs(m) && m.json.data.messageId === 'origin-denied')).toEqual([]);

    const opened = await api.patch(`/write-keys/${restricted.json.id}`, { allowedOrigins: null });
    expect(opened).toMatchObject({ status: 200, json: { allowedOrigins: null } });
    expect((await send('https://evil.example', 'origin-now-ok')).status).toBe(200);
    const bad = await api.patch(`/write-keys/${restricted.json.id}`, { allowedOrigins: ['shop.example/path'] });
    expect(bad.status).toBe(400);
  });

  it('keeps the management API on JSON only', async () => {
    const res = await fetch(`${svc.url}/write-keys`, {
      method: 'POST', headers: { authorization: `Bearer ${svc.token(ws)}`, 'content-type': 'text/plain' }, body: '{"name":"x"}',
    });
    expect(res.status).toBe(415);
  });
});
