import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, createTestDatabase, holdsFor, InProcessService, ServiceUnderTest, startServiceInProcess, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { renewalsService } from '../src/service';
import { Clock } from '@cairn/runtime';

/** A clock the test moves; the service reads it for "today". */
class TestClock extends Clock {
  constructor(private current: Date) { super(); }
  now(): Date { return new Date(this.current.getTime()); }
  advanceDays(days: number): void { this.current = new Date(this.current.getTime() + days * 86_400_000); }
}

const DAY = 86_400_000;
const T0 = new Date('2030-01-10T09:00:00Z');
const dateIn = (days: number) => new Date(T0.getTime() + days * DAY).toISOString().slice(0, 10);

describe('renewals: the renewal calendar and outcomes', () => {
  const ws = uniqueId('ws');
  const clock = new TestClock(T0);
  const env = { RENEWAL_SCAN_INTERVAL_MS: '300' };
  let db: { url: string; drop: () => Promise<void> };
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  const api = () => apiClient(svc.url, svc.token(ws));

  /** renewal.upcoming horizons seen for a contract of this run's workspace, in order. */
  const horizonsOf = (contractId: string) => watcher
    .matching(Topics.renewalUpcoming.name, (m) => m.json?.workspaceId === ws && m.json.data.contractId === contractId)
    .map((m) => m.json.data.horizonDays as number);
  const waitForHorizons = (contractId: string, expected: number[]) =>
    waitFor(`horizons ${expected.join(', ')} for ${contractId}`, () => JSON.stringify(horizonsOf(contractId)) === JSON.stringify(expected));

  // Contract A ends 45 days after T0: imported late, past the 120, 90 and 60 day horizons.
  const contractA = { id: 'ctr-a', accountId: 'acme', arr: 48000, startDate: dateIn(45 - 365), endDate: dateIn(45) };
  // Contract C ends 125 days after T0: no horizon reached at import.
  const contractC = { id: 'ctr-c', accountId: 'globex', arr: 30000, startDate: dateIn(125 - 365), endDate: dateIn(125), owner: 'li@vendor.example' };

  beforeAll(async () => {
    db = await createTestDatabase('renewals-calendar');
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(renewalsService, { clock, env: { ...env, DATABASE_URL: db.url }, watch: [Topics.renewalUpcoming.name, Topics.renewalClosed.name] }));
  });
  afterAll(async () => {
    if (svc !== rig?.svc) await svc?.close(); // the instance started again by the restart test
    await rig?.stop();
    await db?.drop();
  });

  it('fires one renewal.upcoming, for the 60-day horizon only, when a contract ending in 45 days is imported', async () => {
    // The account's CSM owner and health arrive before its contract does.
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'acme', data: { name: 'Acme Corp', csmOwner: 'maria@vendor.example', traits: {} } });
    await producer.sendEvent(Topics.healthChanged, {
      workspaceId: ws, accountId: 'acme',
      data: { scorecardId: 'default', previous: null, current: { score: 35, band: 'red' }, explanation: [],
        cause: { eventId: 'e-1', type: 'usage.dropped', summary: 'usage fell 80 %' }, summary: 'usage fell 80 %' },
    });
    // A far-away contract of the same account shows when both have reached the read model.
    expect((await api().put('/contracts', { ...contractA, id: 'ctr-far', endDate: dateIn(400) })).status).toBe(200);
    await waitFor('account name and health in the read model', async () => {
      const r = await api().get('/renewals/upcoming?withinDays=500');
      return r.json?.[0]?.accountName === 'Acme Corp' && r.json[0].healthBand === 'red';
    });

    expect((await api().put('/contracts', contractA)).status).toBe(200);
    const event = await watcher.waitFor(Topics.renewalUpcoming.name, (m) => m.json?.workspaceId === ws && m.json.data.contractId === 'ctr-a');
    expect(event.json).toMatchObject({
      type: 'renewal.upcoming', accountId: 'acme', time: T0.toISOString(),
      data: { contractId: 'ctr-a', endDate: dateIn(45), horizonDays: 60, daysToRenewal: 45, arr: 48000, currency: 'USD', healthBand: 'red', owner: 'maria@vendor.example' },
    });
    expect((await api().put('/contracts', contractC)).status).toBe(200);
    // Re-importing A changes nothing; 120 and 90 never fire; C and the far contract have no horizon yet.
    expect((await api().put('/contracts', contractA)).status).toBe(200);
    expect(await holdsFor(2000, () => JSON.stringify(horizonsOf('ctr-a')) === '[60]' && horizonsOf('ctr-c').length === 0 && horizonsOf('ctr-far').length === 0)).toBe(true);

    const upcoming = await api().get('/renewals/upcoming?withinDays=130');
    expect(upcoming.json.map((u: any) => [u.contractId, u.daysToRenewal, u.notices.map((n: any) => n.horizonDays), u.nextHorizonDays]))
      .toEqual([['ctr-a', 45, [60], 30], ['ctr-c', 125, [], 120]]);
  });

  it('fires the next horizon from the scheduled scan once the clock passes it', async () => {
    clock.advanceDays(16); // A: 29 days left → 30-day horizon; C: 109 days left → 120-day horizon
    await waitForHorizons('ctr-a', [60, 30]);
    await waitForHorizons('ctr-c', [120]);
    const thirty = watcher.matching(Topics.renewalUpcoming.name, (m) => m.json?.workspaceId === ws && m.json.data.horizonDays === 30)[0];
    expect(thirty.json.data).toMatchObject({ contractId: 'ctr-a', daysToRenewal: 29 });
    expect(await holdsFor(1500, () => horizonsOf('ctr-a').length === 2 && horizonsOf('ctr-c').length === 1)).toBe(true);
  });

  it('does not fire again after a restart, and fires at start-up a horizon passed while it was down', async () => {
    const before = svc;
    await svc.close(); // the service's database (db) stays
    clock.advanceDays(24); // while down: A has 5 days left (nothing new), C 85 (90-day horizon)
    svc = await startServiceInProcess(renewalsService, { clock, env: before.env }); // same topics, group and database
    await waitForHorizons('ctr-c', [120, 90]);
    expect(await holdsFor(2500, () =>
      JSON.stringify(horizonsOf('ctr-a')) === '[60,30]' && JSON.stringify(horizonsOf('ctr-c')) === '[120,90]')).toBe(true);
    const ids = watcher.matching(Topics.renewalUpcoming.name, (m) => m.json?.workspaceId === ws).map((m) => m.json.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('records an outcome once, requires a reason for a churn, and publishes renewal.closed', async () => {
    const noReason = await api().post('/contracts/ctr-c/outcome', { outcome: 'churned', arrAfter: 0 });
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toEqual(['reason: is required when the outcome is churned']);
    const notMore = await api().post('/contracts/ctr-c/outcome', { outcome: 'expanded', arrAfter: 20000 });
    expect(notMore.status).toBe(400);
    expect(notMore.json.message[0]).toMatch(/arrAfter: must be more than the ARR before \(30000\)/);
    const badOutcome = await api().post('/contracts/ctr-c/outcome', { outcome: 'lost', arrAfter: 0 });
    expect(badOutcome.status).toBe(400);
    expect(JSON.stringify(badOutcome.json.message)).toMatch(/outcome must be one of the following values: renewed, expanded, contracted, churned/);

    const churned = await api().post('/contracts/ctr-c/outcome', { outcome: 'churned', arrAfter: 0, reason: 'Moved to a competitor' });
    expect(churned.status).toBe(201);
    expect(churned.json).toMatchObject({ id: 'ctr-c', outcome: 'churned', arrAfter: 0, outcomeReason: 'Moved to a competitor' });
    const closed = await watcher.waitFor(Topics.renewalClosed.name, (m) => m.json?.workspaceId === ws && m.json.data.contractId === 'ctr-c');
    expect(closed.json).toMatchObject({
      accountId: 'globex',
      data: { outcome: 'churned', arrBefore: 30000, arrAfter: 0, reason: 'Moved to a competitor', closedAt: clock.now().toISOString() },
    });
    const again = await api().post('/contracts/ctr-c/outcome', { outcome: 'renewed', arrAfter: 30000 });
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already closed as churned/);

    const expanded = await api().post('/contracts/ctr-a/outcome', { outcome: 'expanded', arrAfter: 60000 });
    expect(expanded.status).toBe(201);
    await watcher.waitFor(Topics.renewalClosed.name, (m) => m.json?.workspaceId === ws && m.json.data.contractId === 'ctr-a' && m.json.data.arrAfter === 60000);

    // A closed renewal gets no more notices and leaves the calendar.
    clock.advanceDays(30); // C would have reached its 60-day horizon
    expect(await holdsFor(1500, () => horizonsOf('ctr-c').length === 2)).toBe(true);
    expect((await api().get('/renewals/upcoming')).json).toEqual([]);
    expect(watcher.matching(Topics.renewalClosed.name, (m) => m.json?.workspaceId === ws)).toHaveLength(2);
  });

  it('keeps one workspace from seeing or closing another workspace\'s renewals', async () => {
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/renewals/upcoming?withinDays=1000')).json).toEqual([]);
    expect((await other.post('/contracts/ctr-far/outcome', { outcome: 'renewed', arrAfter: 1 })).status).toBe(404);
    expect((await api().get('/contracts/ctr-far')).json.outcome).toBeNull();
  });
});
