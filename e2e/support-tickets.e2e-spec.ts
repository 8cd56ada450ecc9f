import { createHmac } from 'node:crypto';
import { holdsFor, uniqueId, waitFor } from '@cairn/testing';
import { zendeskTicketEvent } from '../services/relationships/test/fixtures/vendor-payloads';
import { Platform } from './platform';

const DAY = 86_400_000;

/**
 * A ticket spike through every service as a real process: signed Zendesk webhooks →
 * relationships (ticket on the mapped account) → support.ticket-changed → health (the ticket
 * volume measure lowers the score, with its explanation) → health.changed → playbooks (one task).
 */
describe('support ticket spike end to end', () => {
  const ws = uniqueId('e2e');
  const platform = new Platform();
  const secret = 'zd-signing-secret-' + uniqueId('s');
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');

  /** Sends a Zendesk ticket event signed as Zendesk signs it, now. */
  async function zendesk(event: ReturnType<typeof zendeskTicketEvent>) {
    const body = JSON.stringify(event);
    const timestamp = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const r = await fetch(`${platform.url('relationships')}/webhooks/zendesk/${ws}/zd`, {
      method: 'POST', body,
      headers: {
        'content-type': 'application/json', 'x-zendesk-webhook-signature-timestamp': timestamp,
        'x-zendesk-webhook-signature': createHmac('sha256', secret).update(timestamp + body).digest('base64'),
      },
    });
    expect(r.status).toBe(200);
    return r.json();
  }
  const healthOf = async () => (await platform.api('health', ws).get('/accounts/acme/health')).json;
  const tasksOf = async () => (await platform.api('playbooks', ws).get('/tasks?accountId=acme')).json as any[];

  beforeAll(async () => {
    await platform.start();
    expect((await platform.api('relationships', ws).post('/sources', { kind: 'zendesk', id: 'zd', name: 'Zendesk', signingSecret: secret })).status).toBe(201);
    expect((await platform.api('relationships', ws).put('/sources/zd/organizations/509974', { accountId: 'acme' })).status).toBe(200);
    expect((await platform.api('health', ws).post('/scorecards', {
      id: 'support', name: 'Support', measures: [
        { measure: 'ticketVolumeTrend', weight: 2 }, { measure: 'openTickets', weight: 1 }, { measure: 'escalatedOpenTickets', weight: 1 },
      ],
    })).status).toBe(201);
    expect((await platform.api('playbooks', ws).post('/playbooks', {
      name: 'Support spike', trigger: 'health.changed', cooldownHours: 0,
      conditions: { all: [{ field: 'event.current.band', op: 'eq', value: 'red' }, { field: 'event.cause.type', op: 'eq', value: 'support.ticket-changed' }] },
      actions: [{ type: 'createTask', title: 'Support is on fire at {{account.name}}', description: '{{event.summary}}', priority: 'high', dueInDays: 1, assignee: 'owner' }],
    })).status).toBe(201);
  });
  afterAll(async () => {
    await platform.stop();
  });

  it('lowers the score with the explanation and creates one task', async () => {
    // Baseline: one ticket a week for 8 weeks, each solved the next day (oldest first).
    for (let w = 7; w >= 0; w--) {
      await zendesk(zendeskTicketEvent({ eventId: `b${w}-open`, ticketId: `10${w}`, organizationId: '509974', time: at(10 + 7 * w) }));
      await zendesk(zendeskTicketEvent({ eventId: `b${w}-solved`, type: 'zen:event-type:ticket.status_changed', ticketId: `10${w}`, organizationId: '509974', status: 'SOLVED', createdAt: at(10 + 7 * w), time: at(9 + 7 * w) }));
    }
    const calm = await waitFor('the baseline scored', async () => {
      const h = await healthOf();
      return h?.computedAt && Date.parse(h.computedAt) === Date.parse(at(9)) ? h : undefined;
    }, { timeoutMs: 60_000 });
    expect(calm.band).toBe('green');

    // The spike: four tickets within a day, the last one urgent.
    for (let i = 0; i < 4; i++) {
      await zendesk(zendeskTicketEvent({ eventId: `s${i}`, ticketId: `20${i}`, organizationId: '509974', time: at(1 - i * 0.2), priority: i === 3 ? 'URGENT' : 'NORMAL' }));
    }
    const spiked = await waitFor('the spike scored', async () => {
      const h = await healthOf();
      return h?.computedAt && Date.parse(h.computedAt) === Date.parse(at(0.4)) ? h : undefined;
    }, { timeoutMs: 60_000 });
    expect(spiked.score).toBeLessThan(calm.score);
    expect(spiked.band).toBe('red');
    const trend = spiked.explanation.find((e: any) => e.measure === 'ticketVolumeTrend');
    expect(trend).toMatchObject({ raw: 300, points: 0 });
    expect(trend.detail).toMatch(/^4 tickets opened in the last 7 days vs 1 a week before \(\+300%\)/);

    const [task] = await waitFor('the task', async () => {
      const t = await tasksOf();
      return t.length ? t : undefined;
    }, { timeoutMs: 60_000 });
    expect(task).toMatchObject({ title: 'Support is on fire at acme', priority: 'high' });
    expect(task.description).toMatch(/zendesk ticket 203 opened \(urgent, escalated\)/);
    expect(await holdsFor(3000, async () => (await tasksOf()).length === 1)).toBe(true);
  });
});
