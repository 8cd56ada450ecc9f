/** What a channel receives about an alert: the alert, its task, the account. */
export interface AlertNotice {
  workspaceId: string;
  alert: {
    id: string;
    severity: string;
    title: string;
    reason: string;
    playbookId: string;
    playbookName: string | null;
    accountId: string;
    recipient: string | null;
    cause: { eventId: string; type: string; summary: string };
    createdAt: string;
  };
  task: {
    id: string;
    title: string;
    description: string;
    priority: string;
    assignee: string | null;
    dueAt: string;
    status: string;
  } | null;
  account: {
    id: string;
    name: string | null;
    csmOwner: string | null;
    plan: string | null;
    arr: number | null;
    band: string | null;
    score: number | null;
  };
}

/** Generic webhook body (signed as sent). */
export function webhookBody(notice: AlertNotice): Record<string, unknown> {
  return { type: 'alert.raised', workspaceId: notice.workspaceId, alert: notice.alert, task: notice.task, account: notice.account };
}

const EMOJI: Record<string, string> = { critical: ':rotating_light:', warning: ':warning:', info: ':information_source:' };

/** Slack incoming-webhook body: `text` for notifications and old clients, `blocks` for the message. */
export function slackBody(notice: AlertNotice): { text: string; blocks: unknown[] } {
  const { alert, task, account } = notice;
  const text = `${EMOJI[alert.severity] ?? ''} [${alert.severity.toUpperCase()}] ${alert.title}`.trim();
  const facts = [
    `*Account:* ${escape(account.name ?? account.id)}`,
    account.csmOwner ? `*CSM:* ${escape(account.csmOwner)}` : null,
    account.band ? `*Health:* ${account.band}${account.score !== null ? ` (${account.score})` : ''}` : null,
    account.arr !== null ? `*ARR:* ${account.arr}` : null,
  ].filter((f): f is string => f !== null);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: alert.title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: escape(alert.reason) } },
    { type: 'section', fields: facts.map((f) => ({ type: 'mrkdwn', text: f })) },
  ];
  if (task) {
    blocks.push({
      type: 'context',
      elements: [{
        type: 'mrkdwn',
        text: `Task (${task.priority}): ${escape(task.title)} — ${task.assignee ? `assigned to ${escape(task.assignee)}` : 'unassigned'}, due ${task.dueAt.slice(0, 10)}`,
      }],
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Cairn playbook ${escape(alert.playbookName ?? alert.playbookId)} · alert ${alert.id}` }] });
  return { text, blocks };
}

/** Slack mrkdwn needs &, < and > escaped. */
function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface AlertEmail {
  subject: string;
  text: string;
}

/** A plain-text email a CSM reads: the alert and why, the account, the task to do. */
export function alertEmail(notice: AlertNotice): AlertEmail {
  const { alert, task, account } = notice;
  const subject = `[Cairn] ${alert.severity.toUpperCase()}: ${alert.title}`.replace(/[\r\n]+/g, ' ').slice(0, 250);
  const lines = [
    alert.title,
    '',
    `Why: ${alert.reason}`,
    '',
    `Account:  ${account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id}`,
    account.csmOwner ? `CSM:      ${account.csmOwner}` : null,
    account.band ? `Health:   ${account.band}${account.score !== null ? ` (${account.score})` : ''}` : null,
    account.plan ? `Plan:     ${account.plan}` : null,
    account.arr !== null ? `ARR:      ${account.arr}` : null,
  ];
  if (task) {
    lines.push('', `Task (${task.priority}): ${task.title}`,
      `${task.assignee ? `Assigned to ${task.assignee}` : 'Unassigned'}, due ${task.dueAt.slice(0, 10)}`);
    if (task.description && task.description !== alert.reason) lines.push('', task.description);
  }
  lines.push('', '--', `Cairn playbook "${alert.playbookName ?? alert.playbookId}" · alert ${alert.id} · ${alert.severity}`);
  return { subject, text: lines.filter((l): l is string => l !== null).join('\n') };
}
