import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import { apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, uniqueId, waitFor, WebhookReceiver } from '@cairn/testing';
import { playbooksService } from '../src/service';
// Microsoft's Adaptive Cards SDK checks the card the receiver got (CommonJS bundle; the main entry is ES modules).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

/** A Teams channel added as one file behind the channel interface: created, masked, posted to, retried or given up as Teams answers. */
describe('playbooks: Microsoft Teams channel (incoming webhook / Workflows)', () => {
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let producer: TestProducer;
  const receivers: WebhookReceiver[] = [];

  beforeAll(async () => {
    ({ svc, producer } = rig = await startServiceUnderTest(playbooksService, { watch: [] }));
  });
  afterAll(async () => {
    await rig?.stop();
    for (const r of receivers) await r.stop();
  });

  const api = (ws: string) => apiClient(svc.url, svc.token(ws));
  const receiver = async () => { const r = await new WebhookReceiver().start(); receivers.push(r); return r; };
  // An incoming-webhook URL's shape: the tokens are path segments.
  const teamsPath = '/webhookb2/1f0e@7c2d/IncomingWebhook/9a8b7c/5d6e';

  async function championLeaves(ws: string, accountId: string) {
    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId, data: { name: 'Globex', csmOwner: 'sam@vendor.example', traits: {} } });
    await waitFor(`account ${accountId}`, async () => (await api(ws).get(`/accounts/${accountId}`)).json?.csmOwner);
    await producer.sendEvent(Topics.contactDeparted, {
      workspaceId: ws, accountId,
      data: { contactId: 'u-42', email: 'jo@globex.example', name: 'Jo Park', role: 'champion', rule: 'traits', evidence: { trait: 'status', value: 'left' },
        departedAt: '2025-03-09T10:00:00Z', reason: 'Jo Park (champion) was marked as having left Globex' },
    });
    const [alert] = await waitFor('the alert', async () => { const a = (await api(ws).get('/alerts')).json as any[]; return a.length ? a : undefined; });
    return alert;
  }
  const settled = (ws: string, alertId: string) => waitFor('a settled delivery', async () => {
    const [d] = (await api(ws).get(`/deliveries?alertId=${alertId}`)).json as any[];
    return d && (d.status === 'delivered' || d.status === 'failed') ? d : undefined;
  });

  it('posts the alert as one Adaptive Card in the documented message envelope, and masks the URL\'s tokens', async () => {
    const ws = uniqueId('ws');
    const teams = await receiver();
    const created = await api(ws).post('/channels', { type: 'teams', url: `${teams.url}${teamsPath}`, name: 'CS alerts' });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ type: 'teams', hasSecret: false });
    expect(created.json.url).toBe(`${teams.url}/webhookb2/***/***/***/***`);

    const alert = await championLeaves(ws, 'globex');
    const posted = await waitFor('the Teams message', () => teams.received[0]);
    expect(posted.method).toBe('POST');
    expect(posted.url).toBe(teamsPath);
    expect(posted.headers['content-type']).toBe('application/json');
    // Microsoft's format: type "message"; attachments of contentType application/vnd.microsoft.card.adaptive, contentUrl null, the card as content.
    expect(posted.json).toEqual({
      type: 'message',
      attachments: [{
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.2', body: expect.any(Array) },
      }],
    });
    const card = posted.json.attachments[0].content;
    const context = new AC.SerializationContext();
    const parsed = new AC.AdaptiveCard();
    parsed.parse(card, context);
    expect(Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message)).toEqual([]);
    expect(parsed.getItemCount()).toBe(card.body.length);
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'Key contact left Globex (champion)', color: 'Attention' });
    expect(card.body).toContainEqual({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'Account', value: 'Globex (globex)' }, { title: 'CSM', value: 'sam@vendor.example' }]) });
    expect(JSON.stringify(card.body)).toContain('assigned to sam@vendor.example');
    expect(await settled(ws, alert.id)).toMatchObject({ status: 'delivered', channelType: 'teams', attempts: 1, lastStatusCode: 200 });
  });

  it('retries when Teams throttles (429) and delivers on the next attempt', async () => {
    const ws = uniqueId('ws');
    const teams = await receiver();
    teams.respond = (_req, i) => (i === 0 ? 429 : 200);
    expect((await api(ws).post('/channels', { type: 'teams', url: `${teams.url}${teamsPath}` })).status).toBe(201);
    const alert = await championLeaves(ws, 'globex');
    const d = await settled(ws, alert.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(d.log.map((a: any) => a.statusCode)).toEqual([429, 200]);
    expect(teams.received[1].body).toBe(teams.received[0].body);
  });

  it('gives up at once when the webhook is gone (404): a retry cannot help', async () => {
    const ws = uniqueId('ws');
    const teams = await receiver();
    teams.respond = () => 404;
    expect((await api(ws).post('/channels', { type: 'teams', url: `${teams.url}${teamsPath}` })).status).toBe(201);
    const alert = await championLeaves(ws, 'globex');
    const d = await settled(ws, alert.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 404 });
    expect(teams.received).toHaveLength(1);
  });

  it('refuses an unknown kind and a Teams channel without a url, naming what is wrong', async () => {
    const ws = uniqueId('ws');
    const unknown = await api(ws).post('/channels', { type: 'carrier-pigeon', url: 'https://hooks.example.com/x' });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toEqual(["type: unknown channel kind 'carrier-pigeon'; one of webhook, slack, email, teams"]);
    const noUrl = await api(ws).post('/channels', { type: 'teams' });
    expect(noUrl.status).toBe(400);
    expect(noUrl.json.message).toEqual(['url must be an http(s) URL']);
    const withTo = await api(ws).post('/channels', { type: 'teams', url: 'https://hooks.example.com/x', to: 'owner' });
    expect(withTo.status).toBe(400);
    expect(withTo.json.message).toEqual(['to: only email channels have recipients; Teams channels take a url']);
    expect((await api(ws).get('/channels')).json).toEqual([]);
  });
});
