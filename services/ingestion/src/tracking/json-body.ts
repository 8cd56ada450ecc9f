import { BadRequestException, HttpException, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { describeJsonError } from '../domain/json-error';
import { decompressBody, parseTrackingBody, RequestBodyError } from '../domain/request-body';
import { MAX_REQUEST_BYTES } from '../domain/segment-call';

/**
 * Bodies up to this size (as sent, and once decompressed) are read so the Segment API can answer
 * "over the 500 KB limit" itself; anything larger is cut off (413) before it is buffered.
 */
export const BODY_READ_LIMIT_BYTES = 4 * MAX_REQUEST_BYTES;

/** Body size in bytes once decompressed, for the per-request limit. */
export function bodyBytes(request: FastifyRequest): number | undefined {
  return (request as FastifyRequest & { cairnBodyBytes?: number }).cairnBodyBytes;
}

/** The Segment tracking API's routes (`/v1/track`, `/v1/t/`, `/v1/batch` …). */
export function isTrackingPath(url: string): boolean {
  return url.startsWith('/v1/');
}

type Parse = (text: string) => unknown;

/**
 * Replaces Fastify's body parsers. On the tracking API every body is read as bytes, decompressed
 * (gzip, deflate, br) and parsed as JSON whatever its Content-Type (see domain/request-body). On
 * the other routes JSON stays JSON only: a syntax error becomes a 400 that says where, another
 * type a 415. Installed at module init so the in-process test apps get it too.
 */
@Injectable()
export class JsonBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addContentTypeParser) return;
    // Fastify's own parser also refuses __proto__ / constructor.prototype poisoning.
    const secureParse = fastify.getDefaultJsonParser('error', 'error');
    const parse: Parse = (text) => {
      let out: unknown;
      let failure: Error | undefined;
      secureParse({} as FastifyRequest, text, (error, value) => {
        failure = error ?? undefined;
        out = value;
      });
      if (failure) {
        throw describeJsonError(text) === 'invalid JSON'
          ? new Error('request body may not contain "__proto__" or "constructor.prototype" keys') : failure;
      }
      return out;
    };
    fastify.removeAllContentTypeParsers();
    const options = { parseAs: 'buffer' as const, bodyLimit: BODY_READ_LIMIT_BYTES };
    const handler = (request: FastifyRequest, body: Buffer, done: (err: Error | null, value?: unknown) => void) => {
      this.decode(request, body, parse).then((v) => done(null, v), (e) => done(e as Error, undefined));
    };
    fastify.addContentTypeParser('application/json', options, handler);
    fastify.addContentTypeParser('*', options, handler);
  }

  private async decode(request: FastifyRequest, raw: Buffer, parse: Parse): Promise<unknown> {
    const contentType = request.headers['content-type'];
    try {
      if (isTrackingPath(request.url)) {
        const body = await decompressBody(raw, request.headers['content-encoding'], BODY_READ_LIMIT_BYTES);
        const decoded = parseTrackingBody(body, contentType, parse);
        (request as FastifyRequest & { cairnBodyBytes?: number }).cairnBodyBytes = decoded.bytes;
        return decoded.value;
      }
      const type = contentType?.split(';')[0].trim().toLowerCase();
      if (type !== 'application/json' && !type?.endsWith('+json')) {
        throw new HttpException({ statusCode: 415, error: 'Unsupported Media Type', message: `Content-Type '${type ?? ''}' is not supported: send application/json` }, 415);
      }
      return parseTrackingBody(raw, 'application/json', parse).value;
    } catch (e) {
      if (e instanceof RequestBodyError) {
        throw e.status === 400 ? new BadRequestException({ success: false, message: e.message })
          : new HttpException({ success: false, message: e.message }, e.status);
      }
      throw e;
    }
  }
}
