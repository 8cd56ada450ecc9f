import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Readable } from 'node:stream';

declare module 'fastify' {
  interface FastifyRequest { rawBody?: Buffer }
}

/**
 * Help-desk signatures are computed over the exact bytes sent, so the webhook routes keep the raw
 * body (request.rawBody) next to the parsed one; other routes are left alone.
 */
/** Zendesk and Intercom payloads are a few KB; the route refuses more before buffering it. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

export function keepRawBodyOfWebhooks(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!request.url.startsWith('/webhooks/')) return payload;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of payload) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
      size += b.length;
      if (size > WEBHOOK_BODY_LIMIT_BYTES) throw Object.assign(new Error(`webhook body larger than ${WEBHOOK_BODY_LIMIT_BYTES} bytes`), { statusCode: 413 });
      chunks.push(b);
    }
    request.rawBody = Buffer.concat(chunks);
    const copy = Readable.from([request.rawBody]) as Readable & { receivedEncodedLength?: number };
    copy.receivedEncodedLength = request.rawBody.length;
    return copy;
  });
}
