import { DEFAULT_PLAYBOOKS } from './defaults';
import { dedupeKey, evaluatePlaybook, inCooldown, Playbook } from './evaluation';
import { simulatePlaybook } from './dry-run';
import { parsePlaybookDefinition } from './playbook-definition';
import { TRIGGERS, TriggerEvent } from './triggers';

function playbook(key: string, id = `pb-${key}`): Playbook {
  const r = parsePlaybookDefinition(DEFAULT_PLAYBOOKS.find((d) => d.key === key)!.definition);
  if (!r.ok) throw new Error(r.problems.join('; '));
  return { ...r.definition, id, version: 1 };
}

const drop = (over: Partial<TriggerEvent> = {}, data: Record<string, unknown> = {}): TriggerEvent => ({
  id: '11111111-1111-4111-8111-111111111111', type: 'usage.dropped', time: '2025-03-10T12:00:00.000Z', workspaceId: 'ws', accountId: 'acme',
  data: { changePct: -40, thresholdPct: 30, kind: 'drop', episodeId: 'ep-1', baselineDailyAvg: 100, currentDailyAvg: 60,
    reason: 'Usage fell 40% (60/day vs 100/day baseline)', ...data },
  ...over,
});
const acme = { id: 'acme', name: 'Acme Corp', csmOwner: 'dana@vendor.example', band: 'yellow' };

