import { createHmac } from 'node:crypto';
import { verifyIntercomSignature, verifyZendeskSignature } from './webhook-signature';

const body = Buffer.from('{"type":"zen:event-type:ticket.created","id":"01H"}');
const secret = 'dGhpc19pc19hX3NlY3JldA';
const ts = '2026-12-01T10:00:00Z';
const zendeskSig = createHmac('sha256', secret).update(ts + body.toString()).digest('base64');
const now = new Date('2026-12-01T10:02:00Z');

describe('Zendesk webhook signature', () => {
  it('accepts base64(HMAC-SHA256(timestamp + body)) within the replay window', () => {
    expect(verifyZendeskSignature({ secret, rawBody: body, signature: zendeskSig, timestamp: ts, now, toleranceSeconds: 300 })).toEqual({ ok: true });
  });
  it('refuses a body changed after signing', () => {
    const v = verifyZendeskSignature({ secret, rawBody: Buffer.from(body.toString().replace('01H', '02H')), signature: zendeskSig, timestamp: ts, now, toleranceSeconds: 300 });
    expect(v).toEqual({ ok: false, problem: 'X-Zendesk-Webhook-Signature does not match the body' });
  });
  it('refuses a correctly signed request older than the window', () => {
    const v = verifyZendeskSignature({ secret, rawBody: body, signature: zendeskSig, timestamp: ts, now: new Date('2026-12-01T10:06:00Z'), toleranceSeconds: 300 });
    expect(v).toMatchObject({ ok: false, problem: expect.stringMatching(/outside the 300s replay window/) });
  });
  it('names a missing header', () => {
    expect(verifyZendeskSignature({ secret, rawBody: body, timestamp: ts, now, toleranceSeconds: 300 })).toMatchObject({ problem: 'missing X-Zendesk-Webhook-Signature header' });
    expect(verifyZendeskSignature({ secret, rawBody: body, signature: zendeskSig, now, toleranceSeconds: 300 })).toMatchObject({ problem: 'missing X-Zendesk-Webhook-Signature-Timestamp header' });
  });
});

describe('Intercom webhook signature', () => {
  const sig = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
  it('accepts sha1=<hex HMAC-SHA1 of the body>', () => {
    expect(verifyIntercomSignature({ secret, rawBody: body, signature: sig })).toEqual({ ok: true });
  });
  it('refuses another secret\'s signature and a malformed header', () => {
    const other = `sha1=${createHmac('sha1', 'another-secret').update(body).digest('hex')}`;
    expect(verifyIntercomSignature({ secret, rawBody: body, signature: other })).toMatchObject({ ok: false, problem: 'X-Hub-Signature does not match the body' });
    expect(verifyIntercomSignature({ secret, rawBody: body, signature: 'sha256=abc' })).toMatchObject({ ok: false, problem: 'X-Hub-Signature must be sha1=<40 hex digits>' });
  });
});
