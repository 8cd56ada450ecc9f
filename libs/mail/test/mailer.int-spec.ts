import { Mailer, MailError } from '@cairn/mail';
import { SmtpTestInbox } from '@cairn/testing';

/** The mailer against a real SMTP server (smtp-server), in this process. */
describe('mail: sending through an SMTP relay', () => {
  const inbox = new SmtpTestInbox();
  let mailer: Mailer;

  beforeAll(async () => {
    await inbox.start();
    mailer = new Mailer({ url: inbox.url, from: 'alerts@vendor.example', timeoutMs: 5000 });
  });
  afterAll(async () => {
    mailer?.close();
    await inbox.stop();
  });

  it('delivers a UTF-8 subject and text with long lines intact', async () => {
    const link = `https://x.example/s?token=${'a'.repeat(200)}`;
    const sent = await mailer.send({ to: ['ana@acme.example', 'bo@acme.example'], subject: 'Votre avis compte — NPS', text: `Bonjour Ana,\n\n.${link}\nÉté` });
    expect(sent).toMatchObject({ accepted: ['ana@acme.example', 'bo@acme.example'], rejected: [], responseCode: 250 });
    const mail = inbox.messages.find((m) => m.headers['message-id']?.includes(sent.messageId.replace(/[<>]/g, '')))!;
    expect(mail.from).toBe('alerts@vendor.example');
    expect(mail.to).toEqual(['ana@acme.example', 'bo@acme.example']);
    expect(mail.headers.subject).toBe('Votre avis compte — NPS');
    expect(mail.text).toBe(`Bonjour Ana,\n\n.${link}\nÉté`.replace(/\n/g, '\r\n'));
  });

  it('keeps a header injection attempt out of the headers', async () => {
    await expect(mailer.send({ to: 'x@y.example\r\nBcc: all@y.example', subject: 's', text: 't' })).rejects.toMatchObject({ permanent: true });
    const sent = await mailer.send({ to: 'x@y.example', subject: 'hello\r\nBcc: all@y.example', text: 't' });
    const mail = inbox.messages.find((m) => m.raw.includes(sent.messageId.replace(/[<>]/g, '')))!;
    expect(mail.to).toEqual(['x@y.example']);
    expect(mail.raw.split('\r\n')).not.toContain('Bcc: all@y.example');
  });

  it('reports a refused recipient as a permanent failure', async () => {
    inbox.reject = (a) => a === 'gone@acme.example';
    try {
      const error = await mailer.send({ to: 'gone@acme.example', subject: 's', text: 't' }).then(() => undefined, (e) => e);
      expect(error).toBeInstanceOf(MailError);
      expect(error).toMatchObject({ permanent: true, responseCode: 550 });
      const partly = await mailer.send({ to: ['gone@acme.example', 'ana@acme.example'], subject: 's', text: 't' });
      expect(partly).toMatchObject({ accepted: ['ana@acme.example'], rejected: ['gone@acme.example'] });
    } finally {
      inbox.reject = () => false;
    }
  });

  it('refuses to send credentials to a server that offers no STARTTLS', async () => {
    const withPassword = new Mailer({ url: inbox.url.replace('smtp://', 'smtp://user:hunter2@'), from: 'alerts@vendor.example', timeoutMs: 5000 });
    try {
      const error = await withPassword.send({ to: 'ana@acme.example', subject: 's', text: 't' }).then(() => undefined, (e) => e);
      expect(error).toBeInstanceOf(MailError);
      expect(error).toMatchObject({ permanent: false, message: expect.stringMatching(/^cannot secure the SMTP connection/) });
      expect(error.message).not.toContain('hunter2');
      expect(inbox.messages.filter((m) => m.raw.includes('hunter2'))).toEqual([]);
    } finally {
      withPassword.close();
    }
  });

  it('names an unreachable server as a temporary failure', async () => {
    const nowhere = new Mailer({ url: 'smtp://127.0.0.1:1', from: 'alerts@vendor.example', timeoutMs: 2000 });
    try {
      await expect(nowhere.send({ to: 'ana@acme.example', subject: 's', text: 't' })).rejects.toMatchObject({
        permanent: false, message: expect.stringMatching(/^cannot reach the SMTP server/),
      });
    } finally {
      nowhere.close();
    }
  });
});
