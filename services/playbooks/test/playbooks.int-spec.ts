import 'reflect-metadata';
import { createHmac } from 'node:crypto';
import { issueApiToken } from '@cairn/auth';
import { buildEnvelope, Topics } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, testInfra, TestProducer, TopicWatcher, uniqueId, usageDroppedPayload, waitFor, WebhookReceiver,
} from '@cairn/testing';
import { playbooksService } from '../src/service';

const DLQ = `${Topics.usageDropped.name}.dlq`;

describe('playbooks: risk signals become one task and one delivered alert per cause', () => {
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(playbooksService, { watch: [Topics.taskCreated.name, Topics.alertRaised.name, Topics.taskStatusChanged.name, Topics.alertAcknowledged.name, DLQ] }));
  });
  afterAll(async () => {
    await rig?.stop();
    for (const r of receivers) await r.stop();
  });

  const api = (ws: string, subject = 'test') =>
    apiClient(svc.url, subject === 'test' ? svc.token(ws) : issueApiToken({ workspaceId: ws, subject }, testInfra().authSecret));
  const receiver = async () => { const r = await new WebhookReceiver().start(); receivers.push(r); return r; };
  const sign = (body: string, secret: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  const drop = usageDroppedPayload;

  async function knownAccount(ws: string, accountId: string, data: Record<string, unknown>) {
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId, data: { traits: {}, ...data } });
    await waitFor(`account ${accountId} in the read model`, async () => (await api(ws).get(`/accounts/${accountId}`)).json?.csmOwner);
  }
  const tasks = async (ws: string, query = '') => (await api(ws).get(`/tasks${query}`)).json as any[];
  const alerts = async (ws: string, query = '') => (await api(ws).get(`/alerts${query}`)).json as any[];
  const signal = (ws: string, eventId: string) => waitFor(`signal ${eventId}`, async () =>
    ((await api(ws).get('/signals')).json as any[]).find((s) => s.eventId === eventId));

  // Shared by the tests that follow the first one (inbox, task statuses, isolation).
  const ws1 = uniqueId('ws');
  const secret1 = 'whsec_test_0123456789';
  let task1: any;
  let alert1: any;

  it('assigns a usage-drop task to the CSM owner and delivers a signed alert to the webhook', async () => {
    const hook = await receiver();
    const channel = await api(ws1).post('/channels', { type: 'webhook', url: hook.url, secret: secret1 });
    expect(channel.status).toBe(201);
    expect(channel.json).toMatchObject({ type: 'webhook', hasSecret: true });
    expect(channel.text).not.toContain(secret1);

    await knownAccount(ws1, 'acme', { name: 'Acme Corp', csmOwner: 'dana@vendor.example', plan: 'enterprise', arr: 48000 });
    const event = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws1, accountId: 'acme', data: drop('ep-1') });

    const [task] = await waitFor('the usage-drop task', async () => { const t = await tasks(ws1, '?accountId=acme'); return t.length ? t : undefined; });
    expect(task).toMatchObject({
      accountId: 'acme', title: 'Usage dropped at Acme Corp', assignee: 'dana@vendor.example', priority: 'high', status: 'open',
      cause: { eventId: event.id, type: 'usage.dropped', summary: drop('ep-1').reason },
    });
    expect(task.description).toContain(drop('ep-1').reason);
    const [alert] = await alerts(ws1, '?accountId=acme');
    expect(alert).toMatchObject({ severity: 'warning', title: 'Usage drop at Acme Corp', taskId: task.id, recipient: 'dana@vendor.example', status: 'open' });

    const delivered = await waitFor('the webhook delivery', () => hook.received[0]);
    expect(delivered.headers['x-cairn-signature']).toBe(sign(delivered.body, secret1));
    expect(delivered.headers['x-cairn-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(delivered.json).toMatchObject({
      alert: { id: alert.id, severity: 'warning', reason: drop('ep-1').reason, cause: { eventId: event.id } },
      task: { id: task.id, assignee: 'dana@vendor.example' },
      account: { id: 'acme', name: 'Acme Corp', csmOwner: 'dana@vendor.example', arr: 48000 },
    });

    const created = await watcher.waitFor(Topics.taskCreated.name, (m) => m.json?.workspaceId === ws1);
    expect(created.json).toMatchObject({ accountId: 'acme', data: { taskId: task.id, assignee: 'dana@vendor.example', priority: 'high' } });
    const raised = await watcher.waitFor(Topics.alertRaised.name, (m) => m.json?.workspaceId === ws1);
    expect(raised.json).toMatchObject({ accountId: 'acme', data: { alertId: alert.id, taskId: task.id, severity: 'warning' } });
    // The first event of the workspace seeded its defaults; the shipped "Usage drop" acted.
    expect((await signal(ws1, event.id)).outcomes).toEqual(expect.arrayContaining([expect.objectContaining({ playbook: 'Usage drop', outcome: 'acted' })]));
    task1 = task;
    alert1 = alert;
  });

  it('creates one task and one alert when the same usage-drop event arrives twice and again for the same episode', async () => {
    const ws = uniqueId('ws');
    const hook = await receiver();
    await api(ws).post('/channels', { type: 'webhook', url: hook.url, secret: 'whsec_dup' });
    const first = buildEnvelope(Topics.usageDropped, 'test', { workspaceId: ws, accountId: 'acme', data: drop('ep-7') });
    await producer.sendEnvelope(Topics.usageDropped.name, first);
    await producer.sendEnvelope(Topics.usageDropped.name, first);
    const sameEpisode = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-7', { changePct: -70 }) });

    const later = await signal(ws, sameEpisode.id);
    expect(later.outcomes).toEqual([expect.objectContaining({ playbook: 'Usage drop', outcome: 'duplicate-cause' })]);
    expect(await holdsFor(1500, async () => (await tasks(ws)).length === 1 && (await alerts(ws)).length === 1)).toBe(true);
    expect(hook.received).toHaveLength(1);
    expect(watcher.matching(Topics.taskCreated.name, (m) => m.json?.workspaceId === ws)).toHaveLength(1);
    expect(watcher.matching(Topics.alertRaised.name, (m) => m.json?.workspaceId === ws)).toHaveLength(1);
  });

  it('keeps a playbook quiet for a new drop episode of the same account within its cooldown', async () => {
    const ws = uniqueId('ws');
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-a'), time: '2025-03-07T00:00:00Z' });
    const next = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-b'), time: '2025-03-08T00:00:00Z' });
    expect((await signal(ws, next.id)).outcomes).toEqual([expect.objectContaining({ playbook: 'Usage drop', outcome: 'cooldown' })]);
    expect(await tasks(ws)).toHaveLength(1);
  });

  it('raises a high-priority task and a critical alert when the champion leaves, and posts it to Slack', async () => {
    const ws = uniqueId('ws');
    const slack = await receiver();
    expect((await api(ws).post('/channels', { type: 'slack', url: `${slack.url}/services/T000/B000/XXXX` })).status).toBe(201);
    await knownAccount(ws, 'globex', { name: 'Globex', csmOwner: 'sam@vendor.example' });
    await producer.sendEvent(Topics.contactDeparted, {
      workspaceId: ws, accountId: 'globex',
      data: { contactId: 'u-42', email: 'jo@globex.example', name: 'Jo Park', role: 'champion', rule: 'traits', evidence: { trait: 'status', value: 'left' },
        departedAt: '2025-03-09T10:00:00Z', reason: 'Jo Park (champion) was marked as having left Globex' },
    });
    const [task] = await waitFor('the champion task', async () => { const t = await tasks(ws); return t.length ? t : undefined; });
    expect(task).toMatchObject({ priority: 'high', assignee: 'sam@vendor.example', title: 'Re-establish a champion at Globex' });
    const [alert] = await alerts(ws);
    expect(alert).toMatchObject({ severity: 'critical', title: 'Key contact left Globex (champion)', reason: 'Jo Park (champion) was marked as having left Globex' });
    const posted = await waitFor('the Slack message', () => slack.received[0]);
    expect(posted.url).toBe('/services/T000/B000/XXXX');
    expect(posted.json.text).toBe(':rotating_light: [CRITICAL] Key contact left Globex (champion)');
    expect(JSON.stringify(posted.json.blocks)).toContain('assigned to sam@vendor.example');
    const [listed] = (await api(ws).get('/channels')).json;
    expect(listed.url).not.toContain('XXXX');
  });

  it('retries a webhook that answered 500, then logs both attempts', async () => {
    const ws = uniqueId('ws');
    const hook = await receiver();
    hook.respond = (_req, i) => (i === 0 ? 500 : 200);
    const created = await api(ws).post('/channels', { type: 'webhook', url: hook.url });
    const generated: string = created.json.secret;
    expect(generated).toMatch(/^whsec_/);
    expect((await api(ws).get('/channels')).text).not.toContain(generated);
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'initech', data: drop('ep-3') });

    const [alert] = await waitFor('the alert', async () => { const a = await alerts(ws); return a.length ? a : undefined; });
    const [delivery] = await waitFor('a delivered delivery', async () => {
      const d = (await api(ws).get(`/deliveries?alertId=${alert.id}`)).json as any[];
      return d[0]?.status === 'delivered' ? d : undefined;
    });
    expect(delivery).toMatchObject({ channelType: 'webhook', attempts: 2, lastStatusCode: 200 });
    expect(delivery.log.map((a: any) => [a.attempt, a.statusCode])).toEqual([[1, 500], [2, 200]]);
    expect(delivery.log[0].error).toMatch(/^HTTP 500/);
    expect(hook.received).toHaveLength(2);
    const [a, b] = hook.received;
    expect(b.body).toBe(a.body);
    expect(b.headers['x-cairn-delivery']).toBe(a.headers['x-cairn-delivery']);
    expect(b.headers['x-cairn-signature']).toBe(sign(b.body, generated));
    expect(b.at - a.at).toBeGreaterThanOrEqual(400);

    // The task was made before anyone owned the account: it goes to the owner once one is known.
    expect((await tasks(ws))[0].assignee).toBeNull();
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'initech', data: { csmOwner: 'kim@vendor.example', traits: {} } });
    await waitFor('the task to reach the new owner', async () => (await tasks(ws))[0].assignee === 'kim@vendor.example');
    expect((await alerts(ws))[0].recipient).toBe('kim@vendor.example');
  });

  it('lists alerts in the inbox and acknowledges them', async () => {
    expect(alert1).toBeDefined();
    const dana = api(ws1, 'dana@vendor.example');
    expect(((await dana.get('/inbox')).json as any[]).map((a) => a.id)).toEqual([alert1.id]);
    expect((await api(ws1, 'bob@vendor.example').get('/inbox?scope=mine')).json).toEqual([]);
    expect(((await api(ws1).get('/inbox')).json as any[]).map((a) => a.id)).toContain(alert1.id);

    const acked = await dana.post(`/alerts/${alert1.id}/ack`);
    expect(acked.status).toBe(200);
    expect(acked.json).toMatchObject({ id: alert1.id, status: 'acknowledged', acknowledgedBy: 'dana@vendor.example' });
    const again = await api(ws1).post(`/alerts/${alert1.id}/ack`);
    expect(again.json.acknowledgedAt).toBe(acked.json.acknowledgedAt);
    expect(await alerts(ws1, '?status=open')).toEqual([]);
    expect((await alerts(ws1, '?status=acknowledged')).map((a) => a.id)).toEqual([alert1.id]);
    const one = await api(ws1).get(`/alerts/${alert1.id}`);
    expect(one.json).toMatchObject({ id: alert1.id, cause: { type: 'usage.dropped' }, task: { id: task1.id } });
    const ackEvent = await watcher.waitFor(Topics.alertAcknowledged.name, (m) => (m.json as any)?.data?.alertId === alert1.id);
    expect(ackEvent.json).toMatchObject({ workspaceId: ws1, accountId: 'acme', data: { acknowledgedBy: 'dana@vendor.example', acknowledgedAt: acked.json.acknowledgedAt } });
    expect(await holdsFor(500, () => watcher.matching(Topics.alertAcknowledged.name, (m) => (m.json as any)?.data?.alertId === alert1.id).length === 1)).toBe(true);
  });

  it('moves a task through its statuses and refuses an invalid transition, naming it', async () => {
    const t = api(ws1);
    const noReason = await t.patch(`/tasks/${task1.id}`, { status: 'dismissed' });
    expect(noReason.status).toBe(400);
    expect(noReason.json.message).toEqual(['reason: dismissing a task needs a reason']);
    expect((await t.patch(`/tasks/${task1.id}`, { status: 'in_progress' })).json.status).toBe('in_progress');
    const done = await t.patch(`/tasks/${task1.id}`, { status: 'done' });
    expect(done.json).toMatchObject({ status: 'done', statusChangedBy: 'test' });
    expect(done.json.closedAt).toBeTruthy();
    const back = await t.patch(`/tasks/${task1.id}`, { status: 'in_progress' });
    expect(back.status).toBe(400);
    expect(back.json.message).toEqual(['status: invalid transition done → in_progress (done is final)']);
    const bad = await t.patch(`/tasks/${task1.id}`, { status: 'paused' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.message)).toMatch(/status must be one of the following values: in_progress, done, dismissed/);
    expect((await tasks(ws1, '?assignee=dana@vendor.example&status=done')).map((x) => x.id)).toEqual([task1.id]);
    await waitFor('one status-changed event per move', () => watcher.matching(Topics.taskStatusChanged.name, (m) => (m.json as any)?.data?.taskId === task1.id).length === 2);
    expect(watcher.matching(Topics.taskStatusChanged.name, (m) => (m.json as any)?.data?.taskId === task1.id).map((m) => [(m.json as any).data.previousStatus, (m.json as any).data.status]))
      .toEqual([['open', 'in_progress'], ['in_progress', 'done']]);
    expect(await tasks(ws1, '?status=open')).toEqual([]);
  });

  it('refuses an email channel while the service has no SMTP_URL, saying so', async () => {
    const res = await api(uniqueId('ws')).post('/channels', { type: 'email', to: 'owner' });
    expect(res.status).toBe(400);
    expect(res.json.message).toEqual(['type: email channels need SMTP_URL to be configured on the playbooks service']);
  });

  it('rejects an invalid playbook with messages naming each bad field', async () => {
    const ws = uniqueId('ws');
    const res = await api(ws).post('/playbooks', {
      name: 'Broken',
      trigger: 'usage.dropped',
      conditions: { all: [{ field: 'account.band', op: 'is', value: 'red' }, { field: 'event.changePercent', op: 'lte', value: -30 }] },
      actions: [{ type: 'createTask', title: 'Call {{account.nme}}', priority: 'asap' }],
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toEqual(expect.arrayContaining([
      expect.stringMatching(/^conditions\.all\[0\]\.op: must be one of eq, neq, in, nin, lt, lte, gt, gte, exists, contains, got "is"$/),
      expect.stringMatching(/^conditions\.all\[1\]\.field: unknown field 'event\.changePercent' for this trigger/),
      'actions[0].title: unknown placeholder {{account.nme}}',
      'actions[0].priority: must be one of low, normal, high, urgent, got "asap"',
    ]));
    const list = (await api(ws).get('/playbooks')).json as any[];
    expect(list.map((p) => p.name).sort()).toEqual(['Champion left', 'Detractor', 'Onboarding stalled', 'Renewal at risk', 'Usage drop']);
    const usage = list.find((p) => p.name === 'Usage drop');
    // A playbook as GET returns it can be edited and PUT back.
    const disabled = await api(ws).put(`/playbooks/${usage.id}`, { ...usage, enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.json).toMatchObject({ id: usage.id, enabled: false, version: 2 });
    const { name, actions } = usage;
    const typo = await api(ws).put(`/playbooks/${usage.id}`, { name, trigger: 'usage.fell', actions });
    expect(typo.status).toBe(400);
    expect(typo.json.message[0]).toMatch(/^trigger: must be one of usage\.dropped, directory\.contact-departed/);
  });

  it('runs a custom playbook with conditions on the account band and the event, and explains non-matches', async () => {
    const ws = uniqueId('ws');
    const custom = await api(ws).post('/playbooks', {
      name: 'Red account drop', trigger: 'usage.dropped', cooldownHours: 0,
      conditions: { all: [{ field: 'account.band', op: 'in', value: ['red', 'yellow'] }, { field: 'event.changePct', op: 'lte', value: -30 }] },
      actions: [{ type: 'createTask', title: 'Escalate {{account.name}} ({{account.band}}, {{event.changePct}}%)', assignee: 'lead@vendor.example', priority: 'urgent', dueInDays: 1 }],
    });
    expect(custom.status).toBe(201);
    await producer.sendEvent(Topics.healthChanged, {
      workspaceId: ws, accountId: 'acme',
      data: { scorecardId: 'default', previous: { score: 71, band: 'green' }, current: { score: 35, band: 'red' }, explanation: [],
        cause: { eventId: 'e-1', type: 'usage.dropped', summary: 'usage fell' }, summary: 'Usage fell; score 71 → 35' },
    });
    await waitFor('red health in the read model', async () => (await api(ws).get('/accounts/acme')).json?.health?.band === 'red');
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-r', { changePct: -45 }) });
    const other = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'hooli', data: drop('ep-h', { changePct: -45 }) });

    const outcomes = (await signal(ws, other.id)).outcomes;
    expect(outcomes).toEqual(expect.arrayContaining([
      expect.objectContaining({ playbook: 'Red account drop', outcome: 'no-match' }),
      expect.objectContaining({ playbook: 'Usage drop', outcome: 'acted' }),
    ]));
    const escalations = await tasks(ws, `?playbookId=${custom.json.id}`);
    expect(escalations).toHaveLength(1);
    expect(escalations[0]).toMatchObject({ accountId: 'acme', title: 'Escalate acme (red, -45%)', assignee: 'lead@vendor.example', priority: 'urgent' });
    expect(await tasks(ws)).toHaveLength(3);
  });

  it('reports in a dry run what a playbook would have created, creating nothing', async () => {
    const ws = uniqueId('ws');
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-1', { changePct: -35 }) });
    const last = await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'umbrella', data: drop('ep-2', { changePct: -80 }) });
    await signal(ws, last.id);
    const usage = ((await api(ws).get('/playbooks')).json as any[]).find((p) => p.name === 'Usage drop');
    const saved = await api(ws).post(`/playbooks/${usage.id}/dry-run`, { days: 7 });
    expect(saved.status).toBe(200);
    expect(saved.json).toMatchObject({ evaluated: 2, matched: 2, wouldCreate: { tasks: 0, alerts: 0 } });
    expect(saved.json.entries.map((e: any) => e.outcome)).toEqual(['already-acted', 'already-acted']);
    const draft = await api(ws).post('/playbooks/dry-run', {
      days: 7,
      playbook: { name: 'Steep drops only', trigger: 'usage.dropped', conditions: { all: [{ field: 'event.changePct', op: 'lte', value: -50 }] },
        actions: [{ type: 'raiseAlert', severity: 'critical', title: 'Steep drop at {{account.name}}' }] },
    });
    expect(draft.json).toMatchObject({ evaluated: 2, matched: 1, wouldCreate: { tasks: 0, alerts: 1 } });
    expect(draft.json.entries[0]).toMatchObject({ accountId: 'umbrella', outcome: 'would-act', alert: { title: 'Steep drop at umbrella', severity: 'critical' } });
    expect(await alerts(ws)).toHaveLength(2);
  });

  it('refuses a dry run without a playbook object with a 400 naming it', async () => {
    for (const body of [{ days: 7, playbook: null }, { days: 7 }, { playbook: 'x' }]) {
      const r = await api(uniqueId('ws')).post('/playbooks/dry-run', body);
      expect(r.status).toBe(400);
      expect(JSON.stringify(r.json.message)).toMatch(/playbook/);
    }
  });

  it('dead-letters a malformed usage-drop event and still acts on the next one', async () => {
    const ws = uniqueId('ws');
    await producer.sendRaw(Topics.usageDropped.name, JSON.stringify({ ...buildEnvelope(Topics.usageDropped, 'test', { workspaceId: ws, accountId: 'acme', data: drop('ep-x') }), data: { changePct: 'a lot' } }), `${ws}:acme`);
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-y') });
    const dead = await watcher.waitFor(DLQ, (m) => m.value?.includes(ws) ?? false);
    expect(dead.headers['x-cairn-error']).toMatch(/data\.changePct/);
    const [task] = await waitFor('the task for the good event', async () => { const t = await tasks(ws); return t.length ? t : undefined; });
    expect(task.cause.summary).toBe(drop('ep-y').reason);
  });

  it('keeps one workspace from seeing or touching another workspace\'s tasks, alerts, channels and deliveries', async () => {
    const other = api(uniqueId('other'));
    for (const path of ['/tasks', '/alerts', '/inbox', '/channels', '/signals', `/deliveries?alertId=${alert1.id}`, '/accounts']) {
      const r = await other.get(path);
      expect([path, r.status, r.json]).toEqual([path, 200, []]);
    }
    expect((await other.get(`/tasks/${task1.id}`)).status).toBe(404);
    expect((await other.get(`/alerts/${alert1.id}`)).status).toBe(404);
    expect((await other.post(`/alerts/${alert1.id}/ack`)).status).toBe(404);
    expect((await other.patch(`/tasks/${task1.id}`, { status: 'done' })).status).toBe(404);
    const channelOfWs1 = ((await api(ws1).get('/channels')).json as any[])[0];
    expect((await other.delete(`/channels/${channelOfWs1.id}`)).status).toBe(404);
    expect((await apiClient(svc.url).get('/tasks')).status).toBe(401);
  });
});
