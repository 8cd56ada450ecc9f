import { buildEmail, dotStuff } from './email-message';

describe('email messages', () => {
  it('builds a plain-text UTF-8 message with encoded non-ASCII headers', () => {
    const raw = buildEmail({ from: 'surveys@vendor.example', to: 'ana@acme.example', subject: 'Votre avis compte — NPS', text: 'Bonjour Ana,\nhttps://x.example/a?token=sv1.abc', date: new Date(0), messageId: 'm1' });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toContain('Subject: =?UTF-8?B?');
    expect(head).toContain('Message-ID: <m1@vendor.example>');
    expect(head).toContain('Content-Transfer-Encoding: base64');
    expect(Buffer.from(body.replace(/\r\n/g, ''), 'base64').toString('utf8')).toBe('Bonjour Ana,\r\nhttps://x.example/a?token=sv1.abc');
  });

  it('keeps header injection out of the headers', () => {
    const raw = buildEmail({ from: 'a@b.example', to: 'x@y.example\r\nBcc: all@y.example', subject: 's', text: 't' });
    expect(raw.split('\r\n')).not.toContain('Bcc: all@y.example');
  });

  it('doubles a leading dot on any line (SMTP transparency)', () => {
    expect(dotStuff('.a\r\nb\r\n.c')).toBe('..a\r\nb\r\n..c');
  });
});
