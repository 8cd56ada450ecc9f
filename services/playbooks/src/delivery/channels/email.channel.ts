import { Mailer, toMailError } from '@cairn/mail';
import { AlertEmail, alertEmail } from '../../domain/alert-payloads';
import { emailRecipientsProblem, resolveEmailRecipients } from '../../domain/email-recipients';
import { AlertChannel, ChannelAttempt, ChannelFactory } from './alert-channel';

/**
 * Plain-text email through SMTP_URL. Recipients are resolved at send time ("owner" is whoever
 * owns the account then); the status code is the SMTP reply. The Message-ID is the delivery's,
 * so a resend after a crash is recognisable as the same message.
 */
export const emailChannel: ChannelFactory = ({ config, requestTimeoutMs }): AlertChannel => {
  const mailer = config.SMTP_URL
    ? new Mailer({ url: config.SMTP_URL, from: config.PLAYBOOKS_EMAIL_FROM, clientName: 'cairn-playbooks', maxConnections: 4, timeoutMs: requestTimeoutMs })
    : undefined;
  return {
    kind: 'email',
    signing: 'none',
    needsAccountOwner: true,
    async validate(settings) {
      if (settings.to === undefined) return [emailRecipientsProblem(undefined) ?? 'to: required'];
      const problems: string[] = [];
      if (settings.url !== undefined) problems.push('url: email channels send to "to", not to a URL');
      if (settings.secret !== undefined) problems.push('secret: only webhook and Slack channels are signed');
      if (!config.SMTP_URL) problems.push('type: email channels need SMTP_URL to be configured on the playbooks service');
      return problems;
    },
    target: (settings) => ({ url: null, emailTo: settings.to! }),
    describe: () => null,
    logTarget: () => 'email',
    render: (notice) => JSON.stringify(alertEmail(notice)),
    async send(d): Promise<ChannelAttempt> {
      if (!mailer) return { statusCode: null, error: 'SMTP_URL is not configured on the playbooks service', result: { sent: false, permanent: false } };
      const recipients = resolveEmailRecipients(d.emailTo ?? [], d.csmOwner);
      if (recipients.outcome !== 'send') return { statusCode: null, error: recipients.reason, result: { sent: false, permanent: recipients.outcome === 'fail' } };
      const email = JSON.parse(d.body) as AlertEmail;
      try {
        const sent = await mailer.send({
          to: recipients.to, subject: email.subject, text: email.text, messageId: `<${d.id}@cairn.playbooks>`,
          headers: { 'X-Cairn-Alert': d.alertId, 'X-Cairn-Delivery': d.id },
        });
        const notes = [recipients.note, sent.rejected.length ? `refused by the server: ${sent.rejected.join(', ')}` : undefined].filter(Boolean);
        return { statusCode: sent.responseCode, error: notes.length ? notes.join('; ') : null, result: { sent: true } };
      } catch (e) {
        const err = toMailError(e);
        return { statusCode: err.responseCode, error: err.message, result: { sent: false, permanent: err.permanent } };
      }
    },
    close: () => mailer?.close(),
  };
};
