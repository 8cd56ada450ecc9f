import 'reflect-metadata';
import { apiClient, InProcessService, startServiceInProcess, uniqueId } from '@cairn/testing';
import { playbooksService } from '../src/service';

/** Server-side request forgery: with the production default, channels cannot point into internal networks. */
describe('playbooks: webhook targets (PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=false)', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;

  beforeAll(async () => {
    svc = await startServiceInProcess(playbooksService, { env: { PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'false' } });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it.each([
    ['a loopback receiver', 'webhook', 'http://127.0.0.1:9000/hook'],
    ['the cloud metadata endpoint', 'webhook', 'http://169.254.169.254/latest/meta-data/'],
    ['a private network address', 'slack', 'https://10.0.0.5/services/T000/B000/XXXX'],
    ['an IPv6 loopback', 'webhook', 'http://[::1]:9000/hook'],
    ['a name that resolves to loopback', 'webhook', 'http://localhost:9000/hook'],
  ])('refuses a channel to %s, saying why and how to allow it', async (_what, type, url) => {
    const res = await apiClient(svc.url, svc.token(ws)).post('/channels', { type, url, name: 'internal' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json)).toMatch(/private, loopback or link-local address.*PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS=true/);
    expect((await apiClient(svc.url, svc.token(ws)).get('/channels')).json).toEqual([]);
  });

  it('accepts a public receiver', async () => {
    const res = await apiClient(svc.url, svc.token(ws)).post('/channels', { type: 'webhook', url: 'https://203.0.113.10/cairn', name: 'public' });
    expect(res.status).toBe(201);
    expect(res.json.url).toBe('https://203.0.113.10/cairn');
  });
});
