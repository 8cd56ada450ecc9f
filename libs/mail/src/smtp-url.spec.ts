import { isEmailAddress, MailError, toMailError } from './mailer';
import { maskSmtpUrl, parseSmtpUrl, smtpUrlProblem } from './smtp-url';

describe('SMTP_URL', () => {
  it('reads host, port, TLS mode and credentials', () => {
    expect(parseSmtpUrl('smtp://relay.example')).toEqual({ host: 'relay.example', port: 25, secure: false, requireTLS: false });
    expect(parseSmtpUrl('smtps://u%40x:p%3Ass@relay.example')).toEqual({
      host: 'relay.example', port: 465, secure: true, requireTLS: false, auth: { user: 'u@x', pass: 'p:ss' },
    });
  });

  it('requires STARTTLS before sending credentials over smtp://', () => {
    expect(parseSmtpUrl('smtp://user:secret@relay.example:587')).toMatchObject({ port: 587, secure: false, requireTLS: true });
  });

  it('names what is wrong without repeating a password', () => {
    expect(smtpUrlProblem('http://user:hunter2@relay.example')).toMatch(/^must be smtp:\/\//);
    expect(smtpUrlProblem('smtp://:hunter2@relay.example')).toBe('has a password but no user name');
    expect(() => parseSmtpUrl('smtp://user:hunter2@')).toThrow(/^SMTP_URL /);
    for (const bad of ['http://user:hunter2@relay.example', 'smtp://user:hunter2@']) {
      expect(smtpUrlProblem(bad) ?? '').not.toContain('hunter2');
    }
    expect(maskSmtpUrl('smtp://user:hunter2@relay.example:587')).toBe('smtp://user:***@relay.example:587');
  });
});

describe('mail errors', () => {
  it('treats a 5xx refusal as permanent and connection trouble or 4xx as temporary', () => {
    const refused = toMailError(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 550, response: '550 mailbox unavailable', command: 'RCPT TO' }));
    expect(refused).toMatchObject({ permanent: true, responseCode: 550, message: 'SMTP RCPT TO failed with 550: 550 mailbox unavailable' });
    expect(toMailError(Object.assign(new Error('x'), { code: 'EENVELOPE', responseCode: 451 })).permanent).toBe(false);
    expect(toMailError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ESOCKET' }))).toMatchObject({
      permanent: false, message: 'cannot reach the SMTP server (connect ECONNREFUSED 127.0.0.1:1)',
    });
    expect(toMailError(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 535, response: '535 bad password hunter2' }))).toMatchObject({
      permanent: false, message: 'SMTP authentication failed',
    });
    expect(toMailError(new MailError('m', true, null))).toMatchObject({ permanent: true });
  });

  it('accepts plain addresses only', () => {
    expect(['csm@vendor.example', 'a.b+c@x.io'].every(isEmailAddress)).toBe(true);
    expect(['owner', 'a@b.example\r\nBcc: x@y.example', 'Dana <d@x.example>', '', 'a@b@c'].some(isEmailAddress)).toBe(false);
  });
});
