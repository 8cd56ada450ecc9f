import { isInfrastructureError, RethrowRpcFilter } from '@cairn/messaging';
import { createLogger } from '@cairn/observability';
import { ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Observable } from 'rxjs';

/** Seconds a client is told to wait while the database (or broker) is unreachable. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * PostgreSQL SQLSTATEs that mean "the input was wrong", not "the server failed": a value out of
 * range, of the wrong type, too long, null where a value is needed, or breaking a check.
 */
const INPUT_SQLSTATE: Record<string, number> = {
  '22001': 400, // string_data_right_truncation
  '22003': 400, // numeric_value_out_of_range
  '22007': 400, // invalid_datetime_format
  '22008': 400, // datetime_field_overflow
  '22021': 400, // character_not_in_repertoire (NUL in text)
  '22P02': 400, // invalid_text_representation
  '22P05': 400, // untranslatable_character (\u0000 in jsonb)
  '23502': 400, // not_null_violation
  '23514': 400, // check_violation
  '23503': 409, // foreign_key_violation
  '23505': 409, // unique_violation
};

export interface HttpErrorAnswer {
  status: number;
  body: { statusCode: number; error: string; message: string };
  retryAfterSeconds?: number;
}

/**
 * What an error that reached no handler's own answer means for the client: the database being
 * away is a 503 with Retry-After (as /health says), bad input PostgreSQL refused is a 4xx naming
 * the column or value, anything else a 500. Undefined for Nest's own HttpExceptions.
 */
export function answerFor(error: unknown): HttpErrorAnswer | undefined {
  if (error instanceof HttpException) return undefined;
  if (isInfrastructureError(error)) {
    return {
      status: 503, retryAfterSeconds: RETRY_AFTER_SECONDS,
      body: { statusCode: 503, error: 'Service Unavailable', message: 'the database is unreachable; retry shortly' },
    };
  }
  const pg = (error as { driverError?: { code?: string; column?: string; detail?: string; message?: string } })?.driverError;
  const status = pg?.code ? INPUT_SQLSTATE[pg.code] : undefined;
  if (pg && status) {
    const where = pg.column ? `${pg.column}: ` : '';
    return {
      status,
      body: { statusCode: status, error: status === 409 ? 'Conflict' : 'Bad Request', message: `${where}${pg.message ?? 'invalid value'}${pg.detail ? ` (${pg.detail})` : ''}` },
    };
  }
  return undefined;
}

/**
 * The one exception filter of every service: RPC (Kafka) errors pass through unchanged, as in
 * RethrowRpcFilter; HTTP errors get `answerFor`, else Nest's usual handling (HttpExceptions, or a
 * logged 500).
 */
@Catch()
export class ServiceExceptionFilter extends RethrowRpcFilter {
  private readonly log = createLogger('http');

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const answer = host.getType() === 'http' ? answerFor(exception) : undefined;
    if (!answer) {
      if (host.getType() === 'http' && !(exception instanceof HttpException)) {
        this.log.error({ error: (exception as Error)?.message, stack: (exception as Error)?.stack }, 'unhandled error');
      }
      return super.catch(exception, host);
    }
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (answer.retryAfterSeconds) reply.header('retry-after', String(answer.retryAfterSeconds));
    reply.status(answer.status).send(answer.body);
  }
}
