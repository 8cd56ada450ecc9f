import { BadRequestException, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeJsonError } from '../domain/json-error';
import { MAX_REQUEST_BYTES } from '../domain/segment-call';

/**
 * Bodies up to this size are read so the Segment API can answer "over the 500 KB limit"
 * itself; anything larger is cut off by Fastify (413) before it is buffered.
 */
export const BODY_READ_LIMIT_BYTES = 4 * MAX_REQUEST_BYTES;

/** Body size in bytes as received, for the per-request limit. */
export function bodyBytes(request: FastifyRequest): number | undefined {
  return (request as FastifyRequest & { cairnBodyBytes?: number }).cairnBodyBytes;
}

/**
 * Replaces the JSON body parser: a syntax error becomes a 400 that says where (line, column),
 * and the size of each body is kept for the limits. Installed at module init so the in-process
 * test apps get it too.
 */
@Injectable()
export class JsonBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addContentTypeParser) return;
    // Fastify's own parser also refuses __proto__ / constructor.prototype poisoning.
    const secureParse = fastify.getDefaultJsonParser('error', 'error');
    fastify.removeContentTypeParser('application/json');
    fastify.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: BODY_READ_LIMIT_BYTES }, (request, body, done) => {
      const text = body as string;
      (request as FastifyRequest & { cairnBodyBytes?: number }).cairnBodyBytes = Buffer.byteLength(text, 'utf8');
      if (text.trim() === '') return done(null, undefined);
      secureParse(request, text, (error, value) => {
        if (!error) return done(null, value);
        const syntax = describeJsonError(text);
        const message = syntax === 'invalid JSON' ? 'request body may not contain "__proto__" or "constructor.prototype" keys' : syntax;
        done(new BadRequestException({ success: false, message }) as unknown as Error, undefined);
      });
    });
  }
}
