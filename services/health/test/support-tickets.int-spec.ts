import 'reflect-metadata';
import { EventEnvelope, TicketChangedV1, Topics } from '@cairn/contracts';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor } from '@cairn/testing';
import { healthService } from '../src/service';

/** support.ticket-changed (relationships) → support measures → a lower score, explained. */
describe('health: support ticket measures', () => {
  const ws = uniqueId('ws');
  const account = 'acme';
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;
  const now = Date.parse('2026-11-30T12:00:00Z');
  const daysAgo = (d: number) => new Date(now - d * 86_400_000).toISOString();

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(healthService, { watch: [Topics.healthChanged.name] }));
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const ticket = (id: string, openedAt: string, d: Partial<TicketChangedV1> = {}) => producer.sendEvent(Topics.ticketChanged, {
    workspaceId: ws, accountId: account, time: d.updatedAt ?? openedAt,
    data: {
      ticketId: id, source: 'zendesk', sourceId: 'zd', externalId: id, change: 'opened', status: 'open', priority: 'normal', tags: [],
      escalated: false, openedAt, updatedAt: openedAt, ...d,
    },
  });
  const healthOf = async () => (await api.get(`/accounts/${account}/health`)).json;
  const scored = (e: EventEnvelope) => waitFor(`ticket ${e.id} scored`, async () => ((await healthOf())?.computedAt === e.time ? true : undefined));

  it('lowers the score when tickets spike against the account\'s own baseline, and says why', async () => {
    const res = await api.post('/scorecards', {
      id: 'support', name: 'Support', measures: [
        { measure: 'ticketVolumeTrend', weight: 2 }, { measure: 'openTickets', weight: 1 }, { measure: 'escalatedOpenTickets', weight: 1 },
      ],
    });
    expect(res.status).toBe(201);
    // Baseline: one ticket a week for 8 weeks, each solved the next day (oldest first: scoring is as of each event's time).
    let last!: EventEnvelope;
    for (let w = 7; w >= 0; w--) {
      const opened = daysAgo(10 + 7 * w);
      last = await ticket(`b${w}`, opened, { change: 'solved', status: 'solved', solvedAt: daysAgo(9 + 7 * w), updatedAt: daysAgo(9 + 7 * w), resolutionMinutes: 1440 });
    }
    await scored(last);
    const before = await healthOf();
    // As of the last baseline ticket: 1 ticket in its 7 days vs 7 in the 8 weeks before (0.875 a week): +14.3%.
    expect(before.explanation.find((e: any) => e.measure === 'ticketVolumeTrend')).toMatchObject({ raw: 14.3 });

    // The spike: four new tickets in a day, one escalated.
    for (let i = 0; i < 3; i++) last = await ticket(`s${i}`, daysAgo(1 - i * 0.1));
    last = await ticket('s3', daysAgo(0.5), { priority: 'urgent', escalated: true });
    await scored(last);
    const after = await healthOf();
    expect(after.score).toBeLessThan(before.score);
    const trend = after.explanation.find((e: any) => e.measure === 'ticketVolumeTrend');
    expect(trend).toMatchObject({ raw: 300, points: 0 });
    expect(trend.detail).toMatch(/^4 tickets opened in the last 7 days vs 1 a week before \(\+300%\)/);
    expect(after.explanation.find((e: any) => e.measure === 'escalatedOpenTickets').detail).toMatch(/1 urgent or escalated ticket open: s3/);
    const change = await watcher.waitFor(Topics.healthChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data?.cause?.eventId === last.id);
    expect(change.json.data.cause.summary).toBe('zendesk ticket s3 opened (urgent, escalated)');
  });
});
