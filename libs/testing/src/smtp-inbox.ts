import type { AddressInfo } from 'node:net';
import type { SMTPServer, SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  /** SMTP envelope sender and recipients (MAIL FROM / RCPT TO). */
  from: string;
  to: string[];
  /** Header names lower-cased, values unfolded and decoded (RFC 2047). */
  headers: Record<string, string>;
  /** The text/plain body, decoded. */
  text: string;
  html?: string;
  raw: string;
  at: number;
}

/**
 * For tests only: a real SMTP server (the `smtp-server` package, a dev dependency loaded only
 * when started) on 127.0.0.1 that accepts every message and keeps it, decoded, so a test can
 * read an email back. No TLS, no authentication. `reject` refuses chosen recipients with 550.
 */
export class SmtpTestInbox {
  readonly messages: ReceivedMail[] = [];
  /** Recipients answered with `550 mailbox unavailable`. */
  reject: (address: string) => boolean = () => false;
  private server?: SMTPServer;

  async start(options: Partial<SMTPServerOptions> = {}): Promise<this> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SMTPServer: Server } = require('smtp-server') as typeof import('smtp-server');
    const server = new Server({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.reject(address.address)) {
          const e = new Error('mailbox unavailable') as Error & { responseCode: number };
          e.responseCode = 550;
          return callback(e);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          this.messages.push({
            ...parseMessage(raw),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw, at: Date.now(),
          });
          callback();
        });
      },
      ...options,
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${(this.server!.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

type Part = { headers: Record<string, string>; body: string };

/** Enough MIME for what nodemailer writes: headers, base64 / quoted-printable, one multipart level. */
export function parseMessage(raw: string): { headers: Record<string, string>; text: string; html?: string } {
  const top = splitPart(raw);
  const type = top.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  const parts = /^multipart\//i.test(type) && boundary
    ? top.body.split(`--${boundary}`).slice(1).filter((p) => !p.startsWith('--')).map((p) => splitPart(p.replace(/^\r\n/, '')))
    : [top];
  const decoded = (p?: Part) => (p ? decodeBody(p.body, p.headers['content-transfer-encoding'], p.headers['content-type']) : undefined);
  const text = decoded(parts.find((p) => /^text\/plain/i.test(p.headers['content-type'] ?? 'text/plain'))) ?? '';
  const html = decoded(parts.find((p) => /^text\/html/i.test(p.headers['content-type'] ?? '')));
  return { headers: top.headers, text, ...(html !== undefined ? { html } : {}) };
}

function splitPart(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim().toLowerCase()] = decodeWords(line.slice(c + 1).trim());
  }
  return { headers, body: split < 0 ? '' : raw.slice(split + 4) };
}

function charsetOf(contentType?: string): BufferEncoding {
  return /charset="?(utf-?8)"?/i.test(contentType ?? '') || !contentType ? 'utf8' : 'latin1';
}

function decodeBody(body: string, encoding = '7bit', contentType?: string): string {
  const e = encoding.toLowerCase();
  if (e === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString(charsetOf(contentType));
  if (e === 'quoted-printable') return qpDecode(body).toString(charsetOf(contentType)).replace(/\r\n$/, '');
  return body.replace(/\r\n$/, '');
}

function qpDecode(s: string): Buffer {
  const bytes: number[] = [];
  const text = s.replace(/=\r\n/g, '');
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i], 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 encoded words (=?UTF-8?B?…?= and =?UTF-8?Q?…?=), adjacent ones joined. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset: string, kind: string, data: string) => {
      const buf = kind.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : qpDecode(data.replace(/_/g, ' '));
      return buf.toString(/utf-?8/i.test(charset) ? 'utf8' : 'latin1');
    });
}
