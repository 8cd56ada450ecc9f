import { createHmac } from 'node:crypto';
import { slackBody, webhookBody } from './alert-payloads';
import { SAMPLE_NOTICE } from './sample-notice';
import { afterSend, httpSendResult, retryDelayMs, signatureHeader } from './delivery-policy';
import { SecretBox } from '@cairn/auth';
import { checkTaskTransition } from './task-status';

describe('delivery policy', () => {
  it('backs off exponentially from half a second', () => {
    expect([1, 2, 3, 4, 7].map((n) => retryDelayMs(n))).toEqual([500, 1000, 2000, 4000, 32000]);
    expect(retryDelayMs(20)).toBe(60000);
  });

  it('delivers on any 2xx, retries anything else, and gives up after the last attempt', () => {
    expect(afterSend(httpSendResult(204), 1)).toEqual({ outcome: 'delivered' });
    expect(afterSend(httpSendResult(500), 1)).toEqual({ outcome: 'retry', delayMs: 500 });
    expect(afterSend(httpSendResult(null), 2)).toEqual({ outcome: 'retry', delayMs: 1000 });
    expect(afterSend(httpSendResult(404), 8)).toEqual({ outcome: 'failed' });
  });

  it('signs the exact body with HMAC-SHA256 of the channel secret', () => {
    const body = '{"a":1}';
    expect(signatureHeader(body, 's3cret')).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`);
  });
});

describe('alert payloads', () => {
  const notice = SAMPLE_NOTICE;

  it('sends the alert, its task and the account to a webhook', () => {
    expect(webhookBody(notice)).toMatchObject({ type: 'alert.raised', alert: { id: 'al-1' }, task: { id: 't-1' }, account: { id: 'acme' } });
  });

  it('builds a Slack message with text and escaped blocks', () => {
    const slack = slackBody(notice);
    expect(slack.text).toBe(':rotating_light: [CRITICAL] Key contact left <Acme>');
    expect(JSON.stringify(slack.blocks)).toContain('Jo &amp; co left');
    expect(JSON.stringify(slack.blocks)).toContain('assigned to dana, due 2025-03-12');
  });
});

describe('channel secrets at rest', () => {
  it('round-trips through the secret box and is not readable with another key', () => {
    const box = new SecretBox('x'.repeat(40));
    const sealed = box.seal('whsec_abc');
    expect(sealed).not.toContain('whsec_abc');
    expect(box.open(sealed)).toBe('whsec_abc');
    expect(() => new SecretBox('y'.repeat(40)).open(sealed)).toThrow();
  });
});

describe('task status', () => {
  it('allows open → in progress → done and dismissing with a reason', () => {
    expect(checkTaskTransition('open', 'in_progress')).toEqual({ ok: true, changed: true });
    expect(checkTaskTransition('in_progress', 'done')).toEqual({ ok: true, changed: true });
    expect(checkTaskTransition('open', 'dismissed', 'customer churned already')).toEqual({ ok: true, changed: true });
    expect(checkTaskTransition('done', 'done')).toEqual({ ok: true, changed: false });
  });

  it('refuses dismissing without a reason and leaving a final status, naming the transition', () => {
    expect(checkTaskTransition('open', 'dismissed', '  ')).toEqual({ ok: false, problem: 'reason: dismissing a task needs a reason' });
    expect(checkTaskTransition('done', 'in_progress')).toEqual({ ok: false, problem: 'status: invalid transition done → in_progress (done is final)' });
    expect(checkTaskTransition('in_progress', 'open' as never)).toEqual({ ok: false, problem: 'status: invalid transition in_progress → open (allowed from in_progress: done, dismissed)' });
  });
});
