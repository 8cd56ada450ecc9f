import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, holdsFor, InProcessService, ServiceUnderTest, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { surveysService } from '../src/service';

describe('surveys: responses, classification and aggregates', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;

  const recorded = (predicate: (data: any) => boolean = () => true) =>
    watcher.matching(Topics.surveyResponseRecorded.name, (m) => m.json?.workspaceId === ws && predicate(m.json.data));

  beforeAll(async () => {
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(surveysService, { watch: [Topics.surveyResponseRecorded.name] }));
    api = apiClient(svc.url, svc.token(ws));
  });
  afterAll(async () => {
    await rig?.stop();
  });

  async function createSurvey(kind: 'nps' | 'csat' | 'ces', name = `${kind} survey`) {
    const res = await api.post('/surveys', { name, kind });
    expect(res.status).toBe(201);
    return res.json as { id: string; kind: string; question: string };
  }

  it('refuses requests without a valid API token', async () => {
    expect((await apiClient(svc.url).get('/surveys')).status).toBe(401);
  });

  it('publishes one response-recorded event, classified detractor, for a detractor NPS answer', async () => {
    const survey = await createSurvey('nps', 'Quarterly NPS');
    expect(survey.question).toMatch(/recommend/);
    const res = await api.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', contactId: 'ana', score: 3, comment: 'Too slow lately' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ workspaceId: ws, surveyId: survey.id, score: 3, category: 'detractor', revision: 1, replaced: false });

    const event = await watcher.waitFor(Topics.surveyResponseRecorded.name, (m) => m.json?.workspaceId === ws && m.json.data.surveyId === survey.id);
    expect(event.key).toBe(`${ws}:acme`);
    expect(event.json).toMatchObject({
      type: 'survey.response-recorded', accountId: 'acme', source: 'surveys',
      data: { surveyId: survey.id, responseId: res.json.id, contactId: 'ana', kind: 'nps', score: 3, category: 'detractor', comment: 'Too slow lately' },
    });
    expect(await holdsFor(1500, () => recorded((d) => d.surveyId === survey.id).length === 1)).toBe(true);
  });

  it('rejects a score outside the survey\'s scale with a 400 that names the range', async () => {
    const nps = await createSurvey('nps');
    const csat = await createSurvey('csat');
    const ces = await createSurvey('ces');
    const tooHigh = await api.post(`/surveys/${nps.id}/responses`, { accountId: 'acme', contactId: 'bo', score: 11 });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.json.message).toBe('score: must be a whole number from 0 to 10 on the NPS scale (got 11)');
    const zero = await api.post(`/surveys/${csat.id}/responses`, { accountId: 'acme', score: 0 });
    expect(zero.status).toBe(400);
    expect(zero.json.message).toMatch(/from 1 to 5 on the CSAT scale \(got 0\)/);
    const eight = await api.post(`/surveys/${ces.id}/responses`, { accountId: 'acme', score: 8 });
    expect(eight.status).toBe(400);
    expect(eight.json.message).toMatch(/from 1 to 7 on the CES scale/);
    const fraction = await api.post(`/surveys/${nps.id}/responses`, { accountId: 'acme', score: 7.5 });
    expect(fraction.status).toBe(400);
    expect(JSON.stringify(fraction.json.message)).toMatch(/score must be an integer/);
    const badKind = await api.post('/surveys', { name: 'x', kind: 'stars' });
    expect(badKind.status).toBe(400);
    expect(JSON.stringify(badKind.json.message)).toMatch(/kind must be one of the following values: nps, csat, ces/);
    // Nothing was stored or published for the refused answers.
    expect((await api.get(`/surveys/${nps.id}/responses`)).json).toEqual([]);
    expect(recorded((d) => [nps.id, csat.id, ces.id].includes(d.surveyId))).toEqual([]);
  });

  it('replaces the answer of a person who answers again, keeps the old one in the history and publishes again', async () => {
    const survey = await createSurvey('nps');
    const first = await api.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', contactId: 'cy', score: 4, comment: 'meh' });
    const second = await api.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', contactId: 'cy', score: 9 });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ id: first.json.id, score: 9, category: 'promoter', revision: 2, replaced: true, comment: null });

    const current = await api.get(`/surveys/${survey.id}/responses`);
    expect(current.json).toHaveLength(1);
    expect(current.json[0]).toMatchObject({ contactId: 'cy', score: 9 });
    const detail = await api.get(`/surveys/${survey.id}/responses/${first.json.id}`);
    expect(detail.json.history).toEqual([expect.objectContaining({ score: 4, category: 'detractor', comment: 'meh', revision: 1 })]);

    const events = await waitFor('both answers published', () => {
      const seen = recorded((d) => d.surveyId === survey.id);
      return seen.length >= 2 ? seen : undefined;
    });
    expect(events.map((e) => [e.json.data.responseId, e.json.data.score, e.json.data.category]))
      .toEqual([[first.json.id, 4, 'detractor'], [first.json.id, 9, 'promoter']]);
    expect((await api.get(`/surveys/${survey.id}/results`)).json).toMatchObject({ responses: 1, nps: 100 });
  });

  it('computes NPS, CSAT % and average CES as worked out by hand, over a window and per account', async () => {
    const nps = await createSurvey('nps');
    const answers: Array<[string, string, number]> = [
      ['acme', 'p1', 10], ['acme', 'p2', 10], ['acme', 'p3', 7], ['globex', 'p4', 9], ['globex', 'p5', 6], ['globex', 'p6', 2],
    ];
    for (const [accountId, contactId, score] of answers) {
      expect((await api.post(`/surveys/${nps.id}/responses`, { accountId, contactId, score })).status).toBe(201);
    }
    // 3 promoters, 1 passive, 2 detractors of 6: (3 − 2) / 6 = +16.7; mean 44 / 6 = 7.33
    const all = await api.get(`/surveys/${nps.id}/results`);
    expect(all.json).toMatchObject({
      kind: 'nps', responses: 6, nps: 16.7, averageScore: 7.33, smallSample: true,
      categories: { promoter: 3, passive: 1, detractor: 2 }, distribution: { 10: 2, 9: 1, 7: 1, 6: 1, 2: 1 },
    });
    // acme: 2 promoters, 1 passive → +66.7; globex: 1 promoter, 2 detractors → −33.3
    expect((await api.get(`/surveys/${nps.id}/results?accountId=acme`)).json).toMatchObject({ responses: 3, nps: 66.7 });
    const byAccount = await api.get(`/surveys/${nps.id}/results?groupBy=account`);
    expect(byAccount.json.groups).toEqual([
      expect.objectContaining({ key: 'acme', responses: 3, nps: 66.7 }),
      expect.objectContaining({ key: 'globex', responses: 3, nps: -33.3 }),
    ]);
    // The window is on the time of the answer: none before an hour ago ended, all after it began.
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    expect((await api.get(`/surveys/${nps.id}/results?to=${hourAgo}`)).json).toMatchObject({ responses: 0, nps: null });
    expect((await api.get(`/surveys/${nps.id}/results?from=${hourAgo}`)).json).toMatchObject({ responses: 6, nps: 16.7 });
    const badWindow = await api.get(`/surveys/${nps.id}/results?from=yesterday`);
    expect(badWindow.status).toBe(400);
    expect(JSON.stringify(badWindow.json.message)).toMatch(/from must be a valid ISO 8601/);

    const csat = await createSurvey('csat');
    for (const [i, score] of [5, 4, 4, 3, 1].entries()) await api.post(`/surveys/${csat.id}/responses`, { accountId: 'acme', contactId: `c${i}`, score });
    // 3 of 5 satisfied (4–5) = 60 %
    expect((await api.get(`/surveys/${csat.id}/results`)).json).toMatchObject({ responses: 5, csatPct: 60, categories: { satisfied: 3, unsatisfied: 2 } });

    const ces = await createSurvey('ces');
    for (const [i, score] of [2, 2, 3, 6].entries()) await api.post(`/surveys/${ces.id}/responses`, { accountId: 'acme', contactId: `e${i}`, score });
    // (2 + 2 + 3 + 6) / 4 = 3.25; 3 low effort (1–3), 1 high effort
    expect((await api.get(`/surveys/${ces.id}/results`)).json).toMatchObject({ responses: 4, cesAverage: 3.25, categories: { low_effort: 3, high_effort: 1 } });
  });

  it('learns contacts from the directory and refuses an answer filed under an account the contact is not in', async () => {
    const survey = await createSurvey('csat');
    await producer.sendEvent(Topics.contactUpserted, {
      workspaceId: ws, accountId: 'initech', data: { contactId: 'bill', accountIds: ['initech'], email: 'bill@initech.example', traits: {} },
    });
    const refused = await waitFor('the contact to reach the read model', async () => {
      const r = await api.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', contactId: 'bill', score: 2 });
      return r.status === 400 ? r : undefined;
    });
    expect(refused.json.message).toBe(`accountId: contact 'bill' belongs to 'initech', not 'acme'`);
    expect((await api.post(`/surveys/${survey.id}/responses`, { accountId: 'initech', contactId: 'bill', score: 2 })).status).toBe(201);
  });

  it('keeps one workspace from seeing or answering another workspace\'s surveys', async () => {
    const survey = await createSurvey('nps', 'private');
    await api.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', contactId: 'dee', score: 10 });
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get('/surveys')).json).toEqual([]);
    expect((await other.get(`/surveys/${survey.id}`)).status).toBe(404);
    expect((await other.get(`/surveys/${survey.id}/results`)).status).toBe(404);
    expect((await other.post(`/surveys/${survey.id}/responses`, { accountId: 'acme', score: 0 })).status).toBe(404);
    expect((await api.get(`/surveys/${survey.id}/results`)).json).toMatchObject({ responses: 1, nps: 100 });
  });
});
