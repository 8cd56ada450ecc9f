import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TopicWatcher, uniqueId, waitFor } from '@cairn/testing';
import { Client } from 'pg';
import { ingestionService } from '../src/service';

/**
 * One truth per account: calls that name no account are counted for it whichever partition gets
 * consumed first, and every chunk that moves an account's figures says so in a usage summary.
 */
describe('ingestion: late attribution and current usage summaries', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let writeKey: string;
  let db: Client;
  const now = Date.now();
  const iso = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

  async function send(path: string, body: Record<string, unknown>) {
    const res = await apiClient(svc.url).post(path, body, { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` });
    expect(res.status).toBe(200);
  }
  const usage = async (accountId: string) => (await apiClient(svc.url, svc.token(ws)).get(`/accounts/${accountId}/usage`)).json;
  /** What the rollup consumer has taken of a user's calls (every call counts there, attributed or not). */
  const consumedEvents = async (userId: string) => Number((await db.query(
    `SELECT COALESCE(sum(events), 0) AS n FROM user_activity WHERE workspace_id = $1 AND user_id = $2`, [ws, userId])).rows[0].n);

  beforeAll(async () => {
    ({ svc, watcher } = rig = await startServiceUnderTest(ingestionService, { env: { INGESTION_SCAN_INTERVAL_MS: '0' }, watch: [Topics.usageSummary.name] }));
    writeKey = (await apiClient(svc.url, svc.token(ws)).post('/write-keys', { name: 'app' })).json.writeKey;
    db = new Client({ connectionString: svc.databaseUrl, options: '-c search_path=ingestion' });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await rig?.stop();
  });

  it('credits tracks consumed before the group call that puts their user into the account, exactly once', async () => {
    await send('/v1/track', { userId: 'early-bird', event: 'Report Exported', timestamp: iso(30), messageId: 'eb-1' });
    await send('/v1/track', { userId: 'early-bird', event: 'Dashboard Viewed', timestamp: iso(20), messageId: 'eb-2' });
    // Both consumed while the user belongs to no account: counted for the user, for no account yet.
    await waitFor('the early tracks consumed', async () => (await consumedEvents('early-bird')) === 2);
    expect((await apiClient(svc.url, svc.token(ws)).get('/accounts/late-co/usage')).status).toBe(404);

    await send('/v1/group', { userId: 'early-bird', groupId: 'late-co', traits: { name: 'Late Co' }, timestamp: iso(10), messageId: 'eb-group' });
    const credited = await waitFor('the early tracks credited to late-co', async () => {
      const u = await usage('late-co');
      return u?.totals?.events === 2 ? u : undefined;
    });
    expect(credited).toMatchObject({
      activeUsers: { dau: 1, wau: 1, mau: 1 }, adoption: { featuresUsed30d: 2 }, lastActivityAt: iso(20), timeToFirstValue: { firstActivityAt: iso(30) },
    });
    expect(credited.features.map((f: { feature: string }) => f.feature).sort()).toEqual(['Dashboard Viewed', 'Report Exported']);

    // A second group call, and a track naming no account now that the membership exists: 3, not 5.
    await send('/v1/group', { userId: 'early-bird', groupId: 'late-co', traits: { plan: 'pro' }, messageId: 'eb-group-2' });
    await send('/v1/track', { userId: 'early-bird', event: 'Report Exported', timestamp: iso(5), messageId: 'eb-3' });
    await waitFor('the third track', async () => (await consumedEvents('early-bird')) === 3);
    await waitFor('late-co at 3 events', async () => (await usage('late-co'))?.totals?.events === 3);
    const stash = await db.query(`SELECT count(*)::int AS n FROM unattributed_usage WHERE workspace_id = $1`, [ws]);
    expect(stash.rows[0].n).toBe(0);
  });

  it('keeps a user\'s unattributed usage while they are in two accounts', async () => {
    await send('/v1/group', { userId: 'two-hats', groupId: 'hat-a', messageId: 'th-a' });
    await send('/v1/group', { userId: 'two-hats', groupId: 'hat-b', messageId: 'th-b' });
    // Both memberships first: a track consumed before one of them would be credited to the other.
    await waitFor('two-hats in both accounts', async () =>
      (await apiClient(svc.url, svc.token(ws)).get('/contacts/two-hats')).json?.memberships?.length === 2 || undefined);
    await send('/v1/track', { userId: 'two-hats', event: 'Ambiguous', timestamp: iso(3), messageId: 'th-1' });
    await waitFor('the ambiguous track consumed', async () => (await consumedEvents('two-hats')) === 1);
    const stash = await db.query(`SELECT events FROM unattributed_usage WHERE workspace_id = $1 AND user_id = 'two-hats'`, [ws]);
    expect(stash.rows).toEqual([{ events: 1 }]);
    expect((await apiClient(svc.url, svc.token(ws)).get('/accounts/hat-a/usage')).json.totals.events).toBe(0);
  });

  it('publishes a current summary whenever a chunk moves the account\'s figures, matching the rollups', async () => {
    const summaryOf = (accountId: string, predicate: (d: any) => boolean) =>
      watcher.waitFor(Topics.usageSummary.name, (m) => m.json?.workspaceId === ws && m.json?.accountId === accountId && m.json.data.current && predicate(m.json.data));
    await send('/v1/track', { userId: 'fresh-1', event: 'Seat Added', context: { groupId: 'fresh-co' }, timestamp: iso(9), messageId: 'f-1' });
    const first = await summaryOf('fresh-co', (d) => d.activeUsers7d === 1);
    expect(first.json.data).toMatchObject({ activeUsers30d: 1, featuresUsed30d: 1, lastActivityAt: iso(9), firstActivityAt: iso(9) });

    // Same day, nothing closes: the second user and the second feature are said at once all the same.
    await send('/v1/track', { userId: 'fresh-2', event: 'Report Exported', context: { groupId: 'fresh-co' }, timestamp: iso(2), messageId: 'f-2' });
    const second = await summaryOf('fresh-co', (d) => d.activeUsers7d === 2);
    const rollups = await usage('fresh-co');
    expect(second.json.data).toMatchObject({
      asOf: rollups.latestDay, activeUsers7d: rollups.activeUsers.wau, activeUsers30d: rollups.activeUsers.mau,
      featuresUsed30d: rollups.adoption.featuresUsed30d, lastActivityAt: new Date(rollups.lastActivityAt).toISOString(),
    });
    expect(second.json.data).toMatchObject({ featuresUsed30d: 2, lastActivityAt: iso(2) });
  });
});