describe('evaluating a playbook against an event', () => {
  it('plans a task for the CSM owner with the event\'s reason, and a warning alert', () => {
    const d = evaluatePlaybook(playbook('usage-drop'), drop(), acme)!;
    expect(d.matched).toBe(true);
    expect(d.task).toMatchObject({ title: 'Usage dropped at Acme Corp', priority: 'normal', assignee: 'dana@vendor.example', assigneeRule: 'owner', dueInDays: 3 });
    expect(d.task!.description).toContain('Usage fell 40% (60/day vs 100/day baseline)');
    expect(d.alert).toEqual({ severity: 'warning', title: 'Usage drop at Acme Corp', recipient: 'dana@vendor.example', recipientRule: 'owner' });
    expect(d.cause).toEqual({ eventId: '11111111-1111-4111-8111-111111111111', type: 'usage.dropped', summary: 'Usage fell 40% (60/day vs 100/day baseline)' });
  });

  it('escalates the usage-drop task to high priority for a steep drop', () => {
    expect(evaluatePlaybook(playbook('usage-drop'), drop({}, { changePct: -70 }), acme)!.task!.priority).toBe('high');
  });

  it('leaves the task unassigned while the account has no CSM owner, and names the account by id', () => {
    const d = evaluatePlaybook(playbook('usage-drop'), drop(), { id: 'acme' })!;
    expect(d.task).toMatchObject({ assignee: null, title: 'Usage dropped at acme' });
  });

  it('keys the usage-drop cause on the episode, so a second event of one episode is the same cause', () => {
    const pb = playbook('usage-drop');
    const first = evaluatePlaybook(pb, drop(), acme)!;
    const again = evaluatePlaybook(pb, drop({ id: '22222222-2222-4222-8222-222222222222' }), acme)!;
    const other = evaluatePlaybook(pb, drop({}, { episodeId: 'ep-2' }), acme)!;
    expect(first.dedupeKey).toBe(dedupeKey('pb-usage-drop', 'usage-drop:acme:ep-1'));
    expect(again.dedupeKey).toBe(first.dedupeKey);
    expect(other.dedupeKey).not.toBe(first.dedupeKey);
  });

  it('keys a departure on account and contact, and a renewal on contract and end date', () => {
    const departed: TriggerEvent = { ...drop(), type: 'directory.contact-departed', data: { contactId: 'c-9', role: 'champion', rule: 'traits', evidence: {}, departedAt: '2025-03-10T00:00:00Z', reason: 'Jo left' } };
    expect(TRIGGERS['directory.contact-departed'].causeKey(departed)).toBe('contact-departed:acme:c-9');
    const renewal: TriggerEvent = { ...drop(), type: 'renewal.upcoming', data: { contractId: 'k1', endDate: '2025-06-30', horizonDays: 90, daysToRenewal: 88, arr: 1000, currency: 'USD' } };
    expect(TRIGGERS['renewal.upcoming'].causeKey(renewal)).toBe('renewal:k1:2025-06-30');
  });

  it('raises a high-priority task and a critical alert when a champion leaves, not when an end user does', () => {
    const pb = playbook('champion-left');
    const event = (role: string): TriggerEvent => ({ ...drop(), type: 'directory.contact-departed', data: { contactId: 'c-9', role, rule: 'traits', evidence: {}, departedAt: '2025-03-10T00:00:00Z', reason: 'Jo (champion) left Acme' } });
    const d = evaluatePlaybook(pb, event('champion'), acme)!;
    expect(d.task).toMatchObject({ priority: 'high', assignee: 'dana@vendor.example' });
    expect(d.alert).toMatchObject({ severity: 'critical', title: 'Key contact left Acme Corp (champion)' });
    expect(evaluatePlaybook(pb, event('end_user'), acme)!.matched).toBe(false);
  });

  it('flags a renewal at risk from the renewal\'s band or the account\'s own band', () => {
    const pb = playbook('renewal-at-risk');
    const event = (healthBand?: string): TriggerEvent => ({ ...drop(), type: 'renewal.upcoming', data: { contractId: 'k1', endDate: '2025-06-30', horizonDays: 90, daysToRenewal: 88, arr: 1000, currency: 'USD', ...(healthBand ? { healthBand } : {}) } });
    expect(evaluatePlaybook(pb, event('green'), { id: 'acme', band: 'green' })!.matched).toBe(false);
    expect(evaluatePlaybook(pb, event('green'), { id: 'acme', band: 'yellow' })!.matched).toBe(true);
    const red = evaluatePlaybook(pb, event('red'), { id: 'acme' })!;
    expect(red.task!.priority).toBe('urgent');
    expect(red.alert).toMatchObject({ severity: 'critical', title: 'Renewal at risk: acme in 88 days' });
  });

  it('ignores an event of another type', () => {
    expect(evaluatePlaybook(playbook('detractor'), drop(), acme)).toBeUndefined();
  });

  it('computes days to renewal from the event time', () => {
    const pb: Playbook = { ...playbook('usage-drop'), conditions: { all: [{ field: 'account.daysToRenewal', op: 'lte', value: 90 }] } };
    expect(evaluatePlaybook(pb, drop(), { ...acme, renewalDate: '2025-06-01' })!.matched).toBe(true);
    expect(evaluatePlaybook(pb, drop(), { ...acme, renewalDate: '2025-09-01' })!.matched).toBe(false);
  });
});

describe('cooldown', () => {
  const t = new Date('2025-03-10T12:00:00Z');
  it('keeps a playbook quiet within the cooldown, in event time, either side', () => {
    expect(inCooldown(new Date('2025-03-09T13:00:00Z'), t, 24)).toBe(true);
    expect(inCooldown(new Date('2025-03-11T11:00:00Z'), t, 24)).toBe(true);
    expect(inCooldown(new Date('2025-03-09T12:00:00Z'), t, 24)).toBe(false);
    expect(inCooldown(null, t, 24)).toBe(false);
    expect(inCooldown(t, t, 0)).toBe(false);
  });
});

