import { alertEmail, AlertNotice } from './alert-payloads';
import { afterSend } from './delivery-policy';
import { emailRecipientsProblem, resolveEmailRecipients } from './email-recipients';

describe('alert emails', () => {
  const notice: AlertNotice = {
    workspaceId: 'ws',
    alert: { id: 'al-1', severity: 'critical', title: 'Key contact left Acme (champion)', reason: 'Jo Park (champion) was marked as having left Acme',
      playbookId: 'pb', playbookName: 'Champion left', accountId: 'acme', recipient: 'dana@vendor.example',
      cause: { eventId: 'e', type: 'directory.contact-departed', summary: 'Jo left' }, createdAt: '2025-03-10T00:00:00.000Z' },
    task: { id: 't-1', title: 'Re-establish a champion at Acme', description: 'Jo Park (champion) was marked as having left Acme\n\nFind a sponsor.',
      priority: 'high', assignee: 'dana@vendor.example', dueAt: '2025-03-12T00:00:00.000Z', status: 'open' },
    account: { id: 'acme', name: 'Acme', csmOwner: 'dana@vendor.example', plan: 'enterprise', arr: 48000, band: 'red', score: 31 },
  };

  it('puts severity and title in the subject and the reason, account and task in the text', () => {
    const email = alertEmail(notice);
    expect(email.subject).toBe('[Cairn] CRITICAL: Key contact left Acme (champion)');
    expect(email.text.split('\n')).toEqual(expect.arrayContaining([
      'Why: Jo Park (champion) was marked as having left Acme',
      'Account:  Acme (acme)',
      'Health:   red (31)',
      'Task (high): Re-establish a champion at Acme',
      'Assigned to dana@vendor.example, due 2025-03-12',
      'Find a sponsor.',
    ]));
  });

  it('keeps line breaks out of the subject', () => {
    expect(alertEmail({ ...notice, alert: { ...notice.alert, title: 'a\r\nBcc: x@y.example' } }).subject).toBe('[Cairn] CRITICAL: a Bcc: x@y.example');
  });
});

describe('email recipients', () => {
  it('accepts "owner" or a list of addresses that may include "owner", naming a bad entry', () => {
    expect(emailRecipientsProblem('owner')).toBeUndefined();
    expect(emailRecipientsProblem(['owner', 'lead@vendor.example'])).toBeUndefined();
    expect(emailRecipientsProblem(['lead@vendor.example', 'bob'])).toBe('to[1]: "bob" is not an email address (nor "owner")');
    expect(emailRecipientsProblem([])).toMatch(/^to: must be "owner"/);
    expect(emailRecipientsProblem('csm@vendor.example')).toMatch(/^to: must be "owner"/);
  });

  it('resolves "owner" to the account\'s CSM owner when the email is sent', () => {
    expect(resolveEmailRecipients('owner', 'dana@vendor.example')).toEqual({ outcome: 'send', to: ['dana@vendor.example'] });
    expect(resolveEmailRecipients(['owner', 'Dana@vendor.example', 'lead@vendor.example'], 'dana@vendor.example'))
      .toEqual({ outcome: 'send', to: ['Dana@vendor.example', 'lead@vendor.example'] });
  });

  it('waits for an owner not known yet, fails on an owner that is no address, and sends to the others meanwhile', () => {
    expect(resolveEmailRecipients('owner', null)).toEqual({ outcome: 'wait', reason: 'the account has no CSM owner yet' });
    expect(resolveEmailRecipients('owner', 'dana')).toEqual({ outcome: 'fail', reason: 'the account\'s CSM owner "dana" is not an email address' });
    expect(resolveEmailRecipients(['owner', 'lead@vendor.example'], null))
      .toEqual({ outcome: 'send', to: ['lead@vendor.example'], note: 'not sent to the owner: the account has no CSM owner yet' });
  });

  it('delivers once handed over, fails at once on a permanent refusal, retries the rest', () => {
    expect(afterSend({ sent: true }, 1)).toEqual({ outcome: 'delivered' });
    expect(afterSend({ sent: false, permanent: true }, 1)).toEqual({ outcome: 'failed' });
    expect(afterSend({ sent: false, permanent: false }, 2)).toEqual({ outcome: 'retry', delayMs: 1000 });
    expect(afterSend({ sent: false, permanent: false }, 8)).toEqual({ outcome: 'failed' });
  });
});
