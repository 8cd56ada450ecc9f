import { randomBytes } from 'node:crypto';

export interface EmailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  date?: Date;
  messageId?: string;
}

function encodeHeader(value: string): string {
  // Headers are ASCII; anything else goes as an RFC 2047 encoded word.
  const clean = value.replace(/[\r\n]+/g, ' ');
  return /^[\x20-\x7e]*$/.test(clean) ? clean : `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?=`;
}

/** An RFC 5322 message (CRLF lines), plain UTF-8 text, base64 body so any line length and script travel safely. */
export function buildEmail(m: EmailMessage): string {
  const domain = m.from.split('@')[1]?.replace(/[^A-Za-z0-9.-]/g, '') || 'cairn.local';
  const body = Buffer.from(m.text.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64').replace(/(.{76})/g, '$1\r\n');
  return [
    `From: ${encodeHeader(m.from)}`,
    `To: ${encodeHeader(m.to)}`,
    `Subject: ${encodeHeader(m.subject)}`,
    `Date: ${(m.date ?? new Date()).toUTCString()}`,
    `Message-ID: <${m.messageId ?? randomBytes(12).toString('hex')}@${domain}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    body,
  ].join('\r\n');
}

/** SMTP transparency (RFC 5321 §4.5.2): a line starting with "." gets another. */
export function dotStuff(data: string): string {
  return data.replace(/(^|\r\n)\./g, '$1..');
}
