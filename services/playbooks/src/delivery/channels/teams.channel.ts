import { AlertNotice } from '../../domain/alert-payloads';
import { SendResult } from '../../domain/delivery-policy';
import { AlertChannel, ChannelFactory } from './alert-channel';
import { HttpAnswer, httpError, maskUrl, postAlert, safeHost, urlChannelProblems } from './http-post';

/*
 * Microsoft Teams, through an incoming webhook or a Workflows "when a Teams webhook request is
 * received" flow: both take the same JSON. Written after Microsoft's documentation
 * (MicrosoftDocs/msteams-docs, msteams-platform/webhooks-and-connectors/how-to/connectors-using.md,
 * "Send adaptive cards using an incoming webhook", and add-incoming-webhook.md):
 *   - the body is `{ "type": "message", "attachments": [ … ] }`; `type` must be "message";
 *   - each attachment has `contentType: "application/vnd.microsoft.card.adaptive"`,
 *     `contentUrl: null` and the card as `content`;
 *   - the card is `{ "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
 *     "type": "AdaptiveCard", "version": "1.2", "body": [ TextBlock, FactSet, … ] }`
 *     (element shapes per adaptivecards.io: TextBlock{text,wrap,size,weight,color,isSubtle},
 *     FactSet{facts:[{title,value}]}); no Action.Submit (unsupported there);
 *   - a connector answers 200 with "1" on success and, throttled, may answer 2xx with
 *     "Microsoft Teams endpoint returned HTTP error 429" in the body instead of a 429.
 */

export const TEAMS_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';

const COLOR: Record<string, string> = { critical: 'Attention', warning: 'Warning', info: 'Accent' };

/** The Teams message for an alert: one Adaptive Card with the alert, the account's facts and the task. */
export function teamsMessage(notice: AlertNotice): Record<string, unknown> {
  const { alert, task, account } = notice;
  const facts = [
    { title: 'Account', value: account.name && account.name !== account.id ? `${account.name} (${account.id})` : account.id },
    account.csmOwner ? { title: 'CSM', value: account.csmOwner } : null,
    account.band ? { title: 'Health', value: `${account.band}${account.score !== null ? ` (${account.score})` : ''}` } : null,
    account.arr !== null ? { title: 'ARR', value: String(account.arr) } : null,
    { title: 'Severity', value: alert.severity },
  ].filter((f): f is { title: string; value: string } => f !== null);
  const body: Record<string, unknown>[] = [
    { type: 'TextBlock', text: alert.title, size: 'Large', weight: 'Bolder', wrap: true, color: COLOR[alert.severity] ?? 'Default' },
    { type: 'TextBlock', text: alert.reason, wrap: true },
    { type: 'FactSet', facts },
  ];
  if (task) {
    body.push({
      type: 'TextBlock', wrap: true,
      text: `Task (${task.priority}): ${task.title} — ${task.assignee ? `assigned to ${task.assignee}` : 'unassigned'}, due ${task.dueAt.slice(0, 10)}`,
    });
  }
  body.push({ type: 'TextBlock', text: `Cairn playbook ${alert.playbookName ?? alert.playbookId} · alert ${alert.id}`, isSubtle: true, size: 'Small', wrap: true });
  return {
    type: 'message',
    attachments: [{ contentType: TEAMS_CARD_CONTENT_TYPE, contentUrl: null, content: { $schema: ADAPTIVE_CARD_SCHEMA, type: 'AdaptiveCard', version: '1.2', body } }],
  };
}

/**
 * Teams' answers: 2xx delivers unless the body reports throttling; throttling (429), timeouts
 * (408), server errors and no answer at all are retried; any other 4xx (a deleted webhook, a
 * payload refused) will not work on a retry either; a refused target never works.
 */
export function teamsSendResult(answer: HttpAnswer): SendResult {
  if (answer.refused) return { sent: false, permanent: true };
  const s = answer.statusCode;
  if (s === null) return { sent: false, permanent: false };
  if (s >= 200 && s < 300) return /HTTP error 429/.test(answer.text) ? { sent: false, permanent: false } : { sent: true };
  return { sent: false, permanent: s >= 400 && s < 500 && s !== 408 && s !== 429 };
}

/** The URL as shown: an incoming webhook carries its tokens in the path, a Workflows URL in `sig`, so only the first path segment stays. */
export function maskTeamsUrl(raw: string): string {
  const masked = maskUrl(raw);
  try {
    const u = new URL(masked);
    const [, first, ...rest] = u.pathname.split('/');
    if (rest.length) u.pathname = `/${first}/${rest.map(() => '***').join('/')}`;
    return u.toString();
  } catch {
    return masked;
  }
}

export const teamsChannel: ChannelFactory = (context): AlertChannel => ({
  kind: 'teams',
  signing: 'optional',
  needsAccountOwner: false,
  validate: (settings) => urlChannelProblems(settings, context, 'Teams'),
  target: (settings) => ({ url: settings.url!, emailTo: null }),
  describe: (target) => (target.url === null ? null : maskTeamsUrl(target.url)),
  logTarget: (d) => safeHost(d.url),
  render: (notice) => JSON.stringify(teamsMessage(notice)),
  async send(d) {
    const answer = await postAlert(d, context);
    const result = teamsSendResult(answer);
    const error = result.sent ? null : (httpError(answer) ?? `throttled: ${answer.text}`);
    return { statusCode: answer.statusCode, error, result };
  },
});
