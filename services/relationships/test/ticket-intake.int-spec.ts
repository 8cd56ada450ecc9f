import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { Clock } from '@cairn/runtime';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor } from '@cairn/testing';
import { createHmac } from 'node:crypto';
import { Client } from 'pg';
import { relationshipsService } from '../src/service';
import { intercomConversationNotification, zendeskTicketEvent } from './fixtures/vendor-payloads';

class TestClock extends Clock {
  at = new Date('2026-11-30T12:00:00Z');
  now() { return new Date(this.at); }
}

/** Signs as Zendesk does: base64(HMAC-SHA256(timestamp + body)) with the webhook's signing secret. */
function zendeskHeaders(secret: string, body: string, timestamp: string) {
  return {
    'content-type': 'application/json',
    'x-zendesk-webhook-id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
    'x-zendesk-webhook-signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
    'x-zendesk-webhook-signature-timestamp': timestamp,
  };
}

/** Signs as Intercom does: X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body> with the app's client secret. */
function intercomHeaders(secret: string, body: string) {
  return { 'content-type': 'application/json', 'x-hub-signature': `sha1=${createHmac('sha1', secret).update(body).digest('hex')}` };
}

describe('relationships: ticket intake from Zendesk, Intercom and the ticket API', () => {
  const ws = uniqueId('ws');
  const clock = new TestClock();
  const zendeskSecret = 'zd-signing-' + uniqueId('s');
  const intercomSecret = 'ic-client-' + uniqueId('s');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let db: Client;
  const api = () => apiClient(svc.url, svc.token(ws));
  const ticketsOf = async (externalId: string) =>
    (await db.query(`SELECT account_id, status FROM relationships.ticket WHERE workspace_id = $1 AND external_id = $2`, [ws, externalId])).rows;
  const changesOf = (externalId: string) =>
    watcher.matching(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === externalId);

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(relationshipsService, { clock, watch: [Topics.ticketChanged.name] }));
    db = new Client({ connectionString: svc.databaseUrl });
    await db.connect();
    for (const [kind, id, signingSecret] of [['zendesk', 'zd', zendeskSecret], ['intercom', 'ic', intercomSecret], ['api', 'jsm', undefined]]) {
      const res = await api().post('/sources', { kind, id, name: `${kind} of ${ws}`, signingSecret });
      expect(res.status).toBe(201);
      expect(JSON.stringify(res.json)).not.toContain(String(signingSecret));
    }
    await api().put('/sources/zd/organizations/509974', { accountId: 'acme' });
    // The directory: a contact of globex (for Intercom's requester email), initech's domain.
    await producer.sendEvent(Topics.contactUpserted, {
      workspaceId: ws, accountId: 'globex', time: '2026-11-01T00:00:00Z',
      data: { contactId: 'u-ada', accountIds: ['globex'], email: 'ada@globex.example', traits: {} },
    });
    await producer.sendEvent(Topics.accountUpserted, {
      workspaceId: ws, accountId: 'initech', time: '2026-11-01T00:00:00Z', data: { name: 'Initech', domain: 'initech.example', traits: {} },
    });
    await waitFor('the directory read model', async () => {
      const r = await db.query(`SELECT (SELECT count(*) FROM relationships.contact WHERE workspace_id = $1)::int + (SELECT count(*) FROM relationships.account WHERE workspace_id = $1)::int AS n`, [ws]);
      return r.rows[0].n === 2 || undefined;
    });
  });
  afterAll(async () => {
    await db?.end();
    await rig?.stop();
  });

  describe('Zendesk', () => {
    const url = () => `${svc.url}/webhooks/zendesk/${ws}/zd`;
    const post = (body: string, headers: Record<string, string>) => fetch(url(), { method: 'POST', body, headers });

    it('turns a validly signed ticket event into a ticket on the mapped account and publishes ticket-changed', async () => {
      const body = JSON.stringify(zendeskTicketEvent({ eventId: 'zd-evt-1', ticketId: '35436', organizationId: '509974', time: '2026-11-30T11:59:00Z', priority: 'URGENT' }));
      const res = await post(body, zendeskHeaders(zendeskSecret, body, '2026-11-30T11:59:30Z'));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ stored: true, ticket: { accountId: 'acme', status: 'open', priority: 'urgent', escalated: true } });
      const event = await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === '35436');
      expect(event.json).toMatchObject({ accountId: 'acme', data: { source: 'zendesk', change: 'opened', status: 'open', priority: 'urgent', escalated: true, tags: ['export'] } });
    });

    it('refuses a bad signature and a stale one with 401 and stores nothing', async () => {
      const body = JSON.stringify(zendeskTicketEvent({ eventId: 'zd-evt-bad', ticketId: '40001', organizationId: '509974', time: '2026-11-30T11:59:00Z' }));
      const forged = await post(body, zendeskHeaders('not-the-secret', body, '2026-11-30T11:59:30Z'));
      expect(forged.status).toBe(401);
      expect((await forged.json()).message).toBe('X-Zendesk-Webhook-Signature does not match the body');
      const tampered = await post(body.replace('40001', '40002'), zendeskHeaders(zendeskSecret, body, '2026-11-30T11:59:30Z'));
      expect(tampered.status).toBe(401);
      const stale = await post(body, zendeskHeaders(zendeskSecret, body, '2026-11-30T11:50:00Z'));
      expect(stale.status).toBe(401);
      expect((await stale.json()).message).toMatch(/outside the 300s replay window/);
      expect(await ticketsOf('40001')).toEqual([]);
      expect(await ticketsOf('40002')).toEqual([]);
    });

    it('stores a replayed event once and publishes it once', async () => {
      const body = JSON.stringify(zendeskTicketEvent({ eventId: 'zd-evt-2', ticketId: '35500', organizationId: '509974', time: '2026-11-30T11:58:00Z' }));
      const first = await post(body, zendeskHeaders(zendeskSecret, body, '2026-11-30T11:59:00Z'));
      const again = await post(body, zendeskHeaders(zendeskSecret, body, '2026-11-30T11:59:40Z'));
      expect(first.status).toBe(200);
      expect(again.status).toBe(200);
      expect(await again.json()).toEqual({ stored: false, duplicate: true });
      expect(await ticketsOf('35500')).toHaveLength(1);
      await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === '35500');
      await new Promise((r) => setTimeout(r, 1000));
      expect(changesOf('35500')).toHaveLength(1);
    });

    it('publishes solved with the resolution time when the status changes to solved', async () => {
      const body = JSON.stringify(zendeskTicketEvent({
        eventId: 'zd-evt-3', type: 'zen:event-type:ticket.status_changed', ticketId: '35436', organizationId: '509974', status: 'SOLVED',
        createdAt: '2026-11-30T11:59:00Z', time: '2026-11-30T12:00:00Z', event: { current: 'SOLVED', previous: 'OPEN' },
      }));
      expect((await post(body, zendeskHeaders(zendeskSecret, body, '2026-11-30T12:00:00Z'))).status).toBe(200);
      const solved = await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === '35436' && m.json?.data.change === 'solved');
      expect(solved.json.data).toMatchObject({ status: 'solved', resolutionMinutes: 1, solvedAt: '2026-11-30T12:00:00.000Z' });
    });
  });

  describe('Intercom', () => {
    const url = () => `${svc.url}/webhooks/intercom/${ws}/ic`;
    const post = (body: string, headers: Record<string, string>) => fetch(url(), { method: 'POST', body, headers });
    const nowUnix = () => Math.floor(clock.now().getTime() / 1000);

    it('places a conversation on the account of its requester\'s contact, with rating and first reply', async () => {
      const t = nowUnix();
      const body = JSON.stringify(intercomConversationNotification({
        notificationId: 'notif_a1', topic: 'conversation.admin.closed', conversationId: '1911149811', email: 'Ada@globex.example',
        state: 'closed', createdAt: t - 7200, updatedAt: t - 60, sentAt: t - 30, firstAdminReplyAt: t - 6600, closedAt: t - 60, rating: 1,
      }));
      const res = await post(body, intercomHeaders(intercomSecret, body));
      expect(res.status).toBe(200);
      const event = await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === '1911149811');
      expect(event.json).toMatchObject({
        accountId: 'globex',
        data: { source: 'intercom', change: 'solved', status: 'closed', firstResponseMinutes: 10, resolutionMinutes: 119, satisfaction: 'bad', satisfactionScore: 1 },
      });
    });

    it('places a conversation by the requester\'s email domain when no contact has the email', async () => {
      const t = nowUnix();
      const body = JSON.stringify(intercomConversationNotification({
        notificationId: 'notif_b1', topic: 'conversation.user.created', conversationId: '2000000001', email: 'peter@initech.example',
        createdAt: t - 100, updatedAt: t - 100, sentAt: t - 90,
      }));
      expect((await post(body, intercomHeaders(intercomSecret, body))).status).toBe(200);
      expect(await ticketsOf('2000000001')).toEqual([{ account_id: 'initech', status: 'open' }]);
    });

    it('refuses a bad signature and a stale notification with 401 and stores nothing; a replay is stored once', async () => {
      const t = nowUnix();
      const fresh = JSON.stringify(intercomConversationNotification({
        notificationId: 'notif_c1', topic: 'conversation.user.created', conversationId: '2000000002', email: 'ada@globex.example',
        createdAt: t - 100, updatedAt: t - 100, sentAt: t - 90,
      }));
      const bad = await post(fresh, intercomHeaders('another-apps-secret', fresh));
      expect(bad.status).toBe(401);
      expect((await bad.json()).message).toBe('X-Hub-Signature does not match the body');
      const old = JSON.stringify(intercomConversationNotification({
        notificationId: 'notif_c2', topic: 'conversation.user.created', conversationId: '2000000003', email: 'ada@globex.example',
        createdAt: t - 4000, updatedAt: t - 4000, sentAt: t - 3600,
      }));
      const stale = await post(old, intercomHeaders(intercomSecret, old));
      expect(stale.status).toBe(401);
      expect(await ticketsOf('2000000002')).toEqual([]);
      expect(await ticketsOf('2000000003')).toEqual([]);
      expect((await post(fresh, intercomHeaders(intercomSecret, fresh))).status).toBe(200);
      const replay = await post(fresh, intercomHeaders(intercomSecret, fresh));
      expect(await replay.json()).toEqual({ stored: false, duplicate: true });
      expect(await ticketsOf('2000000002')).toHaveLength(1);
    });

    it('answers Intercom\'s ping without storing anything', async () => {
      const body = JSON.stringify({ type: 'notification_event', app_id: 'ucjqhs2d', data: { type: 'notification_event_data', item: { type: 'ping', message: 'something' } }, id: 'notif_ping', topic: 'ping', created_at: nowUnix() });
      const res = await post(body, intercomHeaders(intercomSecret, body));
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ stored: false });
    });
  });

  describe('the ticket API', () => {
    const ticket = (eventId: string, externalId: string, extra: Record<string, unknown> = {}) => ({
      sourceId: 'jsm', eventId, externalId, status: 'open', priority: 'high', subject: 'SSO broken', tags: ['sso'],
      organizationId: 'JSM-ORG-7', openedAt: '2026-11-30T10:00:00Z', updatedAt: '2026-11-30T10:00:00Z', ...extra,
    });

    it('needs an API token', async () => {
      expect((await apiClient(svc.url).post('/tickets', ticket('x', 'x'))).status).toBe(401);
      expect((await apiClient(svc.url, 'cairn_eyJ3cyI6IngifQ.bad').post('/tickets', ticket('x', 'x'))).status).toBe(401);
      expect(await ticketsOf('x')).toEqual([]);
    });

    it('rejects a bad ticket naming the field', async () => {
      const res = await api().post('/tickets', ticket('bad', 'bad', { status: 'resolved-ish', openedAt: 'yesterday' }));
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.json.message)).toMatch(/status must be one of/);
      expect(JSON.stringify(res.json.message)).toMatch(/openedAt must be a valid ISO 8601/);
    });

    it('keeps an unmapped ticket, lists it, and counts it once its organisation is mapped; a replay is stored once', async () => {
      const first = await api().post('/tickets', ticket('jsm-1', 'SUP-1'));
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ stored: true, ticket: { accountId: null } });
      expect((await api().post('/tickets', ticket('jsm-1', 'SUP-1'))).json).toEqual({ stored: false, duplicate: true });
      const unmapped = await api().get('/tickets/unmapped');
      expect(unmapped.json.map((t: { externalId: string }) => t.externalId)).toContain('SUP-1');
      expect(changesOf('SUP-1')).toHaveLength(0);

      const mapped = await api().put('/sources/jsm/organizations/JSM-ORG-7', { accountId: 'hooli' });
      expect(mapped.json).toMatchObject({ accountId: 'hooli', ticketsMapped: 1 });
      const event = await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === 'SUP-1');
      expect(event.json).toMatchObject({ accountId: 'hooli', data: { source: 'api', change: 'opened', status: 'open', priority: 'high' } });
      expect((await api().get('/tickets/unmapped')).json.map((t: { externalId: string }) => t.externalId)).not.toContain('SUP-1');
      expect((await api().get('/tickets?accountId=hooli')).json).toHaveLength(1);
    });

    it('places an unmapped ticket when the directory learns its requester', async () => {
      await api().post('/tickets', ticket('jsm-2', 'SUP-2', { organizationId: undefined, requesterEmail: 'milton@umbrella.example' }));
      expect(await ticketsOf('SUP-2')).toEqual([{ account_id: null, status: 'open' }]);
      await producer.sendEvent(Topics.contactUpserted, {
        workspaceId: ws, accountId: 'umbrella', time: '2026-11-30T11:00:00Z',
        data: { contactId: 'u-milton', accountIds: ['umbrella'], email: 'milton@umbrella.example', traits: {} },
      });
      const event = await watcher.waitFor(Topics.ticketChanged.name, (m) => m.json?.workspaceId === ws && m.json?.data.externalId === 'SUP-2');
      expect(event.json.accountId).toBe('umbrella');
    });

    it('keeps one workspace from seeing another\'s tickets and sources', async () => {
      const other = apiClient(svc.url, svc.token(uniqueId('other')));
      expect((await other.get('/tickets')).json).toEqual([]);
      expect((await other.get('/sources')).json).toEqual([]);
      expect((await other.post('/tickets', ticket('o-1', 'O-1'))).status).toBe(404);
    });
  });

  it('never shows a signing secret', async () => {
    const res = await api().get('/sources');
    expect(res.json.map((s: { id: string; hasSecret: boolean }) => [s.id, s.hasSecret])).toEqual([['zd', true], ['ic', true], ['jsm', false]]);
    expect(res.text).not.toContain(zendeskSecret);
    expect(res.text).not.toContain(intercomSecret);
    const sealed = await db.query(`SELECT secret_sealed FROM relationships.ticket_source WHERE workspace_id = $1 AND id = 'zd'`, [ws]);
    expect(sealed.rows[0].secret_sealed).toMatch(/^v1:/);
    expect(sealed.rows[0].secret_sealed).not.toContain(zendeskSecret);
  });
});
