import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { FixedWindowRateLimiter } from '../domain/rate-limiter';
import { SurveysConfig } from '../config';

/**
 * Limits the public survey endpoints: requests per client address, and answers per personal
 * link. Over the limit: 429 with Retry-After. Limits are per instance (kept in memory).
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly perClient: FixedWindowRateLimiter;
  private readonly perLink: FixedWindowRateLimiter;

  constructor(config: SurveysConfig) {
    this.perClient = new FixedWindowRateLimiter(config.SURVEY_PUBLIC_RATE_LIMIT_PER_MINUTE);
    this.perLink = new FixedWindowRateLimiter(config.SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest();
    const now = Date.now();
    this.check(this.perClient.take(`ip:${request.ip}`, now), http.getResponse(), 'too many requests from this address');
    const token = request.method === 'POST' ? request.body?.token : undefined;
    if (typeof token === 'string') {
      const key = createHash('sha256').update(token).digest('base64url').slice(0, 22);
      this.check(this.perLink.take(`link:${key}`, now), http.getResponse(), 'too many answers through this link');
    }
    return true;
  }

  private check(r: { allowed: boolean; retryAfterSeconds: number }, reply: { header(k: string, v: string): unknown }, what: string): void {
    if (r.allowed) return;
    reply.header('retry-after', String(r.retryAfterSeconds));
    throw new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `${what}; try again in ${r.retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
