import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, uniqueId, waitFor,
} from '@cairn/testing';
import { renewalsService } from '../src/service';
import { Clock } from '@cairn/runtime';

class FixedClock extends Clock {
  now(): Date { return new Date('2030-01-10T09:00:00Z'); }
}

describe('renewals: bulk import, retention metrics and forecast', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;

  beforeAll(async () => {
    ({ svc, producer } = rig = await startServiceUnderTest(renewalsService, { clock: new FixedClock() }));
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const closedIn2029 = [
    { id: 'm-acme', accountId: 'acme', arr: 100000, startDate: '2028-06-01', endDate: '2029-05-31' },
    { id: 'm-globex', accountId: 'globex', arr: 50000, startDate: '2028-07-01', endDate: '2029-06-30' },
    { id: 'm-initech', accountId: 'initech', arr: 40000, startDate: '2028-09-01', endDate: '2029-08-31' },
    { id: 'm-umbrella', accountId: 'umbrella', arr: 30000, startDate: '2028-10-01', endDate: '2029-09-30' },
  ];

  it('imports a JSON batch, keeping the good rows and naming each bad one', async () => {
    const res = await api.post('/contracts/import', [
      ...closedIn2029,
      { id: 'bad-1', accountId: 'acme', arr: -1, startDate: '2029-01-01', endDate: 'soon' },
      { ...closedIn2029[0], arr: 1 },
      { id: 'bad-2', accountId: 'acme', arr: 5, startDate: '2029-01-01', endDate: '2029-12-31', colour: 'blue' },
    ]);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      received: 7, imported: 4, failed: 3,
      errors: [
        { row: 5, id: 'bad-1', problems: ['arr must not be less than 0', 'endDate must be a valid ISO 8601 date string'] },
        { row: 6, id: 'm-acme', problems: ["id: 'm-acme' already appears at row 1 of this import"] },
        { row: 7, id: 'bad-2', problems: ['property colour should not exist'] },
      ],
    });
    expect((await api.get('/contracts/m-acme')).json).toMatchObject({ arr: 100000, endDate: '2029-05-31' });
    expect((await api.get('/contracts/bad-1')).status).toBe(404);
  });

  it('imports CSV with a header row, quoted fields and per-line errors', async () => {
    const csv = [
      'id,account_id,arr,currency,plan,start_date,end_date,auto_renew,owner',
      'f-hooli,hooli,60000,USD,"Enterprise, annual",2029-03-01,2030-02-28,yes,li@vendor.example',
      'f-stark,stark,24000,USD,growth,2029-05-01,2030-04-30,no,',
      'f-wayne,wayne,12000,USD,growth,2030-05-01,2030-04-30,no,',
    ].join('\r\n');
    const res = await api.post('/contracts/import', csv, { 'content-type': 'text/csv' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ received: 3, imported: 2, failed: 1, errors: [{ row: 4, id: 'f-wayne', problems: ['endDate: must be after startDate'] }] });
    expect((await api.get('/contracts/f-hooli')).json).toMatchObject({ plan: 'Enterprise, annual', autoRenew: true, arr: 60000, owner: 'li@vendor.example' });

    const typo = await api.post('/contracts/import', 'id,acount_id\nx,acme', { 'content-type': 'text/csv' });
    expect(typo.status).toBe(400);
    expect(typo.json.message).toMatch(/^csv: unknown column\(s\) "acount_id"/);
  });

  it('computes NRR, GRR, churn, expansion and CLTV from recorded outcomes as worked out by hand', async () => {
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'acme', data: { traits: { segment: 'enterprise' } } });
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'globex', data: { traits: { segment: 'enterprise' } } });
    const outcomes: Array<[string, object]> = [
      ['m-acme', { outcome: 'renewed', arrAfter: 100000 }],
      ['m-globex', { outcome: 'expanded', arrAfter: 70000 }],
      ['m-initech', { outcome: 'contracted', arrAfter: 30000 }],
      ['m-umbrella', { outcome: 'churned', arrAfter: 0, reason: 'Acquired; moved to the parent\'s vendor' }],
    ];
    for (const [id, body] of outcomes) expect((await api.post(`/contracts/${id}/outcome`, body)).status).toBe(201);

    const m = await api.get('/renewals/metrics?from=2029-01-01&to=2029-12-31&grossMarginPct=80');
    expect(m.status).toBe(200);
    // start 220k; +20k expansion, −10k contraction, −30k churn
    expect(m.json).toMatchObject({
      renewals: 4, accounts: 4, startingArr: 220000, endingArr: 200000, expansionArr: 20000, contractionArr: 10000, churnedArr: 30000,
      nrrPct: 90.91, grrPct: 81.82, logoChurnPct: 25, revenueChurnPct: 18.18,
      cltv: 176000, // 55k average ARR × 80 % margin ÷ 25 % churn
      openRenewals: 0,
    });
    // enterprise: acme 100k flat + globex 50k → 70k: NRR 170/150 = 113.33 %, GRR 100 %
    const enterprise = await waitFor('segments in the account read model', async () => {
      const r = await api.get('/renewals/metrics?from=2029-01-01&to=2029-12-31&segment=enterprise');
      return r.json?.renewals === 2 ? r.json : undefined;
    });
    expect(enterprise).toMatchObject({ startingArr: 150000, nrrPct: 113.33, grrPct: 100, logoChurnPct: 0, cltv: null });
    const bad = await api.get('/renewals/metrics?from=2029-12-31&to=2029-01-01');
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe('to: must not be before from');
  });

  it('forecasts each open renewal from health, its trend, usage trend and NPS, with the explanation and expected ARR', async () => {
    await producer.sendEvent(Topics.healthChanged, {
      workspaceId: ws, accountId: 'hooli',
      data: { scorecardId: 'default', previous: { score: 72, band: 'green' }, current: { score: 55, band: 'yellow' }, explanation: [],
        cause: { eventId: 'e-2', type: 'usage.dropped', summary: 'usage fell' }, summary: 'usage fell' },
    });
    await producer.sendEvent(Topics.usageSummary, {
      workspaceId: ws, accountId: 'hooli', data: { asOf: '2030-01-09', activeUsers7d: 3, activeUsers30d: 10, featuresUsed30d: 2, usageTrendPct: -45 },
    });
    await producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: ws, accountId: 'hooli',
      data: { surveyId: 's', responseId: 'r', kind: 'nps', score: 3, category: 'detractor', respondedAt: '2030-01-05T10:00:00Z' },
    });
    const forecast = await waitFor('all three signals for hooli', async () => {
      const r = await api.get('/renewals/forecast');
      return r.json?.renewals?.find((x: any) => x.contractId === 'f-hooli')?.factors.length === 5 ? r.json : undefined;
    });
    const hooli = forecast.renewals.find((x: any) => x.contractId === 'f-hooli');
    // 70 (yellow) − 10 (health fell 17) − 15 (usage −45 %) − 10 (NPS 3) + 5 (auto-renew) = 40 % of 60k
    expect(hooli).toMatchObject({ likelihoodPct: 40, expectedArr: 24000, owner: 'li@vendor.example', daysToRenewal: 49 });
    expect(hooli.explanation).toMatch(/^health is yellow \(55\): base 70 %; -10 pts: health fell 17 points.*-15 pts: usage -45 %.*-10 pts: latest NPS answer 3 \(detractor\).*\+5 pts: renews automatically.* → 40 %$/);
    const stark = forecast.renewals.find((x: any) => x.contractId === 'f-stark');
    expect(stark).toMatchObject({ likelihoodPct: 70, expectedArr: 16800, owner: null, explanation: 'health unknown: base 70 % → 70 %' });
    // Closed contracts and those outside the window are not in the pipeline.
    expect(forecast.renewals.map((x: any) => x.contractId)).toEqual(['f-hooli', 'f-stark']);
    expect(forecast.totals).toEqual({ renewals: 2, arr: 84000, expectedArr: 40800 });
    expect(forecast.byMonth).toEqual([
      { month: '2030-02', renewals: 1, arr: 60000, expectedArr: 24000 },
      { month: '2030-04', renewals: 1, arr: 24000, expectedArr: 16800 },
    ]);
    expect(forecast.byOwner).toEqual([
      { owner: 'li@vendor.example', renewals: 1, arr: 60000, expectedArr: 24000 },
      { owner: '(no owner)', renewals: 1, arr: 24000, expectedArr: 16800 },
    ]);
    expect((await api.get('/renewals/forecast?owner=li@vendor.example')).json.totals.renewals).toBe(1);
  });

  it('keeps metrics and forecasts to their workspace', async () => {
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/renewals/forecast')).json.totals).toEqual({ renewals: 0, arr: 0, expectedArr: 0 });
    expect((await other.get('/renewals/metrics?from=2029-01-01&to=2029-12-31')).json).toMatchObject({ renewals: 0, nrrPct: null });
  });
});
