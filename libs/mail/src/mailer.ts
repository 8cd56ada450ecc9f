import { createTransport, Transporter } from 'nodemailer';
import { parseSmtpUrl } from './smtp-url';

export interface MailMessage {
  /** Defaults to the mailer's `from`. */
  from?: string;
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  /** Extra headers (e.g. X-Cairn-Alert); nodemailer encodes and folds them. */
  headers?: Record<string, string>;
  /** `<id@domain>`; a stable one lets a resent message be recognised as the same. */
  messageId?: string;
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  /** Recipients the server refused while it accepted others. */
  rejected: string[];
  /** The server's final reply code (250 on success). */
  responseCode: number | null;
}

export interface MailerOptions {
  /** smtp://[user:pass@]host[:port] or smtps://… */
  url: string;
  /** Default sender. */
  from: string;
  /** Name announced in EHLO. */
  clientName?: string;
  /** Connections kept open and reused; sends beyond this wait for a free connection. */
  maxConnections?: number;
  /** Connecting, the greeting and each reply must each come within this time. */
  timeoutMs?: number;
}

/**
 * Why a message was not sent. `permanent` when the server refused it for good (a 5xx reply,
 * e.g. an unknown mailbox): retrying the same message cannot help. Connection problems,
 * timeouts and 4xx replies are temporary. The message never contains credentials.
 */
export class MailError extends Error {
  constructor(message: string, readonly permanent: boolean, readonly responseCode: number | null, readonly code?: string) {
    super(message);
    this.name = 'MailError';
  }
}

const ADDRESS = /^[^\s<>@,;:"]+@[^\s<>@,;:"]+\.?[^\s<>@,;:"]*$/;

/** A plain address (local@domain), as accepted for recipients and senders. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 320 && ADDRESS.test(value);
}

/**
 * Sends email through one SMTP relay (Postfix, SES, Mailgun, a test server…) with nodemailer:
 * a small pool of reused connections, STARTTLS when offered (required when credentials are
 * given), UTF-8 text, encoded headers.
 */
export class Mailer {
  private readonly transport: Transporter;

  constructor(private readonly options: MailerOptions) {
    const smtp = parseSmtpUrl(options.url);
    const timeout = options.timeoutMs ?? 15_000;
    this.transport = createTransport({
      pool: true,
      maxConnections: options.maxConnections ?? 3,
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      requireTLS: smtp.requireTLS,
      ...(smtp.auth ? { auth: smtp.auth } : {}),
      name: options.clientName,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      disableFileAccess: true,
      disableUrlAccess: true,
    });
  }

  get from(): string {
    return this.options.from;
  }

  /** Hands one message to the relay; resolves when the relay accepted it for at least one recipient. */
  async send(message: MailMessage): Promise<SentMail> {
    const to = Array.isArray(message.to) ? message.to : [message.to];
    const from = message.from ?? this.options.from;
    for (const address of [from, ...to]) {
      if (!isEmailAddress(address)) throw new MailError(`not a deliverable email address: ${JSON.stringify(address)}`, true, null, 'EADDRESS');
    }
    if (to.length === 0) throw new MailError('a message needs at least one recipient', true, null, 'EADDRESS');
    try {
      const info = await this.transport.sendMail({
        from, to, subject: message.subject, text: message.text, ...(message.html ? { html: message.html } : {}),
        headers: message.headers,
        ...(message.messageId ? { messageId: message.messageId } : {}),
        // No attachments or remote content are ever pulled into a message.
        disableFileAccess: true, disableUrlAccess: true,
      });
      return {
        messageId: info.messageId,
        accepted: (info.accepted ?? []).map(String),
        rejected: (info.rejected ?? []).map(String),
        responseCode: replyCode(info.response),
      };
    } catch (e) {
      throw toMailError(e);
    }
  }

  /** Closes the pooled connections. */
  close(): void {
    this.transport.close();
  }
}

function replyCode(response: unknown): number | null {
  const m = typeof response === 'string' ? /^(\d{3})/.exec(response) : null;
  return m ? Number(m[1]) : null;
}

export function toMailError(e: unknown): MailError {
  if (e instanceof MailError) return e;
  const err = e as Error & { code?: string; responseCode?: number; response?: string; command?: string };
  const responseCode = typeof err?.responseCode === 'number' ? err.responseCode : null;
  // Authentication and TLS failures are fixed in the configuration, not in the message: keep retrying.
  const configuration = err?.code === 'EAUTH' || err?.code === 'ETLS';
  const permanent = responseCode !== null && responseCode >= 500 && !configuration;
  const reply = err?.response && err.code !== 'EAUTH' ? `: ${String(err.response).slice(0, 300)}` : '';
  const what = err?.code === 'EAUTH' ? 'SMTP authentication failed'
    : err?.code === 'ETLS' ? 'cannot secure the SMTP connection (credentials are only sent over TLS: use smtps:// or a server that offers STARTTLS)'
    : err?.code === 'ETIMEDOUT' ? 'the SMTP server did not answer in time'
    : err?.code === 'ECONNECTION' || err?.code === 'ESOCKET' || err?.code === 'EDNS' ? `cannot reach the SMTP server (${describeCause(err)})`
    : `SMTP ${err?.command ? `${err.command} ` : ''}failed${responseCode ? ` with ${responseCode}` : ''}`;
  return new MailError(`${what}${reply}`, permanent, responseCode, err?.code);
}

function describeCause(err: Error & { code?: string }): string {
  // nodemailer's socket messages name host and port, never credentials.
  return (err.message || err.code || 'connection failed').replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@').slice(0, 200);
}
