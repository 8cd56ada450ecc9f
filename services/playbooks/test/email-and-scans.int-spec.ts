import 'reflect-metadata';
import { Topics, UsageSummaryV1 } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, SmtpTestInbox, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, usageDroppedPayload, waitFor,
} from '@cairn/testing';
import { Client } from 'pg';
import { playbooksService } from '../src/service';
import { Clock } from '@cairn/runtime';

const DAY = 86_400_000;

/** A clock the test moves; the scheduled scan and new tasks read it for "now". */
class TestClock extends Clock {
  private offsetMs = 0;
  now(): Date { return new Date(Date.now() + this.offsetMs); }
  advanceDays(days: number): void { this.offsetMs += days * DAY; }
}

describe('playbooks: alert emails, overdue tasks and stalled onboardings', () => {
  const clock = new TestClock();
  const smtp = new SmtpTestInbox();
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;

  beforeAll(async () => {
    await smtp.start();
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(playbooksService, { clock,
      env: { SMTP_URL: smtp.url, PLAYBOOKS_EMAIL_FROM: 'alerts@vendor.example', PLAYBOOKS_SCAN_INTERVAL_MS: '200', PLAYBOOKS_ONBOARDING_STALL_DAYS: '14' },
      watch: [Topics.taskOverdue.name],
    }));
  });
  afterAll(async () => {
    await rig?.stop();
    await smtp.stop();
  });

  const api = (ws: string) => apiClient(svc.url, svc.token(ws));
  /** Straight to the service's schema, to set up what an earlier release left behind. */
  const sql = async (text: string, params: unknown[]) => {
    const c = new Client({ connectionString: svc.databaseUrl });
    await c.connect();
    try {
      await c.query('SET search_path TO playbooks');
      return (await c.query(text, params)).rows;
    } finally {
      await c.end();
    }
  };
  const tasks = async (ws: string, query = '') => (await api(ws).get(`/tasks${query}`)).json as any[];
  const mailsTo = (address: string) => smtp.messages.filter((m) => m.to.includes(address));
  const departed = (name: string, account: string) => ({
    contactId: `c-${name}`, email: `${name}@${account}.example`, name, role: 'champion' as const, rule: 'traits' as const,
    evidence: { trait: 'status', value: 'left' }, departedAt: new Date().toISOString(), reason: `${name} (champion) was marked as having left ${account}`,
  });
  async function knownAccount(ws: string, accountId: string, data: Record<string, unknown>) {
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId, data: { traits: {}, ...data } });
    await waitFor(`account ${accountId} in the read model`, async () => (await api(ws).get(`/accounts/${accountId}`)).status === 200);
  }

  it('emails an alert to the account\'s CSM owner and to a named recipient, with the reason', async () => {
    const ws = uniqueId('ws');
    const toOwner = await api(ws).post('/channels', { type: 'email', to: 'owner', name: 'CSM inbox' });
    expect(toOwner.status).toBe(201);
    expect(toOwner.json).toMatchObject({ type: 'email', to: 'owner', url: null, hasSecret: false });
    expect((await api(ws).post('/channels', { type: 'email', to: ['lead@vendor.example'], minSeverity: 'critical' })).status).toBe(201);
    await knownAccount(ws, 'globex', { name: 'Globex', csmOwner: 'sam@vendor.example' });

    await producer.sendEvent(Topics.contactDeparted, { workspaceId: ws, accountId: 'globex', data: departed('Jo', 'Globex') });
    const mail = await waitFor('the email to the owner', () => mailsTo('sam@vendor.example')[0]);
    expect(mail.from).toBe('alerts@vendor.example');
    expect(mail.headers.from).toBe('alerts@vendor.example');
    expect(mail.headers.subject).toBe('[Cairn] CRITICAL: Key contact left Globex (champion)');
    expect(mail.text).toContain('Why: Jo (champion) was marked as having left Globex');
    expect(mail.text).toContain('Task (high): Re-establish a champion at Globex');
    const lead = await waitFor('the email to the named recipient', () => mailsTo('lead@vendor.example')[0]);
    expect(lead.headers.subject).toBe(mail.headers.subject);

    const deliveries = await waitFor('both deliveries logged as delivered', async () => {
      const d = (await api(ws).get('/deliveries')).json as any[];
      return d.length === 2 && d.every((x) => x.status === 'delivered') ? d : undefined;
    });
    expect(deliveries.map((d) => [d.channelType, d.attempts, d.lastStatusCode])).toEqual([['email', 1, 250], ['email', 1, 250]]);
    expect(mail.headers['message-id']).toBe(`<${deliveries.find((d) => d.channelId === toOwner.json.id).id}@cairn.playbooks>`);
  });

  it('emails the owner of an account whose owner becomes known after the alert, retrying meanwhile', async () => {
    const ws = uniqueId('ws');
    await api(ws).post('/channels', { type: 'email', to: 'owner' });
    await producer.sendEvent(Topics.contactDeparted, { workspaceId: ws, accountId: 'initech', data: departed('Bill', 'Initech') });
    const [waiting] = await waitFor('a delivery waiting for the owner', async () => {
      const d = (await api(ws).get('/deliveries')).json as any[];
      return d[0]?.log.length ? d : undefined;
    });
    expect(waiting.log[0].error).toBe('the account has no CSM owner yet');
    await knownAccount(ws, 'initech', { name: 'Initech', csmOwner: 'kim@vendor.example' });
    const mail = await waitFor('the email to the new owner', () => mailsTo('kim@vendor.example')[0]);
    expect(mail.text).toContain('Bill (champion) was marked as having left Initech');
  });

  it('refuses an email channel without valid recipients or with a url, naming the field', async () => {
    const ws = uniqueId('ws');
    const bad = await api(ws).post('/channels', { type: 'email', to: ['lead@vendor.example', 'bob'] });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toEqual(['to[1]: "bob" is not an email address (nor "owner")']);
    const none = await api(ws).post('/channels', { type: 'email' });
    expect(none.status).toBe(400);
    expect(none.json.message[0]).toMatch(/^to: must be "owner"/);
    const url = await api(ws).post('/channels', { type: 'email', to: 'owner', url: 'https://hooks.example.com/x' });
    expect(url.status).toBe(400);
    expect(url.json.message).toEqual(['url: email channels send to "to", not to a URL']);
    const webhookTo = await api(ws).post('/channels', { type: 'webhook', url: 'https://hooks.example.com/x', to: 'owner' });
    expect(webhookTo.status).toBe(400);
    expect(webhookTo.json.message).toEqual(['to: only email channels have recipients; webhook and Slack channels take a url']);
  });

  it('publishes task-overdue once for an open task past its due date, and never for a finished one (injected clock)', async () => {
    const ws = uniqueId('ws');
    const drop = (episodeId: string) => usageDroppedPayload(episodeId, { reason: `Usage fell (${episodeId})` });
    await knownAccount(ws, 'acme', { name: 'Acme', csmOwner: 'dana@vendor.example' });
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'acme', data: drop('ep-1') });
    await producer.sendEvent(Topics.usageDropped, { workspaceId: ws, accountId: 'umbrella', data: drop('ep-2') });
    const created = await waitFor('two usage-drop tasks', async () => { const t = await tasks(ws); return t.length === 2 ? t : undefined; });
    const open = created.find((t) => t.accountId === 'acme');
    const finished = created.find((t) => t.accountId === 'umbrella');
    expect((await api(ws).patch(`/tasks/${finished.id}`, { status: 'done' })).status).toBe(200);
    expect(new Date(open.dueAt).getTime() - clock.now().getTime()).toBeGreaterThan(2.9 * DAY);

    const overdueOf = () => watcher.matching(Topics.taskOverdue.name, (m) => m.json?.workspaceId === ws);
    clock.advanceDays(2);
    expect(await holdsFor(800, () => overdueOf().length === 0)).toBe(true);
    clock.advanceDays(2);
    const event = await watcher.waitFor(Topics.taskOverdue.name, (m) => m.json?.workspaceId === ws);
    expect(event.json).toMatchObject({
      accountId: 'acme',
      data: { taskId: open.id, title: 'Usage dropped at Acme', assignee: 'dana@vendor.example', status: 'open', dueAt: open.dueAt, daysOverdue: 1,
        cause: { type: 'usage.dropped', summary: 'Usage fell (ep-1)' } },
    });
    expect(event.json.data.reason).toMatch(/^Task "Usage dropped at Acme" for acme \(assigned to dana@vendor.example, open\) was due /);
    clock.advanceDays(3);
    expect(await holdsFor(1000, () => overdueOf().length === 1)).toBe(true);
    expect((await tasks(ws, '?overdue=true')).map((t) => t.id)).toEqual([open.id]);
    expect((await tasks(ws, `?overdue=false`)).map((t) => t.id)).toEqual([finished.id]);
  });

  it('raises "Onboarding stalled" once for an account with no value event 14 days after its first event, and emails it (injected clock)', async () => {
    const ws = uniqueId('ws');
    // A workspace where no account ever reached a value event may have none configured: no stalls there.
    const untracked = uniqueId('ws');
    await api(ws).post('/channels', { type: 'email', to: 'owner' });
    await knownAccount(ws, 'slowco', { name: 'SlowCo', csmOwner: 'ravi@vendor.example' });
    await knownAccount(ws, 'quickco', { name: 'QuickCo', csmOwner: 'ravi@vendor.example' });
    const firstActivityAt = new Date(clock.now().getTime() - DAY).toISOString();
    const summary = (extra: Record<string, string>) => ({
      asOf: firstActivityAt.slice(0, 10), activeUsers7d: 2, activeUsers30d: 2, featuresUsed30d: 1, lastActivityAt: firstActivityAt, firstActivityAt, ...extra,
    }) as UsageSummaryV1;
    await producer.sendEvent(Topics.usageSummary, { workspaceId: ws, accountId: 'slowco', data: summary({}) });
    await producer.sendEvent(Topics.usageSummary, { workspaceId: ws, accountId: 'quickco', data: summary({ firstValueAt: clock.now().toISOString() }) });
    await producer.sendEvent(Topics.usageSummary, { workspaceId: untracked, accountId: 'someco', data: summary({}) });
    await waitFor('onboarding facts in the read model', async () =>
      (await api(ws).get('/accounts/quickco')).json?.usage?.firstValueAt && (await api(ws).get('/accounts/slowco')).json?.usage?.firstActivityAt
      && (await api(untracked).get('/accounts/someco')).json?.usage?.firstActivityAt);

    clock.advanceDays(10);
    expect(await holdsFor(800, async () => (await tasks(ws)).length === 0)).toBe(true);
    clock.advanceDays(5);
    const [task] = await waitFor('the onboarding task', async () => { const t = await tasks(ws); return t.length ? t : undefined; });
    expect(task).toMatchObject({ accountId: 'slowco', title: 'Onboarding stalled at SlowCo', assignee: 'ravi@vendor.example', priority: 'high',
      cause: { type: 'onboarding.stalled' } });
    expect(task.cause.summary).toMatch(/^No value event in the 14 days since the account's first activity on \d{4}-\d{2}-\d{2} \(16 days ago; last active /);
    const mail = await waitFor('the stalled-onboarding email', () => mailsTo('ravi@vendor.example').find((m) => m.headers.subject === '[Cairn] WARNING: Onboarding stalled at SlowCo'));
    expect(mail.text).toContain(task.cause.summary);
    const [signal] = (await api(ws).get('/signals?type=onboarding.stalled')).json as any[];
    expect(signal).toMatchObject({ accountId: 'slowco', outcomes: [expect.objectContaining({ playbook: 'Onboarding stalled', outcome: 'acted' })] });

    clock.advanceDays(5);
    expect(await holdsFor(1000, async () => (await tasks(ws)).length === 1)).toBe(true);
    expect((await api(ws).get('/signals?type=onboarding.stalled')).json).toHaveLength(1);
    expect((await api(ws).get('/accounts/slowco')).json.usage.onboardingStalledAt).toBeTruthy();
    expect(await tasks(untracked)).toEqual([]);
    expect((await api(untracked).get('/accounts/someco')).json.usage.onboardingStalledAt).toBeNull();
  });

  it('gives a workspace from before the onboarding default that default once, without restoring a default it deleted', async () => {
    const ws = uniqueId('ws');
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'acme', data: { traits: {} } });
    await waitFor('the workspace seeded', async () => (await sql(`SELECT count(*)::int AS n FROM playbook WHERE workspace_id = $1`, [ws]))[0].n === 5);
    // As an earlier release left it: the first four defaults, one of them deleted since.
    await sql(`DELETE FROM playbook WHERE workspace_id = $1 AND default_key IN ('onboarding-stalled', 'detractor')`, [ws]);
    await sql(`UPDATE workspace SET defaults_version = 1 WHERE workspace_id = $1`, [ws]);

    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'globex', data: { traits: {} } });
    await waitFor('the next event handled', async () => (await api(ws).get('/accounts/globex')).status === 200);
    const names = async () => ((await api(ws).get('/playbooks')).json as any[]).map((p) => p.name).sort();
    expect(await names()).toEqual(['Champion left', 'Onboarding stalled', 'Renewal at risk', 'Usage drop']);
    expect((await sql(`SELECT defaults_version FROM workspace WHERE workspace_id = $1`, [ws]))[0].defaults_version).toBe(2);
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'initech', data: { traits: {} } });
    await waitFor('another event handled', async () => (await api(ws).get('/accounts/initech')).status === 200);
    expect(await names()).toEqual(['Champion left', 'Onboarding stalled', 'Renewal at risk', 'Usage drop']);
  });
});
