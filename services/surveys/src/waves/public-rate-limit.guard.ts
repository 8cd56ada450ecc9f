import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { SurveysConfig } from '../config';
import { PublicRateLimitStore } from './public-rate-limit.store';

/**
 * Limits the public survey endpoints: requests per client address, and answers per personal
 * link. Over the limit: 429 with Retry-After. The counters live in PostgreSQL (PublicRateLimitStore, the public_rate_limit table's store),
 * so the limits hold across instances; keys are hashed before they are stored.
 */
@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  constructor(private readonly config: SurveysConfig, private readonly limiter: PublicRateLimitStore) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest();
    this.check(await this.limiter.take(`ip:${request.ip}`, this.config.SURVEY_PUBLIC_RATE_LIMIT_PER_MINUTE), http.getResponse(), 'too many requests from this address');
    const token = request.method === 'POST' ? request.body?.token : undefined;
    if (typeof token === 'string') {
      this.check(await this.limiter.take(`link:${token}`, this.config.SURVEY_ANSWER_RATE_LIMIT_PER_MINUTE), http.getResponse(), 'too many answers through this link');
    }
    return true;
  }

  private check(r: { allowed: boolean; retryAfterSeconds: number }, reply: { header(k: string, v: string): unknown }, what: string): void {
    if (r.allowed) return;
    reply.header('retry-after', String(r.retryAfterSeconds));
    throw new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `${what}; try again in ${r.retryAfterSeconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
