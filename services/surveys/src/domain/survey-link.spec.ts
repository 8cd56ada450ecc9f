import { signSurveyLink, SurveyLinkError, verifySurveyLink } from './survey-link';

const secret = 'a'.repeat(40);
const claims = { workspaceId: 'ws1', surveyId: 's1', waveId: 'w1', contactId: 'ana', accountId: 'acme', expiresAt: 2_000_000 };

function failure(fn: () => unknown): SurveyLinkError {
  try { fn(); } catch (e) { return e as SurveyLinkError; }
  throw new Error('expected the link to be refused');
}

describe('survey links', () => {
  it('carries who was invited, to which survey and wave, until when', () => {
    expect(verifySurveyLink(signSurveyLink(claims, secret), secret, 1_000_000)).toEqual(claims);
  });

  it('refuses a link whose claims were changed', () => {
    const [body, sig] = signSurveyLink(claims, secret).slice(4).split('.');
    const other = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), c: 'mallory' })).toString('base64url');
    const e = failure(() => verifySurveyLink(`sv1.${other}.${sig}`, secret, 1_000_000));
    expect(e.reason).toBe('invalid');
    expect(e.message).toMatch(/signature does not match/);
  });

  it('refuses a link signed with another secret, and things that are not links', () => {
    expect(failure(() => verifySurveyLink(signSurveyLink(claims, 'b'.repeat(40)), secret, 0)).reason).toBe('invalid');
    expect(failure(() => verifySurveyLink('hello', secret, 0)).message).toMatch(/not a Cairn survey link/);
    expect(failure(() => verifySurveyLink('sv1.abc', secret, 0)).message).toMatch(/incomplete/);
  });

  it('refuses an expired link, saying when it closed', () => {
    const e = failure(() => verifySurveyLink(signSurveyLink(claims, secret), secret, 2_000_000));
    expect(e.reason).toBe('expired');
    expect(e.message).toBe('this survey closed on 1970-01-01T00:33:20.000Z; the link has expired');
  });
});
