import { createHmac } from 'node:crypto';
import { Topics } from '@cairn/contracts';
import { DLQ_HEADERS } from '@cairn/messaging';
import { holdsFor, TestProducer, testKafka, TopicWatcher, uniqueId, usageDroppedPayload, waitFor, WebhookReceiver } from '@cairn/testing';
import { Platform } from './platform';

const DAY = 86_400_000;

/** The usage drop the failure-path tests send for an account: 50 → 5 events/day, one episode. */
const weeklyDrop = (account: string) => usageDroppedPayload(`${account}-ep1`, {
  baselineWindow: { from: '2026-10-01', to: '2026-10-28' }, currentWindow: { from: '2026-10-29', to: '2026-11-04' },
  baselineDailyAvg: 50, currentDailyAvg: 5, changePct: -90, thresholdPct: 50, reason: `Weekly usage of ${account} fell 90%`,
});

/**
 * The two risk flows of the foundation, through all five services as real processes, a real
 * Kafka broker and a real PostgreSQL: a usage drop and a champion's departure each end as one
 * CSM task and one alert delivered to a webhook, with the reason attached.
 */
describe('risk flows end to end', () => {
  const ws = uniqueId('e2e');
  const platform = new Platform();
  const webhook = new WebhookReceiver();
  const webhookSecret = 'whsec-e2e-0123456789';
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let writeKey: string;

  const segment = async (path: string, body: unknown) => {
    const r = await fetch(`${platform.url('ingestion')}/v1/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify(body),
    });
    const json = await r.json() as { rejected?: unknown[] };
    if (r.status !== 200) throw new Error(`/v1/${path} → ${r.status} ${JSON.stringify(json)}`);
    return json;
  };

  const tasksOf = async (accountId: string) => {
    const r = await platform.api('playbooks', ws).get(`/tasks?accountId=${accountId}`);
    expect(r.status).toBe(200);
    return r.json as any[];
  };
  const alertsOf = async (accountId: string) => {
    const r = await platform.api('playbooks', ws).get(`/alerts?accountId=${accountId}`);
    expect(r.status).toBe(200);
    return r.json as any[];
  };

  /** An account with a CSM owner and a champion, via Segment group + identify. */
  async function onboard(accountId: string, csmOwner: string, championId: string) {
    await segment('group', { userId: championId, groupId: accountId, traits: { name: `${accountId} Inc`, domain: `${accountId}.example`, plan: 'growth', seats: 20, csmOwner } });
    await segment('identify', { userId: championId, context: { groupId: accountId }, traits: { email: `${championId}@${accountId}.example`, name: 'Dana Champion', role: 'champion' } });
  }

  /**
   * Waits until health has scored the account with its champion in place. An account's first score
   * (from account-upserted alone) is not enough: a departure sent then could reach health before the
   * onboarding's contact-upserted (another topic), and the score would never rise and fall.
   */
  async function championScored(accountId: string) {
    await waitFor('the champion to be known to health', async () => {
      const r = await platform.api('health', ws).get(`/accounts/${accountId}/health`);
      const champion = (r.json?.explanation ?? []).find((e: { measure: string }) => e.measure === 'championPresent');
      return r.status === 200 && champion?.points === 100 ? r.json : undefined;
    }, { timeoutMs: 30_000 });
  }

  beforeAll(async () => {
    await webhook.start();
    await platform.start();
    watcher = await new TopicWatcher(testKafka(), [
      Topics.usageDropped.name, Topics.usageSummary.name, Topics.contactDeparted.name, Topics.healthChanged.name, Topics.alertRaised.name,
      `${Topics.usageDropped.name}.dlq`,
    ]).start();
    producer = await new TestProducer(testKafka()).start();
    const key = await platform.api('ingestion', ws).post('/write-keys', { name: 'e2e' });
    expect(key.status).toBe(201);
    writeKey = key.json.writeKey;
    const channel = await platform.api('playbooks', ws).post('/channels', { type: 'webhook', url: `${webhook.url}/cairn`, secret: webhookSecret });
    expect(channel.status).toBe(201);
  });

  afterAll(async () => {
    await producer?.stop();
    await watcher?.stop();
    await platform.stop();
    await webhook.stop();
  });

  it('turns a sharp usage drop into a lower health score, one CSM task for the owner and one delivered alert, with the numbers', async () => {
    const account = 'globex';
    await onboard(account, 'li@vendor.example', 'gus');
    // 28 steady days (40 events/day), 7 quiet days (3/day), then the first event of the next day
    // closes the window: event time, historical timestamps.
    const start = Date.now() - 40 * DAY;
    const calls: unknown[] = [];
    for (let d = 0; d <= 35; d++) {
      const n = d < 28 ? 40 : d < 35 ? 3 : 1;
      for (let i = 0; i < n; i++) {
        calls.push({ type: 'track', event: i % 2 ? 'Report Viewed' : 'Export Created', userId: `gus-team-${i % 8}`,
          timestamp: new Date(start + d * DAY + 3_600_000 + i * 60_000).toISOString(), context: { groupId: account } });
      }
    }
    const send = async (part: unknown[]) => {
      for (let i = 0; i < part.length; i += 300) {
        const r = await segment('batch', { batch: part.slice(i, i + 300) });
        expect(r.rejected ?? []).toEqual([]);
      }
    };
    // The steady month is history health has scored before the quiet week comes (as it would in
    // real time, weeks apart): the summary closing its last day has reached the account's health.
    const steady = 28 * 40;
    await send(calls.slice(0, steady));
    const lastSteadyDay = new Date(start + 26 * DAY + 3_600_000).toISOString().slice(0, 10);
    const summary = await watcher.waitFor(Topics.usageSummary.name,
      (m) => m.json?.workspaceId === ws && m.json?.accountId === account && m.json?.data?.asOf === lastSteadyDay && !m.json.data.current, { timeoutMs: 60_000 });
    await waitFor('health to score the steady month', async () => {
      const r = await platform.api('health', ws).get(`/accounts/${account}/health`);
      // That summary, or a current one sent with or after it (which then carries the figures).
      const ids = [summary.json.id, ...watcher.matching(Topics.usageSummary.name, (m) => m.json?.workspaceId === ws
        && m.json?.accountId === account && m.json?.data?.current && m.json.data.asOf >= lastSteadyDay).map((m) => m.json.id)];
      const text = JSON.stringify(r.json);
      return r.status === 200 && ids.some((id) => text.includes(id)) ? r.json : undefined;
    }, { timeoutMs: 30_000 });
    await send(calls.slice(steady));

    const drop = await watcher.waitFor(Topics.usageDropped.name, (m) => m.json?.workspaceId === ws && m.json?.accountId === account, { timeoutMs: 60_000 });
    expect(drop.json.data.baselineDailyAvg).toBeCloseTo(40, 0);
    expect(drop.json.data.currentDailyAvg).toBeCloseTo(3, 0);
    expect(drop.json.data.changePct).toBeLessThan(-80);

    const [task] = await waitFor('a usage-drop task', async () => { const t = await tasksOf(account); return t.length ? t : undefined; }, { timeoutMs: 30_000 });
    expect(task.assignee).toBe('li@vendor.example');
    expect(`${task.title} ${task.description}`).toMatch(/usage/i);
    expect(task.cause.eventId).toBe(drop.json.id);
    expect(task.cause.summary).toBe(drop.json.data.reason);

    const delivered = await waitFor('the alert at the webhook', () => webhook.received.find((r) => r.json?.alert?.accountId === account || r.json?.account?.id === account || r.json?.alert?.cause?.eventId === drop.json.id), { timeoutMs: 30_000 });
    const expected = `sha256=${createHmac('sha256', webhookSecret).update(delivered.body).digest('hex')}`;
    expect(delivered.headers['x-cairn-signature']).toBe(expected);
    expect(JSON.stringify(delivered.json)).toContain(drop.json.data.reason);

    // Health reacts to the drop itself (later usage summaries may move the score again).
    const changed = await watcher.waitFor(Topics.healthChanged.name,
      (m) => m.json?.workspaceId === ws && m.json?.data?.cause?.eventId === drop.json.id, { timeoutMs: 30_000 });
    expect(changed.json.data.current.score).toBeLessThan(changed.json.data.previous.score);
    expect(['red', 'yellow']).toContain(changed.json.data.current.band);
    expect(changed.json.data.summary).toContain(drop.json.data.reason);
    expect(JSON.stringify(changed.json.data.explanation)).toMatch(/usage/i);
    expect(watcher.matching(Topics.healthChanged.name, (m) => m.json?.data?.cause?.eventId === drop.json.id)).toHaveLength(1);
    const health = await platform.api('health', ws).get(`/accounts/${account}/health`);
    expect(health.status).toBe(200);
    expect(['red', 'yellow']).toContain(health.json.band);
    const history = await platform.api('health', ws).get(`/accounts/${account}/health/history`);
    expect(JSON.stringify(history.json)).toContain(drop.json.id);

    expect(await alertsOf(account)).toHaveLength(1);
    expect(await tasksOf(account)).toHaveLength(1);
  });

  it('turns a champion\'s departure into a high-priority task and an alert naming the rule', async () => {
    const account = 'initech';
    await onboard(account, 'maria@vendor.example', 'bill');
    await championScored(account);
    await segment('identify', { userId: 'bill', context: { groupId: account }, traits: { email: `bill@${account}.example`, status: 'left' } });

    const departed = await watcher.waitFor(Topics.contactDeparted.name, (m) => m.json?.workspaceId === ws && m.json?.accountId === account, { timeoutMs: 30_000 });
    expect(departed.json.data).toMatchObject({ contactId: 'bill', role: 'champion', rule: 'traits' });

    const [task] = await waitFor('a champion-left task', async () => { const t = await tasksOf(account); return t.length ? t : undefined; }, { timeoutMs: 30_000 });
    expect(task.priority).toBe('high');
    expect(task.assignee).toBe('maria@vendor.example');
    expect(task.cause.eventId).toBe(departed.json.id);
    const [alert] = await waitFor('the alert', async () => { const a = await alertsOf(account); return a.length ? a : undefined; });
    expect(alert.severity).toBe('critical');
    await waitFor('the alert at the webhook', () => webhook.received.find((r) => JSON.stringify(r.json).includes(departed.json.data.reason)), { timeoutMs: 30_000 });
    await waitFor('health to drop for the departure', async () => {
      const r = await platform.api('health', ws).get(`/accounts/${account}/health`);
      return r.json?.cause?.eventId === departed.json.id;
    }, { timeoutMs: 30_000 });
  });

  it('reaches health from a detractor survey answer and renewals from health', async () => {
    const account = 'hooli';
    await onboard(account, 'sam@vendor.example', 'gavin');
    await championScored(account); // else the champion's arrival could land after the answer and move health last
    const contract = await platform.api('renewals', ws).put('/contracts', { id: 'ctr-hooli', accountId: account, arr: 90000, startDate: '2026-01-01', endDate: '2027-06-30' });
    expect(contract.status).toBe(200);
    const survey = await platform.api('surveys', ws).post('/surveys', { name: 'NPS e2e', kind: 'nps' });
    expect(survey.status).toBe(201);
    const answer = await platform.api('surveys', ws).post(`/surveys/${survey.json.id}/responses`, { accountId: account, contactId: 'gavin', score: 2, comment: 'Too many bugs' });
    expect(answer.status).toBe(201);
    const health = await waitFor('health moved by the detractor answer', async () => {
      const r = await platform.api('health', ws).get(`/accounts/${account}/health`);
      return r.json?.cause?.type === 'survey.response-recorded' ? r.json : undefined;
    }, { timeoutMs: 30_000 });
    await waitFor('renewals to learn the new health', async () => {
      const r = await platform.api('renewals', ws).get('/contracts/ctr-hooli');
      return r.json?.healthScore === health.score;
    }, { timeoutMs: 30_000 });
    await waitFor('a detractor task', async () => (await tasksOf(account)).length === 1, { timeoutMs: 30_000 });
  });

  it('turns a renewal coming up on an at-risk account into an urgent task', async () => {
    const account = 'umbrella';
    await onboard(account, 'ravi@vendor.example', 'alice');
    await championScored(account);
    await segment('identify', { userId: 'alice', context: { groupId: account }, traits: { email: `alice@${account}.example`, status: 'left' } });
    const renewals = platform.api('renewals', ws);
    const end = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
    // Far from renewal first, until renewals has learnt the health that followed the departure (not an
    // earlier red: the account's first score, before its champion counted, was red too).
    expect((await renewals.put('/contracts', { id: 'ctr-umbrella', accountId: account, arr: 36000, startDate: end(-300), endDate: end(300) })).status).toBe(200);
    const afterDeparture = await watcher.waitFor(Topics.healthChanged.name, (m) => m.json?.workspaceId === ws && m.json?.accountId === account
      && m.json?.data?.cause?.type === 'directory.contact-departed', { timeoutMs: 30_000 });
    const band = afterDeparture.json.data.current.band;
    expect(['red', 'yellow']).toContain(band);
    await waitFor('renewals to know the at-risk health', async () => {
      const c = (await renewals.get('/contracts/ctr-umbrella')).json;
      return c?.healthBand === band && Date.parse(c.healthUpdatedAt) >= Date.parse(afterDeparture.json.time) ? c : undefined;
    }, { timeoutMs: 30_000 });
    // The renewal date moves within 60 days: the passed horizon fires once, now, with the band.
    expect((await renewals.put('/contracts', { id: 'ctr-umbrella', accountId: account, arr: 36000, startDate: end(-300), endDate: end(45) })).status).toBe(200);
    const task = await waitFor('a renewal-at-risk task', async () => (await tasksOf(account)).find((t) => t.cause?.type === 'renewal.upcoming'), { timeoutMs: 30_000 });
    expect(task.assignee).toBe('ravi@vendor.example');
    expect(task.description).toContain(band);
  });

  it('creates one task and one alert when the same usage-drop event arrives twice', async () => {
    const account = uniqueId('twice');
    const event = {
      workspaceId: ws, accountId: account,
      data: weeklyDrop(account),
    };
    const envelope = await producer.sendEvent(Topics.usageDropped, event);
    await producer.sendEnvelope(Topics.usageDropped.name, envelope);
    await waitFor('the task', async () => (await tasksOf(account)).length === 1);
    expect(await holdsFor(3000, async () => (await tasksOf(account)).length === 1 && (await alertsOf(account)).length === 1)).toBe(true);
  });

  it('creates exactly one task and one alert per cause when playbooks is killed in the middle of a batch', async () => {
    const prefix = uniqueId('restart');
    const n = 120;
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const account = `${prefix}-${i}`;
      ids.push(account);
      await producer.sendEvent(Topics.usageDropped, {
        workspaceId: ws, accountId: account,
        data: weeklyDrop(account),
      });
    }
    const playbooks = platform.procs.get('playbooks')!;
    const countTasks = async () => {
      const r = await platform.api('playbooks', ws).get(`/tasks?limit=1000`);
      return (r.json as any[]).filter((t) => t.accountId.startsWith(prefix)).length;
    };
    await waitFor('some of the batch to be handled', async () => (await countTasks()) > 0, { timeoutMs: 30_000, intervalMs: 20 });
    await playbooks.kill(); // SIGKILL: no graceful shutdown, offsets of the batch in hand uncommitted
    const before = await countTasks().catch(() => -1);
    void before;
    await platform.startOne('playbooks');
    await waitFor(`all ${n} tasks`, async () => (await countTasks()) === n, { timeoutMs: 90_000 });
    const tasks = ((await platform.api('playbooks', ws).get('/tasks?limit=1000')).json as any[]).filter((t) => t.accountId.startsWith(prefix));
    const alerts = ((await platform.api('playbooks', ws).get('/alerts?limit=1000')).json as any[]).filter((a) => a.accountId.startsWith(prefix));
    expect(new Set(tasks.map((t) => t.accountId)).size).toBe(n);
    expect(tasks).toHaveLength(n);
    expect(alerts).toHaveLength(n);
  });

  it('dead-letters a malformed usage-drop message with the reason and still handles the next good one', async () => {
    const account = uniqueId('after-poison');
    await producer.sendRaw(Topics.usageDropped.name, `{"id": "broken-${ws}", "type": "usage.dropped"`, `${ws}:${account}`);
    await producer.sendEvent(Topics.usageDropped, {
      workspaceId: ws, accountId: account,
      data: weeklyDrop(account),
    });
    const dead = await watcher.waitFor(`${Topics.usageDropped.name}.dlq`,
      (m) => m.value === `{"id": "broken-${ws}", "type": "usage.dropped"` && m.headers[DLQ_HEADERS.group] === 'cairn-playbooks', { timeoutMs: 30_000 });
    expect(dead.headers[DLQ_HEADERS.error]).toMatch(/not valid JSON/);
    await waitFor('the good message after it', async () => (await tasksOf(account)).length === 1, { timeoutMs: 30_000 });
  });
});
