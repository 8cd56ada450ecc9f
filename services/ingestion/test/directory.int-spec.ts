import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { ingestionService } from '../src/service';
import { DetectionScanner } from '../src/usage/detection-scanner';

describe('ingestion: account directory and champion departure', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let writeKey: string;
  const api = () => apiClient(svc.url, svc.token(ws));
  const of = (accountId?: string) => (m: { json?: any }) => m.json?.workspaceId === ws && (accountId === undefined || m.json?.accountId === accountId);
  /**
   * Distinct departures (by envelope id). Every ingestion instance on the broker (other suites'
   * included) consumes cairn.usage.event.v1 and derives the same departure with the same
   * deterministic id; consumers dedupe on that id, so "once" means one id.
   */
  const departures = (accountId: string) =>
    new Set(watcher.matching(Topics.contactDeparted.name, of(accountId)).map((m) => m.json.id));

  let n = 0;
  async function call(type: string, body: Record<string, unknown>) {
    const res = await apiClient(svc.url).post(`/v1/${type}`, { messageId: `${type}-${n++}`, ...body },
      { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` });
    expect(res).toMatchObject({ status: 200, json: { success: true } });
  }

  /** Waits until the directory shows the person with that role in the account. */
  async function member(accountId: string, contactId: string, role: string) {
    await waitFor(`${contactId} as ${role} in ${accountId}`, async () => {
      const r = await api().get(`/contacts?accountId=${accountId}`);
      return r.json?.find?.((c: any) => c.contactId === contactId && c.role === role);
    });
  }

  beforeAll(async () => {
    ({ svc, watcher } = rig = await startServiceUnderTest(ingestionService, { env: { INGESTION_SCAN_INTERVAL_MS: '0' }, watch: [Topics.accountUpserted.name, Topics.contactUpserted.name, Topics.contactDeparted.name] }));
    writeKey = (await api().post('/write-keys', { name: 'crm sync' })).json.writeKey;
  });
  afterAll(async () => {
    await rig?.stop();
  });

  it('creates an account from a group call and publishes account-upserted with its traits and the time of the call', async () => {
    const timestamp = new Date(Date.now() - 3_600_000).toISOString();
    await call('group', {
      userId: 'dana', groupId: 'acme', timestamp,
      traits: { name: 'Acme Corp', website: 'https://www.acme.com', plan: 'enterprise', arr: 48000, seats: 40, csm_owner: 'kim@vendor.example' },
    });
    const e = await watcher.waitFor(Topics.accountUpserted.name, of('acme'));
    expect(e.json.data).toEqual({
      name: 'Acme Corp', domain: 'acme.com', plan: 'enterprise', arr: 48000, seats: 40, csmOwner: 'kim@vendor.example',
      traits: expect.objectContaining({ name: 'Acme Corp', csm_owner: 'kim@vendor.example' }),
      // When it happened (a replayed history keeps its dates), apart from when it was processed.
      observedAt: timestamp,
    });
    const account = await waitFor('acme in the directory', async () => {
      const r = await api().get('/accounts/acme');
      return r.json?.contacts?.length ? r : undefined;
    });
    expect(account.json).toMatchObject({ id: 'acme', workspaceId: ws, csmOwner: 'kim@vendor.example', arr: 48000, contacts: [{ contactId: 'dana' }] });
  });

  it('creates a contact from identify and publishes contact-upserted for each of their accounts', async () => {
    await call('identify', { userId: 'dana', traits: { email: 'Dana@acme.com', firstName: 'Dana', lastName: 'Reyes', title: 'VP Ops', role: 'champion' } });
    const e = await watcher.waitFor(Topics.contactUpserted.name, (m) => of('acme')(m) && m.json.data.role === 'champion');
    expect(e.json.data).toMatchObject({ contactId: 'dana', accountIds: ['acme'], email: 'dana@acme.com', name: 'Dana Reyes', title: 'VP Ops', role: 'champion' });
    const contact = await waitFor('dana as champion', async () => {
      const r = await api().get('/contacts/dana');
      return r.json?.memberships?.[0]?.role === 'champion' ? r : undefined;
    });
    expect(contact.json).toMatchObject({ id: 'dana', email: 'dana@acme.com', memberships: [{ accountId: 'acme', role: 'champion', departedAt: null }] });
  });

  it('processes a call once when the same messageId arrives twice', async () => {
    await call('group', { groupId: 'acme', traits: { plan: 'growth' }, messageId: 'dup-group' });
    await call('group', { groupId: 'acme', traits: { plan: 'starter' }, messageId: 'dup-group' });
    await call('group', { groupId: 'acme', traits: { lifecycleStage: 'customer' } });
    await waitFor('the later group call', async () => (await api().get('/accounts/acme')).json.lifecycleStage === 'customer');
    expect((await api().get('/accounts/acme')).json.plan).toBe('growth');
    expect(watcher.matching(Topics.accountUpserted.name, (m) => of('acme')(m) && m.json.data.plan === 'starter')).toEqual([]);
  });

  it('reports a champion gone once when identify traits say they left', async () => {
    await call('identify', { userId: 'dana', traits: { status: 'left' } });
    const e = await watcher.waitFor(Topics.contactDeparted.name, of('acme'));
    expect(e.json.data).toEqual({
      contactId: 'dana', email: 'dana@acme.com', name: 'Dana Reyes', role: 'champion', rule: 'traits',
      evidence: { trait: 'status', value: 'left' }, departedAt: expect.any(String),
      reason: "Dana Reyes <dana@acme.com> (champion at Acme Corp) is gone: identify traits say status = 'left'",
    });
    await call('identify', { userId: 'dana', traits: { status: 'left', deactivated: true } });
    await call('identify', { userId: 'marker-1', traits: { email: 'marker@acme.com' } });
    await waitFor('the marker contact', async () => (await api().get('/contacts/marker-1')).status === 200);
    expect(await holdsFor(1000, () => departures('acme').size === 1)).toBe(true);
  });

  it('reports a decision maker gone once when a group call removes them from the account', async () => {
    await call('group', { userId: 'lee', groupId: 'globex', traits: { name: 'Globex' } });
    await call('identify', { userId: 'lee', traits: { email: 'lee@globex.com', role: 'decision maker' } });
    await member('globex', 'lee', 'decision_maker');
    await call('group', { userId: 'lee', groupId: 'globex', traits: { removed: true } });
    const e = await watcher.waitFor(Topics.contactDeparted.name, of('globex'));
    expect(e.json.data).toMatchObject({ contactId: 'lee', role: 'decision_maker', rule: 'removed', evidence: { removedBy: 'group-call' } });
    expect(e.json.data.reason).toBe('lee@globex.com (decision maker at Globex) was removed from the account (group call)');
    await call('group', { userId: 'lee', groupId: 'globex', traits: { action: 'remove' } });
    expect(await holdsFor(1000, () => departures('globex').size === 1)).toBe(true);
    expect((await api().get('/accounts/globex')).json.name).toBe('Globex');
  });

  it('reports a champion gone once when a CSM removes them from the account through the API', async () => {
    await call('group', { userId: 'max', groupId: 'initech', traits: { name: 'Initech' } });
    await waitFor('max in initech', async () => (await api().get('/contacts/max')).status === 200);
    const role = await api().put('/contacts/max/role', { role: 'champion', accountId: 'initech' });
    expect(role.status).toBe(200);
    expect(role.json.memberships).toEqual([expect.objectContaining({ accountId: 'initech', role: 'champion' })]);
    await watcher.waitFor(Topics.contactUpserted.name, (m) => of('initech')(m) && m.json.data.role === 'champion');

    const removed = await api().delete('/accounts/initech/contacts/max');
    expect(removed.json).toEqual({ accountId: 'initech', contactId: 'max', removed: true, departureSignalled: true });
    const e = await watcher.waitFor(Topics.contactDeparted.name, of('initech'));
    expect(e.json.data).toMatchObject({ contactId: 'max', role: 'champion', rule: 'removed', evidence: { removedBy: 'api' } });
    expect((await api().delete('/accounts/initech/contacts/max')).json.departureSignalled).toBe(false);
    expect(await holdsFor(800, () => departures('initech').size === 1)).toBe(true);
  });

  it('reports a champion gone when their email moves away from the account\'s domain', async () => {
    await call('group', { userId: 'gav', groupId: 'hooli', traits: { name: 'Hooli', domain: 'hooli.com' } });
    await call('identify', { userId: 'gav', traits: { email: 'gav@hooli.com', role: 'champion' } });
    await member('hooli', 'gav', 'champion');
    await call('identify', { userId: 'gav', traits: { email: 'gav@piedpiper.com' } });
    const e = await watcher.waitFor(Topics.contactDeparted.name, of('hooli'));
    expect(e.json.data).toMatchObject({
      contactId: 'gav', rule: 'email-domain', evidence: { previousEmail: 'gav@hooli.com', email: 'gav@piedpiper.com', accountDomain: 'hooli.com' },
    });
  });

  it('reports a champion gone after the workspace\'s inactivity period, found by the scheduled scan', async () => {
    expect((await api().put('/settings/detection', { championInactiveDays: 14 })).json).toMatchObject({ championInactiveDays: 14, windowDays: 7, customized: true });
    await call('group', { userId: 'al', groupId: 'umbrella', traits: { name: 'Umbrella' } });
    await call('identify', { userId: 'al', traits: { role: 'champion', email: 'al@umbrella.example' } });
    await call('track', { userId: 'al', event: 'Logged In', context: { groupId: 'umbrella' } });
    await waitFor('al\'s activity', async () => (await api().get('/contacts/al')).json?.activity?.events === 1);
    await member('umbrella', 'al', 'champion');
    const scanner = svc.app.get(DetectionScanner);
    expect(await scanner.scan(new Date(Date.now() + 10 * 86_400_000))).toMatchObject({ inactiveDepartures: 0 });
    expect(await scanner.scan(new Date(Date.now() + 15 * 86_400_000))).toMatchObject({ inactiveDepartures: 1 });
    const e = await watcher.waitFor(Topics.contactDeparted.name, of('umbrella'));
    expect(e.json.data).toMatchObject({ contactId: 'al', rule: 'inactive', evidence: { thresholdDays: 14, inactiveDays: 15 } });
    expect(await scanner.scan(new Date(Date.now() + 20 * 86_400_000))).toMatchObject({ inactiveDepartures: 0 });
  });

  it('lets a CSM set the account owner, publishing account-upserted', async () => {
    const res = await api().patch('/accounts/acme', { csmOwner: 'lee@vendor.example' });
    expect(res).toMatchObject({ status: 200, json: { id: 'acme', csmOwner: 'lee@vendor.example' } });
    const e = await watcher.waitFor(Topics.accountUpserted.name, (m) => of('acme')(m) && m.json.data.csmOwner === 'lee@vendor.example');
    expect(e.json.data).toMatchObject({ name: 'Acme Corp', domain: 'acme.com' });
  });

  it('refuses bad management input naming the field', async () => {
    const role = await api().put('/contacts/dana/role', { role: 'ceo', accountId: 'acme' });
    expect(role.status).toBe(400);
    expect(JSON.stringify(role.json.message)).toMatch(/role must be one of the following values/);
    expect((await api().put('/contacts/nobody/role', { role: 'admin', accountId: 'acme' })).status).toBe(404);
    const settings = await api().put('/settings/detection', { thresholdPct: 0 });
    expect(JSON.stringify(settings.json.message)).toMatch(/thresholdPct must not be less than 1/);
    expect((await api().patch('/accounts/acme', { domain: 'not a domain' })).status).toBe(400);
  });

  it('keeps one workspace from seeing another workspace\'s accounts and contacts', async () => {
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/accounts')).json).toEqual([]);
    expect((await other.get('/contacts')).json).toEqual([]);
    expect((await other.get('/accounts/acme')).status).toBe(404);
    expect((await other.get('/contacts/dana')).status).toBe(404);
    expect((await other.patch('/accounts/acme', { csmOwner: 'x@y.z' })).status).toBe(404);
    expect((await other.delete('/accounts/acme/contacts/dana')).status).toBe(404);
    expect((await api().get('/accounts')).json.map((a: any) => a.id)).toEqual(['acme', 'globex', 'hooli', 'initech', 'umbrella']);
  });
});
