import { webhookBody } from '../../domain/alert-payloads';
import { AlertChannel, ChannelFactory } from './alert-channel';
import { maskUrl, safeHost, sendToReceiver, urlChannelProblems } from './http-post';

/** A generic HTTPS endpoint: the alert, its task and the account as JSON, HMAC-signed (X-Cairn-Signature). */
export const webhookChannel: ChannelFactory = (context): AlertChannel => ({
  kind: 'webhook',
  signing: 'generated',
  needsAccountOwner: false,
  validate: (settings) => urlChannelProblems(settings, context, 'webhook and Slack'),
  target: (settings) => ({ url: settings.url!, emailTo: null }),
  describe: (target) => (target.url === null ? null : maskUrl(target.url)),
  logTarget: (d) => safeHost(d.url),
  render: (notice) => JSON.stringify(webhookBody(notice)),
  send: (d) => sendToReceiver(d, context),
});
