import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, uniqueId, waitFor,
} from '@cairn/testing';
import { randomUUID } from 'node:crypto';
import { healthService } from '../src/service';

const DAY = 86_400_000;

/** User Success: personas over user-level attributes, kept up to date from events, and their metrics. */
describe('health: personas', () => {
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let producer: TestProducer;

  beforeAll(async () => {
    ({ svc, producer } = rig = await startServiceUnderTest(healthService));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  const contact = (ws: string, userId: string, accountId: string, role: string, time: Date) =>
    producer.sendEvent(Topics.contactUpserted, { workspaceId: ws, accountId, time, data: { contactId: userId, accountIds: [accountId], role: role as 'admin', name: userId, traits: {} } });
  const track = (ws: string, userId: string, accountId: string, event: string, at: Date) =>
    producer.sendEvent(Topics.usageEvent, {
      workspaceId: ws, accountId, time: at,
      data: { messageId: randomUUID(), callType: 'track', event, userId, groupId: accountId, timestamp: at.toISOString(), receivedAt: at.toISOString() },
    });
  const answer = (ws: string, userId: string, accountId: string, kind: 'nps' | 'csat' | 'ces', score: number, category: string, at: Date) =>
    producer.sendEvent(Topics.surveyResponseRecorded, {
      workspaceId: ws, accountId, time: at,
      data: { surveyId: `${kind}-1`, responseId: randomUUID(), contactId: userId, kind, score, category: category as 'promoter', respondedAt: at.toISOString() },
    });
  const memberIds = async (api: ReturnType<typeof apiClient>, persona: string): Promise<string[]> =>
    ((await api.get(`/personas/${persona}/members`)).json as { userId: string }[]).map((m) => m.userId);
  const membersBecome = (api: ReturnType<typeof apiClient>, persona: string, expected: string[]) =>
    waitFor(`${persona} members to be [${expected.join(', ')}]`, async () => {
      const ids = await memberIds(api, persona);
      return JSON.stringify(ids) === JSON.stringify(expected) ? ids : undefined;
    });

  it('rejects an invalid persona with a message naming each bad field', async () => {
    const api = apiClient(svc.url, svc.token(uniqueId('ws')));
    const semantic = await api.post('/personas', {
      name: 'Broken',
      rule: { all: [{ attribute: 'stage', op: 'eq', value: 'adopted' }, { attribute: 'lifecycleStage', op: 'eq', value: 'adoptd' }], any: [] },
    });
    expect(semantic.status).toBe(400);
    expect(semantic.json.message).toEqual([
      expect.stringMatching(/^rule\.all\[0\]\.attribute: unknown attribute "stage" \(known: lifecycleStage, /),
      'rule.all[1].value: "adoptd" is not a lifecycleStage (new, onboarding, adopted, dormant)',
      "rule.any: give at least one condition, or leave 'any' out",
    ]);
    const shape = await api.post('/personas', { rule: 'everyone', colour: 'blue' });
    expect(shape.status).toBe(400);
    expect(shape.json.message).toEqual(expect.arrayContaining([
      'property colour should not exist', 'name must be a string', 'rule must be an object with all and/or any conditions',
    ]));
    const reserved = await api.post('/personas', { id: 'settings', name: 'Settings', rule: { all: [{ attribute: 'role', op: 'exists' }] } });
    expect(reserved.status).toBe(400);
    expect(reserved.json.message).toEqual(["id: 'settings' is reserved (settings, reevaluate); choose another"]);
    const settings = await api.put('/personas/settings', { keyFeatures: ['a', 'a'], onboardingActiveDays: 0 });
    expect(settings.status).toBe(400);
    expect(settings.json.message).toEqual(['onboardingActiveDays must not be less than 1']);
  });

  it('moves users into and out of personas as their activity, answers and departure arrive', async () => {
    const ws = uniqueId('ws');
    const api = apiClient(svc.url, svc.token(ws));
    const t0 = new Date(Date.now() - 40 * DAY);
    const at = (days: number) => new Date(t0.getTime() + days * DAY);
    expect((await api.put('/personas/settings', { keyFeatures: ['report.created'], onboardingActiveDays: 3 })).status).toBe(200);
    const adopted = await api.post('/personas', {
      id: 'adopted-admins', name: 'Adopted admins',
      rule: { all: [{ attribute: 'lifecycleStage', op: 'eq', value: 'adopted' }, { attribute: 'role', op: 'eq', value: 'admin' }] },
    });
    expect(adopted.status).toBe(201);
    expect(adopted.json).toMatchObject({ id: 'adopted-admins', memberCount: 0, ruleText: 'lifecycleStage is adopted and role is admin' });
    expect((await api.post('/personas', {
      id: 'unhappy', name: 'Unhappy users', rule: { any: [{ attribute: 'satisfaction', op: 'in', value: ['detractor', 'unsatisfied', 'high_effort'] }] },
    })).status).toBe(201);

    await contact(ws, 'ann', 'acme', 'admin', t0);
    await contact(ws, 'bob', 'acme', 'end_user', t0);
    // Ann: 3 active days, the key feature used, 8 days after she was first seen → adopted.
    for (const d of [0, 2, 8]) await track(ws, 'ann', 'acme', d === 2 ? 'page.viewed' : 'report.created', at(d));
    await track(ws, 'bob', 'acme', 'report.created', at(8));
    await membersBecome(api, 'adopted-admins', ['ann']);
    const ann = (await api.get('/users/ann')).json;
    expect(ann).toMatchObject({
      accountId: 'acme', role: 'admin', personas: ['adopted-admins'],
      attributes: { lifecycleStage: 'adopted', engagementLevel: 'low', activeDays30d: 3, activeDaysTotal: 3, keyFeaturesUsed: 1, satisfaction: 'unknown' },
    });
    const bob = await waitFor('bob\'s activity counted', async () => {
      const b = (await api.get('/users/bob')).json;
      return b?.attributes?.activeDaysTotal === 1 && b.role ? b : undefined;
    });
    expect(bob).toMatchObject({ role: 'end_user', personas: [], attributes: { lifecycleStage: 'onboarding', keyFeaturesUsed: 1 } });

    // A detractor answer puts Ann (and Bob) in "unhappy"; Ann's later promoter answer takes her out.
    await answer(ws, 'ann', 'acme', 'nps', 3, 'detractor', at(9));
    await answer(ws, 'bob', 'acme', 'csat', 1, 'unsatisfied', at(9));
    await membersBecome(api, 'unhappy', ['ann', 'bob']);
    await answer(ws, 'ann', 'acme', 'nps', 10, 'promoter', at(10));
    await membersBecome(api, 'unhappy', ['bob']);

    // 22 days after her last activity, an answer of Ann's finds her dormant: she leaves "adopted admins".
    // Her 30-day window (days 1–30) still holds days 2 and 8, not day 0.
    await answer(ws, 'ann', 'acme', 'csat', 5, 'satisfied', at(30));
    await membersBecome(api, 'adopted-admins', []);
    expect((await api.get('/users/ann')).json.attributes).toMatchObject({
      lifecycleStage: 'dormant', activeDays30d: 2, engagementLevel: 'low', satisfaction: 'satisfied',
    });

    // Bob leaves the account: a user who left is in no persona.
    await producer.sendEvent(Topics.contactDeparted, {
      workspaceId: ws, accountId: 'acme', time: at(31),
      data: { contactId: 'bob', role: 'end_user', rule: 'removed', evidence: {}, departedAt: at(31).toISOString(), reason: 'removed from the account' },
    });
    await membersBecome(api, 'unhappy', []);

    // Another workspace sees none of it.
    expect((await apiClient(svc.url, svc.token(uniqueId('ws'))).get('/personas/unhappy')).status).toBe(404);
  });

  it('computes a persona\'s metrics as by hand, and follows a change of its rule', async () => {
    const ws = uniqueId('ws');
    const api = apiClient(svc.url, svc.token(ws));
    const now = Date.now();
    const at = (hoursAgo: number) => new Date(now - hoursAgo * 3_600_000);
    // Account health = 10 × the account's latest NPS answer, so the accounts' scores are known.
    expect((await api.post('/scorecards', {
      id: 'nps-only', name: 'NPS only', measures: [{ measure: 'npsLatest', weight: 1, thresholds: [{ value: 0, points: 0 }, { value: 10, points: 100 }] }],
    })).status).toBe(201);
    expect((await api.put('/personas/settings', { keyFeatures: ['report.created', 'dashboard.shared'], onboardingActiveDays: 5 })).status).toBe(200);
    expect((await api.post('/personas', { id: 'end-users', name: 'End users', rule: { all: [{ attribute: 'role', op: 'eq', value: 'end_user' }] } })).status).toBe(201);

    for (const [user, account, role] of [['x1', 'xco', 'end_user'], ['x2', 'xco', 'end_user'], ['y1', 'yco', 'end_user'], ['y2', 'yco', 'end_user'], ['z1', 'yco', 'admin']]) {
      await contact(ws, user, account, role, at(30));
    }
    await answer(ws, 'z1', 'yco', 'nps', 0, 'detractor', at(10)); // not a member; older than y1's answer
    await answer(ws, 'x1', 'xco', 'nps', 10, 'promoter', at(9));
    await answer(ws, 'x2', 'xco', 'nps', 6, 'detractor', at(8)); // xco: latest NPS 6 → 60, yellow
    await answer(ws, 'y1', 'yco', 'nps', 8, 'passive', at(7)); // yco: 8 → 80, green
    await answer(ws, 'y1', 'yco', 'csat', 5, 'satisfied', at(6));
    await track(ws, 'y2', 'yco', 'report.created', at(5));
    const contractEnd = new Date(now + 45 * DAY).toISOString().slice(0, 10);
    await producer.sendEvent(Topics.contractUpserted, {
      workspaceId: ws, accountId: 'xco', time: at(4),
      data: { contractId: 'ctr-x', arr: 12000, currency: 'EUR', startDate: '2026-01-01', endDate: contractEnd, autoRenew: false },
    });

    const health = (account: string) => waitFor(`${account} scored`, async () => (await api.get(`/accounts/${account}/health`)).json?.score);
    await waitFor('xco scored 60', async () => ((await health('xco')) === 60 ? true : undefined));
    await waitFor('yco scored 80', async () => ((await health('yco')) === 80 ? true : undefined));
    await waitFor('every answer and activity of the members counted', async () => {
      const users = await Promise.all(['x1', 'x2', 'y1', 'y2'].map(async (u) => (await api.get(`/users/${u}`)).json));
      const done = users[0]?.answers?.nps && users[1]?.answers?.nps && users[2]?.answers?.csat && users[3]?.attributes?.activeDaysTotal === 1;
      return done ? true : undefined;
    });
    await waitFor('four members and the contract of xco known', async () => {
      const m = (await api.get('/personas/end-users/metrics')).json;
      return m?.memberCount === 4 && m.metrics.renewal.renewingSoon.accounts === 1 ? m : undefined;
    });

    const { json } = await api.get('/personas/end-users/metrics');
    expect(json).toMatchObject({ id: 'end-users', memberCount: 4 });
    expect(json.metrics).toEqual({
      members: 4,
      // x1 promoter, x2 detractor, y1 passive: (1 − 1) / 3
      nps: { respondents: 3, promoters: 1, passives: 1, detractors: 1, score: 0 },
      csat: { respondents: 1, satisfied: 1, satisfiedPct: 100, average: 5 },
      ces: { respondents: 0, lowEffort: 0, average: null },
      // measured: x1 +, x2 −, y1 + (latest answer: CSAT satisfied); estimated: y2 low engagement → neutral; (2 − 1) / 4
      sentiment: expect.objectContaining({ positive: 2, neutral: 1, negative: 1, measured: 3, estimated: 1, index: 25 }),
      // xco 60 yellow, yco 80 green
      accounts: { count: 2, scored: 2, averageScore: 70, bands: { green: 1, yellow: 1, red: 0 } },
      // yellow 70 %, green 90 %; only xco renews within 90 days
      renewal: expect.objectContaining({ accounts: 2, likelihoodPct: 80, renewingSoon: { withinDays: 90, accounts: 1, likelihoodPct: 70 } }),
      // y2 used one of the two key features: (0 + 0 + 0 + 50) / 4
      valueReceived: {
        keyFeatures: ['report.created', 'dashboard.shared'],
        perFeature: [{ feature: 'report.created', members: 1, pct: 25 }, { feature: 'dashboard.shared', members: 0, pct: 0 }],
        membersUsingAll: 0, averageAdoptionPct: 12.5,
      },
    });

    // A new rule recomputes the members at once; deleting the persona removes it.
    const changed = await api.put('/personas/end-users', { name: 'Admins', rule: { all: [{ attribute: 'role', op: 'eq', value: 'admin' }] } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ name: 'Admins', memberCount: 1 });
    expect(await memberIds(api, 'end-users')).toEqual(['z1']);
    expect((await api.delete('/personas/end-users')).status).toBe(204);
    expect((await api.get('/personas/end-users/metrics')).status).toBe(404);
    expect((await api.get('/users/z1')).json.personas).toEqual([]);
  });
});
