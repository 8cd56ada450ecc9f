import { ValidateBy, ValidationArguments } from 'class-validator';

/** What `SMTP_URL` must look like; checked by each service's configuration at start-up. */
export const SMTP_URL_PATTERN = /^smtps?:\/\/\S+$/;

export const SMTP_URL_HELP = 'smtp://[user:pass@]host[:port] (STARTTLS when the server offers it) or smtps://… (TLS from the start, port 465)';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the first byte (smtps://). */
  secure: boolean;
  /** Credentials are never sent in clear text: with a user, smtp:// must upgrade with STARTTLS. */
  requireTLS: boolean;
  auth?: { user: string; pass: string };
}

/**
 * The problem with an SMTP_URL value, or undefined when it is usable. The message never
 * repeats the value: it may hold a password.
 */
export function smtpUrlProblem(value: string): string | undefined {
  if (!SMTP_URL_PATTERN.test(value)) return `must be ${SMTP_URL_HELP} (value not shown: it may hold a password)`;
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return `is not a valid URL; expected ${SMTP_URL_HELP} (value not shown: it may hold a password)`;
  }
  if (!u.hostname) return 'has no host name';
  if (u.port && (Number(u.port) < 1 || Number(u.port) > 65535)) return 'has an invalid port';
  if (u.password && !u.username) return 'has a password but no user name';
  return undefined;
}

/** Parses SMTP_URL into transport settings; throws (without echoing the value) when it is unusable. */
export function parseSmtpUrl(value: string): SmtpSettings {
  const problem = smtpUrlProblem(value);
  if (problem) throw new Error(`SMTP_URL ${problem}`);
  const u = new URL(value);
  const secure = u.protocol === 'smtps:';
  const user = decodeURIComponent(u.username);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port || (secure ? 465 : 25)),
    secure,
    requireTLS: !secure && user.length > 0,
    ...(user ? { auth: { user, pass: decodeURIComponent(u.password) } } : {}),
  };
}

/** The URL for logs: the password replaced by ***. */
export function maskSmtpUrl(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

/** Configuration decorator: the value is a usable SMTP_URL; the message never repeats the value. */
export function IsSmtpUrl(): PropertyDecorator {
  return ValidateBy({
    name: 'isSmtpUrl',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && smtpUrlProblem(value) === undefined,
      defaultMessage: (args?: ValidationArguments) => smtpUrlProblem(String(args?.value ?? '')) ?? 'is invalid',
    },
  });
}
