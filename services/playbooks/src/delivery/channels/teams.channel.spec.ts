import { SAMPLE_NOTICE } from '../../domain/sample-notice';
import { maskTeamsUrl, TEAMS_CARD_CONTENT_TYPE, teamsMessage, teamsSendResult } from './teams.channel';
// Microsoft's Adaptive Cards SDK (the CommonJS bundle; the package's main entry is ES modules).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js');

const notice = SAMPLE_NOTICE;

/** Parses a card with Microsoft's SDK; returns what it complained about (unknown elements, invalid values). */
function sdkComplaints(card: unknown): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  return Array.from({ length: context.eventCount as number }, (_, i) => context.getEventAt(i).message as string);
}

describe('Teams channel', () => {
  it('sends one Adaptive Card in a "message", as Microsoft documents for incoming webhooks', () => {
    const m = teamsMessage(notice) as any;
    expect(m.type).toBe('message');
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ contentType: TEAMS_CARD_CONTENT_TYPE, contentUrl: null });
    expect(m.attachments[0].content).toMatchObject({ $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.2' });
    expect(sdkComplaints(m.attachments[0].content)).toEqual([]);
    const text = JSON.stringify(m.attachments[0].content.body);
    expect(text).toContain('Key contact left <Acme>');
    expect(text).toContain('assigned to dana, due 2025-03-12');
    expect(m.attachments[0].content.body[2]).toEqual({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'Account', value: 'Acme (acme)' }, { title: 'Health', value: 'red (31)' }]) });
  });

  it('the SDK check can fail: it names an element Teams would not know', () => {
    expect(sdkComplaints({ type: 'AdaptiveCard', version: '1.2', body: [{ type: 'Bogus' }] })).toEqual([expect.stringContaining('Bogus')]);
  });

  it('retries throttling, timeouts, server errors and silence; gives up at once on other 4xx and refused targets', () => {
    const answer = (statusCode: number | null, text = '') => ({ statusCode, text, error: statusCode === null ? 'ECONNREFUSED' : null, refused: false });
    expect(teamsSendResult(answer(200, '1'))).toEqual({ sent: true });
    expect(teamsSendResult(answer(202))).toEqual({ sent: true });
    expect(teamsSendResult(answer(200, 'Microsoft Teams endpoint returned HTTP error 429 with ContextId …'))).toEqual({ sent: false, permanent: false });
    for (const s of [429, 408, 500, 503, null]) expect(teamsSendResult(answer(s))).toEqual({ sent: false, permanent: false });
    for (const s of [400, 401, 403, 404, 410]) expect(teamsSendResult(answer(s))).toEqual({ sent: false, permanent: true });
    expect(teamsSendResult({ statusCode: null, text: '', error: 'refused: private', refused: true })).toEqual({ sent: false, permanent: true });
  });

  it('masks the tokens of incoming-webhook paths and Workflows signatures', () => {
    expect(maskTeamsUrl('https://contoso.webhook.office.com/webhookb2/1111@2222/IncomingWebhook/3333/4444'))
      .toBe('https://contoso.webhook.office.com/webhookb2/***/***/***/***');
    const workflow = maskTeamsUrl('https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?api-version=2016-06-01&sig=SECRET');
    expect(workflow).not.toContain('SECRET');
    expect(workflow).not.toContain('abc');
  });
});
