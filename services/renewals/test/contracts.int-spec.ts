import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { renewalsService } from '../src/service';

describe('renewals: contracts and the health read model', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(renewalsService, { watch: [Topics.contractUpserted.name] }));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const contract = { id: 'ctr-1', accountId: 'acme', arr: 48000, startDate: '2026-01-01', endDate: '2026-12-31', owner: 'csm@vendor.example' };

  it('refuses requests without a valid API token', async () => {
    expect((await apiClient(svc.url).get('/contracts')).status).toBe(401);
    const forged = await apiClient(svc.url, 'cairn_eyJ3cyI6IngifQ.bad').get('/contracts');
    expect(forged.status).toBe(401);
    expect(forged.json.message).toMatch(/invalid API token/);
  });

  it('stores a contract and publishes contract-upserted through the outbox', async () => {
    const api = apiClient(svc.url, svc.token(ws));
    const res = await api.put('/contracts', contract);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ workspaceId: ws, id: 'ctr-1', arr: 48000, currency: 'USD' });
    const event = await watcher.waitFor(Topics.contractUpserted.name, (m) => m.json?.workspaceId === ws);
    expect(event.json).toMatchObject({ accountId: 'acme', data: { contractId: 'ctr-1', arr: 48000, endDate: '2026-12-31' } });
  });

  it('rejects an invalid contract naming the field', async () => {
    const res = await apiClient(svc.url, svc.token(ws)).put('/contracts', { ...contract, arr: -5, endDate: 'soon' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.json.message)).toMatch(/arr must not be less than 0/);
    expect(JSON.stringify(res.json.message)).toMatch(/endDate must be a valid ISO 8601/);
  });

  it('keeps one workspace from seeing another workspace\'s contracts', async () => {
    const other = await apiClient(svc.url, svc.token(uniqueId('other'))).get('/contracts');
    expect(other.status).toBe(200);
    expect(other.json).toEqual([]);
  });

  it('learns the account health from health.changed events', async () => {
    await producer.sendEvent(Topics.healthChanged, {
      workspaceId: ws, accountId: 'acme',
      data: {
        scorecardId: 'default', previous: { score: 72, band: 'green' }, current: { score: 38, band: 'red' },
        explanation: [], cause: { eventId: 'e', type: 'usage.dropped', summary: 'usage fell' }, summary: 'usage fell',
      },
    });
    const api = apiClient(svc.url, svc.token(ws));
    const c = await waitFor('health on the contract', async () => {
      const r = await api.get('/contracts/ctr-1');
      return r.json?.healthBand === 'red' ? r.json : undefined;
    });
    expect(c.healthScore).toBe(38);
  });
});
