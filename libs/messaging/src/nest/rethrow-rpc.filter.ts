import { ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { Observable, throwError } from 'rxjs';

/**
 * Nest's default RPC filter turns every error into "Internal server error". The Kafka
 * transport needs the original error to classify it and to write it into dead-letter headers,
 * so RPC errors pass through unchanged; HTTP errors get Nest's usual handling.
 */
@Catch()
export class RethrowRpcFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    if (host.getType() === 'rpc') return throwError(() => exception);
    return super.catch(exception, host);
  }
}
