import { AlertNotice } from './alert-payloads';

/** An alert as channels receive it, for the payload tests (delivery.spec, the channels' specs). */
export const SAMPLE_NOTICE: AlertNotice = {
  workspaceId: 'ws',
  alert: { id: 'al-1', severity: 'critical', title: 'Key contact left <Acme>', reason: 'Jo & co left', playbookId: 'pb', playbookName: 'Champion left',
    accountId: 'acme', recipient: 'dana', cause: { eventId: 'e', type: 'directory.contact-departed', summary: 'Jo left' }, createdAt: '2025-03-10T00:00:00.000Z' },
  task: { id: 't-1', title: 'Find a champion', description: 'd', priority: 'high', assignee: 'dana', dueAt: '2025-03-12T00:00:00.000Z', status: 'open' },
  account: { id: 'acme', name: 'Acme', csmOwner: 'dana', plan: null, arr: 1200, band: 'red', score: 31 },
};
