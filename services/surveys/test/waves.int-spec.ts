import 'reflect-metadata';
import { Topics } from '@cairn/contracts';
import {
  apiClient, InProcessService, ServiceUnderTest, SmtpTestInbox, startServiceInProcess, startServiceUnderTest, TestProducer, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { surveysService } from '../src/service';

describe('surveys: waves by email and in-app, personal links', () => {
  const ws = uniqueId('ws');
  let svc: InProcessService;
  let rig: ServiceUnderTest;
  let smtp: SmtpTestInbox;
  let watcher: TopicWatcher;
  let producer: TestProducer;
  let api: ReturnType<typeof apiClient>;
  let pub: ReturnType<typeof apiClient>;
  let surveyId: string;

  beforeAll(async () => {
    smtp = await new SmtpTestInbox().start();
    ({ svc, watcher, producer } = rig = await startServiceUnderTest(surveysService, {
      env: { SMTP_URL: smtp.url, SURVEY_EMAIL_FROM: 'surveys@vendor.example', SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE: '3', SURVEY_MAIL_RETRY_INTERVAL_MS: '500' },
      watch: [Topics.surveyResponseRecorded.name],
    }));
    api = apiClient(svc.url, svc.token(ws));
    pub = apiClient(svc.url);

    await producer.sendEvent(Topics.accountUpserted, { workspaceId: ws, accountId: 'acme', data: { name: 'Acme', traits: { segment: 'enterprise' } } });
    for (const [contactId, accountId, email] of [['ana', 'acme', 'ana@acme.example'], ['bo', 'acme', undefined], ['cy', 'globex', 'cy@globex.example'], ['dee', 'globex', undefined]]) {
      await producer.sendEvent(Topics.contactUpserted, {
        workspaceId: ws, accountId, data: { contactId: contactId!, accountIds: [accountId!], ...(email ? { email } : {}), name: contactId!.toUpperCase(), traits: {} },
      });
    }
    surveyId = (await api.post('/surveys', { name: 'How are we doing?', kind: 'nps', followUpQuestion: 'What is the main reason for your score?' })).json.id;
    // The audience comes from the directory read model: wait until all four contacts are in.
    await waitFor('the directory read model', async () => {
      const r = await api.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', preview: true, audience: { accountIds: ['acme', 'globex'] } });
      return r.json?.invited === 4;
    });
  });
  afterAll(async () => {
    await rig?.stop();
    await smtp?.stop();
  });

  const tokenFromMail = (text: string) => decodeURIComponent(/\/public\/survey\?token=(\S+)/.exec(text)![1]);
  const inAppToken = async (contactId: string, waveId: string) =>
    (await api.get(`/in-app/surveys?contactId=${contactId}`)).json.find((s: any) => s.waveId === waveId).token as string;

  it('emails each reachable person of the audience a personal link, and records the answer given through it', async () => {
    const wave = await api.post(`/surveys/${surveyId}/waves`, { name: 'Enterprise NPS', channel: 'email', audience: { segment: 'enterprise' } });
    expect(wave.status).toBe(201);
    expect(wave.json).toMatchObject({ channel: 'email', invited: 1, skipped: [{ contactId: 'bo', reason: 'has no email address' }] });

    const mail = await waitFor('the invitation email', () => smtp.messages.find((m) => m.to.includes('ana@acme.example')));
    expect(mail.from).toBe('surveys@vendor.example');
    expect(mail.headers.subject).toBe('How are we doing?');
    expect(mail.text).toMatch(/^Hello ANA,/);
    expect(mail.text).toMatch(/How likely are you to recommend us/);
    expect(mail.text).toMatch(/What is the main reason for your score\?/);
    const token = tokenFromMail(mail.text);

    const opened = await pub.get(`/public/survey?token=${encodeURIComponent(token)}`);
    expect(opened.status).toBe(200);
    expect(opened.json).toMatchObject({ surveyId, kind: 'nps', scale: { min: 0, max: 10 }, answer: null });

    const answer = await pub.post('/public/responses', { token, score: 3, comment: 'Slow reports' });
    expect(answer.status).toBe(201);
    expect(answer.json).toMatchObject({ surveyId, score: 3, category: 'detractor', revision: 1, replaced: false });
    const event = await watcher.waitFor(Topics.surveyResponseRecorded.name, (m) => m.json?.workspaceId === ws && m.json.data.channel === 'email');
    expect(event.json).toMatchObject({ accountId: 'acme', data: { surveyId, contactId: 'ana', waveId: wave.json.id, score: 3, category: 'detractor' } });

    expect((await api.get(`/surveys/${surveyId}/waves/${wave.json.id}/invitations`)).json)
      .toEqual([expect.objectContaining({ contactId: 'ana', status: 'answered', attempts: 1, email: 'ana@acme.example' })]);
    expect((await api.get(`/surveys/${surveyId}/results?waveId=${wave.json.id}`)).json)
      .toMatchObject({ responses: 1, nps: -100, invited: 1, answered: 1, responseRatePct: 100 });
  });

  it('replaces the answer of a person who answers the same wave again, and keeps the first in the history', async () => {
    const mail = smtp.messages.find((m) => m.to.includes('ana@acme.example'))!;
    const token = tokenFromMail(mail.text);
    const second = await pub.post('/public/responses', { token, score: 10 });
    expect(second.status).toBe(201);
    expect(second.json).toMatchObject({ score: 10, category: 'promoter', revision: 2, replaced: true });
    expect((await pub.get(`/public/survey?token=${encodeURIComponent(token)}`)).json.answer).toMatchObject({ score: 10, comment: null });
    const detail = await api.get(`/surveys/${surveyId}/responses/${second.json.id}`);
    expect(detail.json).toMatchObject({ score: 10, channel: 'email', history: [expect.objectContaining({ score: 3, comment: 'Slow reports' })] });
    const out = await pub.post('/public/responses', { token, score: 11 });
    expect(out.status).toBe(400);
    expect(out.json.message).toMatch(/from 0 to 10 on the NPS scale/);
  });

  it('offers an in-app survey to the signed-in user and takes the answer from the product', async () => {
    const wave = await api.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', audience: { contactIds: ['cy'] } });
    expect(wave.json).toMatchObject({ invited: 1, skipped: [] });
    const offered = await api.get('/in-app/surveys?contactId=cy');
    expect(offered.json).toEqual([expect.objectContaining({ surveyId, waveId: wave.json.id, kind: 'nps', scale: { min: 0, max: 10 }, token: expect.any(String) })]);
    expect((await api.get('/in-app/surveys?contactId=ana')).json).toEqual([]);

    const answer = await pub.post('/public/responses', { token: offered.json[0].token, score: 8 });
    expect(answer.json).toMatchObject({ category: 'passive' });
    await watcher.waitFor(Topics.surveyResponseRecorded.name,
      (m) => m.json?.workspaceId === ws && m.json.data.channel === 'in_app' && m.json.data.contactId === 'cy' && m.json.accountId === 'globex');
    expect((await api.get('/in-app/surveys?contactId=cy')).json).toEqual([]);
  });

  it('refuses a forged link and an expired link, saying why', async () => {
    const wave = await api.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', audience: { contactIds: ['dee'] }, expiresAt: new Date(Date.now() + 1500).toISOString() });
    const token = await inAppToken('dee', wave.json.id);

    const [body, signature] = token.slice('sv1.'.length).split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const forgedBody = Buffer.from(JSON.stringify({ ...claims, c: 'cy', a: 'globex' })).toString('base64url');
    const forged = await pub.post('/public/responses', { token: `sv1.${forgedBody}.${signature}`, score: 0 });
    expect(forged.status).toBe(401);
    expect(forged.json.message).toMatch(/survey link is not valid \(its signature does not match\)/);
    expect((await pub.get('/public/survey?token=sv1.nonsense')).status).toBe(401);

    await new Promise((r) => setTimeout(r, 1600));
    const expired = await pub.post('/public/responses', { token, score: 9 });
    expect(expired.status).toBe(410);
    expect(expired.json.message).toMatch(/^this survey closed on .*; the link has expired$/);
    expect((await api.get(`/surveys/${surveyId}/responses?contactId=dee`)).json).toEqual([]);
  });

  it('rate-limits answers through one link with a 429 and Retry-After', async () => {
    const wave = await api.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', audience: { contactIds: ['bo'] } });
    const token = await inAppToken('bo', wave.json.id);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof pub.post>> | undefined;
    for (let i = 0; i < 4; i++) {
      last = await pub.post('/public/responses', { token, score: 5 + i });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last!.json.message).toMatch(/too many answers through this link; try again in \d+ s/);
  });

  it('keeps waves and in-app surveys to their workspace', async () => {
    const other = apiClient(svc.url, svc.token(uniqueId('other')));
    expect((await other.get(`/surveys/${surveyId}/waves`)).status).toBe(404);
    expect((await other.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', audience: { contactIds: ['cy'] } })).status).toBe(404);
    expect((await other.get('/in-app/surveys?contactId=bo')).json).toEqual([]);
    const list = await api.get(`/surveys/${surveyId}/waves`);
    expect(list.json.map((w: any) => [w.channel, w.invited, w.invitations.answered])).toEqual([
      ['in_app', 1, 1], ['in_app', 1, 0], ['in_app', 1, 1], ['email', 1, 1],
    ]);
  });

  it('holds the per-link limit across two instances sharing the database', async () => {
    const second = await startServiceInProcess(surveysService, { env: svc.env });
    try {
      const wave = await api.post(`/surveys/${surveyId}/waves`, { channel: 'in_app', audience: { contactIds: ['dee'] } });
      const token = await inAppToken('dee', wave.json.id);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await apiClient(i % 2 ? second.url : svc.url).post('/public/responses', { token, score: 4 + i })).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
    } finally {
      await second.close(); // drops only the database it made for itself; it ran on this suite's
    }
  });
});