describe('dry run', () => {
  it('reports what a playbook would do, deduping causes and applying cooldown, in event-time order', () => {
    const pb = playbook('usage-drop');
    const signals = [
      drop({ id: 'a0000000-0000-4000-8000-000000000003', time: '2025-03-12T00:00:00Z' }, { episodeId: 'ep-2' }),
      drop({ id: 'a0000000-0000-4000-8000-000000000001', time: '2025-03-01T00:00:00Z' }),
      drop({ id: 'a0000000-0000-4000-8000-000000000002', time: '2025-03-02T00:00:00Z' }),
      drop({ id: 'a0000000-0000-4000-8000-000000000004', time: '2025-03-20T00:00:00Z', accountId: 'globex' }, { episodeId: 'ep-9' }),
    ];
    const r = simulatePlaybook(pb, signals, new Map([['acme', acme]]), new Set([dedupeKey(pb.id, 'usage-drop:globex:ep-9')]));
    expect(r.entries.map((e) => [e.eventId.slice(-1), e.outcome])).toEqual([
      ['1', 'would-act'], ['2', 'duplicate-cause'], ['3', 'would-act'], ['4', 'already-acted'],
    ]);
    expect(r.wouldCreate).toEqual({ tasks: 2, alerts: 2 });
    const cooled = simulatePlaybook({ ...pb, cooldownHours: 24 * 30 }, signals.slice(0, 3), new Map(), new Set());
    expect(cooled.entries.map((e) => e.outcome)).toEqual(['would-act', 'duplicate-cause', 'cooldown']);
  });
});

describe('support ticket playbooks', () => {
  const parse = (definition: Record<string, unknown>): Playbook => {
    const r = parsePlaybookDefinition(definition);
    if (!r.ok) throw new Error(r.problems.join('; '));
    return { ...r.definition, id: 'pb-ticket', version: 1 };
  };
  const escalation = parse({
    name: 'Escalated ticket', trigger: 'support.ticket-changed', cooldownHours: 0,
    conditions: { all: [{ field: 'event.escalated', op: 'eq', value: true }] },
    actions: [{ type: 'createTask', title: 'Escalation at {{account.name}}', description: '{{event.reason}}', priority: 'high', dueInDays: 1, assignee: 'owner' }],
  });
  const badRating = parse({
    name: 'Bad ticket rating', trigger: 'support.ticket-changed', cooldownHours: 0,
    conditions: { all: [{ field: 'event.satisfaction', op: 'eq', value: 'bad' }] },
    actions: [{ type: 'createTask', title: 'Bad support rating at {{account.name}}', description: '{{event.reason}}', priority: 'normal', dueInDays: 2, assignee: 'owner' }],
  });
  const ticket = (data: Record<string, unknown>, id = '33333333-3333-4333-8333-333333333333'): TriggerEvent => ({
    id, type: 'support.ticket-changed', time: '2026-11-30T12:00:00.000Z', workspaceId: 'ws', accountId: 'acme',
    data: { ticketId: 't-1', externalId: '35436', source: 'zendesk', sourceId: 'zd', change: 'opened', status: 'open', tags: [], escalated: false, subject: 'CSV export fails', openedAt: '2026-11-30T11:00:00Z', updatedAt: '2026-11-30T12:00:00Z', ...data },
  });

  it('creates a task for an escalated ticket with the ticket in the description, once per ticket', () => {
    expect(evaluatePlaybook(escalation, ticket({}), acme)!.matched).toBe(false);
    const d = evaluatePlaybook(escalation, ticket({ escalated: true, priority: 'urgent', change: 'updated' }), acme)!;
    expect(d.matched).toBe(true);
    expect(d.task!.description).toBe('zendesk ticket 35436 "CSV export fails" is open (urgent priority, escalated)');
    const later = evaluatePlaybook(escalation, ticket({ escalated: true, status: 'pending', change: 'updated' }, '44444444-4444-4444-8444-444444444444'), acme)!;
    expect(later.dedupeKey).toBe(d.dedupeKey);
  });

  it('creates a task for a badly rated ticket', () => {
    expect(evaluatePlaybook(badRating, ticket({ satisfaction: 'good', change: 'solved', status: 'solved' }), acme)!.matched).toBe(false);
    const d = evaluatePlaybook(badRating, ticket({ satisfaction: 'bad', satisfactionScore: 1, change: 'solved', status: 'closed' }), acme)!;
    expect(d).toMatchObject({ matched: true, task: { title: 'Bad support rating at Acme Corp' } });
  });
});
