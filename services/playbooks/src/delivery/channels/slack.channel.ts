import { slackBody } from '../../domain/alert-payloads';
import { AlertChannel, ChannelFactory } from './alert-channel';
import { maskUrl, safeHost, sendToReceiver, urlChannelProblems } from './http-post';

/** A Slack incoming webhook: a Block Kit message. The URL's last path segment is its token, so it is masked. */
export const slackChannel: ChannelFactory = (context): AlertChannel => ({
  kind: 'slack',
  signing: 'optional',
  needsAccountOwner: false,
  validate: (settings) => urlChannelProblems(settings, context, 'webhook and Slack'),
  target: (settings) => ({ url: settings.url!, emailTo: null }),
  describe: (target) => (target.url === null ? null : maskUrl(target.url, { pathTail: true })),
  logTarget: (d) => safeHost(d.url),
  render: (notice) => JSON.stringify(slackBody(notice)),
  send: (d) => sendToReceiver(d, context),
});
