import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTrackingPath } from './json-body';

/** Seconds a client is asked to wait after a 503 (the broker did not take its calls). */
export const RETRY_AFTER_SECONDS = 5;
/** Browsers cache a preflight at most this long (Chromium caps it at 2 h). */
const PREFLIGHT_MAX_AGE_SECONDS = 7200;
const DEFAULT_ALLOWED_HEADERS = 'Authorization, Content-Type, Content-Encoding, X-Retry-Count, traceparent';

const corsDenied = Symbol('cairnCorsDenied');

/** Marks a tracking request whose Origin its write key does not allow: the answer carries no CORS grant. */
export function denyCors(request: FastifyRequest): void {
  (request as FastifyRequest & { [corsDenied]?: boolean })[corsDenied] = true;
}

/**
 * HTTP behaviour of the tracking API that browsers and SDKs rely on, as Fastify hooks:
 * - CORS for any origin (a browser page of the customer's product posts here): preflights are
 *   answered at once (they carry no write key), actual requests get the grant unless the
 *   source restricts its origins (write key allowedOrigins; checked once the key is known);
 * - `Retry-After` on every 503, so clients back off and retry the same calls.
 */
@Injectable()
export class TrackingHttpHooks implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify?.addHook) return;
    fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!isTrackingPath(request.url)) return;
      const origin = request.headers.origin;
      if (request.method === 'OPTIONS') {
        const asked = request.headers['access-control-request-headers'];
        reply.code(204).headers({
          'access-control-allow-origin': origin ?? '*',
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': typeof asked === 'string' && asked.trim() !== '' ? asked : DEFAULT_ALLOWED_HEADERS,
          'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
          vary: 'Origin, Access-Control-Request-Headers',
        });
        return reply.send();
      }
      if (origin) {
        reply.headers({ 'access-control-allow-origin': origin, 'access-control-expose-headers': 'Retry-After', vary: 'Origin' });
      }
    });
    fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
      if (!isTrackingPath(request.url)) return payload;
      if ((request as FastifyRequest & { [corsDenied]?: boolean })[corsDenied]) {
        reply.removeHeader('access-control-allow-origin');
        reply.removeHeader('access-control-expose-headers');
      }
      if (reply.statusCode === 503 && !reply.hasHeader('retry-after')) reply.header('retry-after', String(RETRY_AFTER_SECONDS));
      return payload;
    });
  }
}
