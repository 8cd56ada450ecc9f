import { connect as netConnect, Socket } from 'node:net';
import { connect as tlsConnect, TLSSocket } from 'node:tls';
import { dotStuff } from './email-message';

export class SmtpError extends Error {
  constructor(message: string, readonly code?: number) {
    super(message);
    this.name = 'SmtpError';
  }
}

interface Reply { code: number; lines: string[] }

/**
 * A small SMTP client (RFC 5321) on node:net: EHLO, STARTTLS when offered, AUTH PLAIN only
 * over TLS, one message per connection. `url` is smtp://[user:pass@]host[:port] or
 * smtps://… (implicit TLS, port 465). Enough to hand mail to a relay (Postfix, SES, Mailgun…).
 */
export async function sendMail(url: string, envelope: { from: string; to: string }, data: string, timeoutMs = 15_000): Promise<void> {
  for (const address of [envelope.from, envelope.to]) {
    if (!/^[^\s<>@]+@[^\s<>@]+$/.test(address)) throw new SmtpError(`not a deliverable email address: ${JSON.stringify(address)}`);
  }
  const u = new URL(url);
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new SmtpError(`SMTP_URL must start with smtp:// or smtps:// (got ${u.protocol})`);
  const host = u.hostname;
  const implicitTls = u.protocol === 'smtps:';
  const port = Number(u.port || (implicitTls ? 465 : 25));
  const conn = new SmtpConnection(implicitTls ? tlsConnect({ host, port, servername: host }) : netConnect({ host, port }), timeoutMs);
  try {
    await conn.expect(await conn.reply(), [220], 'greeting');
    let ehlo = await conn.command('EHLO cairn-surveys', [250]);
    if (!conn.secure && ehlo.lines.some((l) => /^STARTTLS\b/i.test(l))) {
      await conn.command('STARTTLS', [220]);
      conn.upgrade(host);
      ehlo = await conn.command('EHLO cairn-surveys', [250]);
    }
    if (u.username) {
      if (!conn.secure) throw new SmtpError('refusing to send SMTP credentials over an unencrypted connection (the server offers no STARTTLS; use smtps://)');
      const plain = Buffer.from(`\0${decodeURIComponent(u.username)}\0${decodeURIComponent(u.password)}`).toString('base64');
      await conn.command(`AUTH PLAIN ${plain}`, [235]);
    }
    await conn.command(`MAIL FROM:<${envelope.from}>`, [250]);
    await conn.command(`RCPT TO:<${envelope.to}>`, [250, 251]);
    await conn.command('DATA', [354]);
    await conn.command(`${dotStuff(data)}\r\n.`, [250]);
    await conn.command('QUIT', [221]).catch(() => undefined);
  } finally {
    conn.close();
  }
}

class SmtpConnection {
  private buffer = '';
  private lines: string[] = [];
  private waiting?: { resolve: (r: Reply) => void; reject: (e: Error) => void };
  private failure?: Error;
  private socket: Socket | TLSSocket;
  private readonly onData = (chunk: Buffer) => { this.buffer += chunk.toString('utf8'); this.drain(); };
  private readonly onError = (e: Error) => this.fail(new SmtpError(`SMTP connection failed: ${e.message}`));
  private readonly onClose = () => this.fail(new SmtpError('SMTP server closed the connection'));

  constructor(socket: Socket | TLSSocket, private readonly timeoutMs: number) {
    this.socket = socket;
    this.attach();
  }

  get secure(): boolean {
    return this.socket instanceof TLSSocket;
  }

  upgrade(servername: string): void {
    this.detach();
    this.socket = tlsConnect({ socket: this.socket, servername });
    this.attach();
  }

  reply(): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new SmtpError(`SMTP server did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
      this.waiting = {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.drain();
    });
  }

  async command(line: string, ok: number[]): Promise<Reply> {
    this.socket.write(`${line}\r\n`);
    return this.expect(await this.reply(), ok, line.startsWith('AUTH') ? 'AUTH' : line.split('\r\n')[0].slice(0, 40));
  }

  expect(reply: Reply, ok: number[], what: string): Reply {
    if (!ok.includes(reply.code)) throw new SmtpError(`SMTP ${what} refused: ${reply.code} ${reply.lines.join(' ')}`, reply.code);
    return reply;
  }

  close(): void {
    this.detach();
    this.socket.destroy();
  }

  private attach(): void {
    this.socket.on('data', this.onData);
    this.socket.on('error', this.onError);
    this.socket.on('close', this.onClose);
  }

  private detach(): void {
    this.socket.off('data', this.onData);
    this.socket.off('error', this.onError);
    this.socket.off('close', this.onClose);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(this.failure);
  }

  /** A reply is one or more lines "250-…" ending with "250 …". */
  private drain(): void {
    let i: number;
    while ((i = this.buffer.indexOf('\r\n')) >= 0) {
      this.lines.push(this.buffer.slice(0, i));
      this.buffer = this.buffer.slice(i + 2);
    }
    if (!this.waiting) return;
    const end = this.lines.findIndex((l) => /^\d{3}( |$)/.test(l));
    if (end < 0) return;
    const replyLines = this.lines.splice(0, end + 1);
    const w = this.waiting;
    this.waiting = undefined;
    w.resolve({ code: Number(replyLines[end].slice(0, 3)), lines: replyLines.map((l) => l.slice(4)) });
  }
}
