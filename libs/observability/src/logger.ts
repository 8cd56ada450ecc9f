import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

/** Keys whose values never reach a log line. */
export const REDACTED_KEYS = [
  'authorization', 'password', 'secret', 'token', 'writeKey', 'apiKey', 'cookie',
];

const redactPaths = REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k.toLowerCase()}`]);

let root: Logger | undefined;
let settings = { service: 'cairn', level: process.env.LOG_LEVEL ?? 'info' };

/** Set by bootstrapService() from the service's validated configuration, before it logs. */
export function configureLogging(options: { service: string; level: string }): void {
  settings = { ...options };
  root = undefined;
}

/** The process' root logger: JSON lines on stdout, secrets redacted. */
export function rootLogger(): Logger {
  if (!root) {
    root = pino({
      level: settings.level,
      base: { service: settings.service, pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    });
  }
  return root;
}

export function createLogger(component: string): Logger {
  return rootLogger().child({ component });
}

/** Nest's logger interface on top of pino, so framework messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  private readonly logger = rootLogger();

  log(message: unknown, context?: string) { this.write('info', message, context); }
  error(message: unknown, stack?: string, context?: string) {
    this.logger.error({ context, stack }, String(message));
  }
  warn(message: unknown, context?: string) { this.write('warn', message, context); }
  debug(message: unknown, context?: string) { this.write('debug', message, context); }
  verbose(message: unknown, context?: string) { this.write('trace', message, context); }
  fatal(message: unknown, context?: string) { this.write('fatal', message, context); }

  private write(level: 'info' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, context?: string) {
    if (typeof message === 'object' && message !== null) this.logger[level]({ context, ...message });
    else this.logger[level]({ context }, String(message));
  }
}
