import { parseBasicAuth } from '@cairn/auth';
import { SegmentCallType } from '@cairn/contracts';
import {
  BadRequestException, ForbiddenException, HttpException, Injectable, ServiceUnavailableException, UnauthorizedException,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import {
  IntakeContext, MAX_EVENT_BYTES, MAX_REQUEST_BYTES, normalizeBatch, normalizeSegmentCall, withoutSecrets,
} from '../domain/segment-call';
import { WriteKeysService } from '../write-keys/write-keys.service';
import { ingestedCalls } from './ingest-metrics';
import { describeJsonError } from '../domain/json-error';
import { bodyBytes } from './json-body';
import { QuarantineService } from './quarantine.service';
import { denyCors } from './tracking-http';
import { PublishUnavailableError, UsagePublisher } from './usage-publisher';

export interface BatchResponse {
  success: boolean;
  accepted: number;
  rejected: Array<{ index: number; messageId?: string; reason: string }>;
  message?: string;
}

const QUARANTINE_PAYLOAD_MAX_BYTES = 64 * 1024;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Browsers' sendBeacon posts the JSON as text/plain; anything else arrives already parsed. */
function parsedBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body, (key, value) => (key === '__proto__' ? undefined : value));
  } catch {
    throw fail(400, describeJsonError(body));
  }
}

const fail = (status: number, message: string) => new HttpException({ success: false, message }, status);

/** Oversized payloads are kept as a summary: enough to find the call, not megabytes of it. */
function quarantinePayload(raw: unknown): unknown {
  const safe = withoutSecrets(raw);
  const size = Buffer.byteLength(JSON.stringify(safe) ?? '', 'utf8');
  if (size <= QUARANTINE_PAYLOAD_MAX_BYTES || !isObject(safe)) return safe;
  const { type, messageId, userId, anonymousId, groupId, event, timestamp } = safe;
  return { truncated: true, bytes: size, type, messageId, userId, anonymousId, groupId, event, timestamp };
}

/**
 * The Segment HTTP Tracking API: authenticates the write key, checks limits, validates each
 * call, publishes the valid ones to Kafka (answering only after the broker's ack) and keeps the
 * invalid ones in quarantine.
 */
@Injectable()
export class SegmentIntakeService {
  constructor(
    private readonly keys: WriteKeysService,
    private readonly publisher: UsagePublisher,
    private readonly quarantine: QuarantineService,
  ) {}

  async single(type: SegmentCallType, request: FastifyRequest, rawBody: unknown): Promise<{ success: true }> {
    const receivedAt = new Date();
    const bytes = bodyBytes(request) ?? (typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : undefined);
    const body = parsedBody(rawBody);
    if (!isObject(body)) throw fail(400, 'request body must be a JSON object (the call)');
    const key = await this.authenticate(request, body);
    const ctx = this.context(receivedAt, key.keyId);
    const result = bytes !== undefined && bytes > MAX_EVENT_BYTES
      ? { ok: false as const, reason: `event is ${bytes} bytes; the limit is 32 KB (${MAX_EVENT_BYTES} bytes) per event`, messageId: typeof body.messageId === 'string' ? body.messageId : undefined }
      : normalizeSegmentCall(body, ctx, type, { checkSize: bytes === undefined });
    if (!result.ok) {
      ingestedCalls.inc({ via: 'http', outcome: 'rejected' });
      await this.quarantine.keep(key.workspaceId, receivedAt, key.keyId, [{ reason: result.reason, messageId: result.messageId, payload: quarantinePayload(body) }]);
      throw fail(400, result.reason);
    }
    await this.publish(key.workspaceId, [result], request);
    ingestedCalls.inc({ via: 'http', outcome: 'accepted' });
    return { success: true };
  }

  async batch(request: FastifyRequest, rawBody: unknown): Promise<BatchResponse> {
    const receivedAt = new Date();
    const bytes = bodyBytes(request) ?? (typeof rawBody === 'string' ? Buffer.byteLength(rawBody) : undefined);
    if (bytes !== undefined && bytes > MAX_REQUEST_BYTES) {
      throw fail(400, `request body is ${bytes} bytes; the limit is 500 KB (${MAX_REQUEST_BYTES} bytes) per request — send smaller batches`);
    }
    const body = parsedBody(rawBody);
    if (!isObject(body)) throw fail(400, 'request body must be a JSON object: { "batch": [ … ] }');
    const key = await this.authenticate(request, body);
    if (!Array.isArray(body.batch) || body.batch.length === 0) throw fail(400, 'batch: must be a non-empty array of calls');
    // Segment lets a batch carry context shared by every call in it.
    const shared = isObject(body.context) ? body.context : undefined;
    const calls = shared
      ? body.batch.map((c) => (isObject(c) ? { ...c, context: { ...shared, ...(isObject(c.context) ? c.context : {}) } } : c))
      : body.batch;
    const intake = normalizeBatch(calls, { ...this.context(receivedAt, key.keyId), sentAt: body.sentAt }, bytes);
    await Promise.all([
      this.publish(key.workspaceId, intake.accepted, request),
      this.quarantine.keep(key.workspaceId, receivedAt, key.keyId,
        intake.rejected.map((r) => ({ reason: `batch[${r.index}]: ${r.reason}`, messageId: r.messageId, payload: quarantinePayload(calls[r.index]) }))),
    ]);
    ingestedCalls.inc({ via: 'http', outcome: 'accepted' }, intake.accepted.length);
    ingestedCalls.inc({ via: 'http', outcome: 'rejected' }, intake.rejected.length);
    const rejected = intake.rejected.map(({ index, messageId, reason }) => ({ index, ...(messageId ? { messageId } : {}), reason }));
    if (intake.accepted.length === 0) {
      throw new BadRequestException({ success: false, message: 'no valid calls in the batch; each is listed in "rejected"', accepted: 0, rejected });
    }
    return { success: true, accepted: intake.accepted.length, rejected };
  }

  private context(receivedAt: Date, sourceId: string): IntakeContext {
    return { receivedAt, sourceId, generateMessageId: () => `cairn-${randomUUID()}` };
  }

  private async authenticate(request: FastifyRequest, body: Record<string, unknown>): Promise<{ workspaceId: string; keyId: string }> {
    const basic = parseBasicAuth(request.headers.authorization);
    const writeKey = basic?.user || (typeof body.writeKey === 'string' ? body.writeKey : undefined);
    if (!writeKey) {
      throw new UnauthorizedException({
        success: false,
        message: 'missing write key: send HTTP Basic auth with the write key as the user name and an empty password, or a "writeKey" field in the body',
      });
    }
    const key = await this.keys.resolve(writeKey);
    if (key.status === 'unknown') throw new UnauthorizedException({ success: false, message: 'invalid write key: no source has this key' });
    if (key.status === 'revoked') throw new UnauthorizedException({ success: false, message: 'this write key has been revoked' });
    const origin = request.headers.origin;
    // Only browsers send Origin; a source restricted to its own pages refuses calls from any other.
    if (origin && key.allowedOrigins && !key.allowedOrigins.includes(origin)) {
      denyCors(request);
      throw new ForbiddenException({ success: false, message: `origin '${origin}' may not send with this write key (the source allows: ${key.allowedOrigins.join(', ') || 'no browser origin'})` });
    }
    return key;
  }

  private async publish(workspaceId: string, events: Parameters<UsagePublisher['publish']>[1], request: FastifyRequest): Promise<void> {
    try {
      const traceparent = request.headers.traceparent;
      await this.publisher.publish(workspaceId, events, typeof traceparent === 'string' ? traceparent : undefined);
    } catch (e) {
      if (e instanceof PublishUnavailableError) throw new ServiceUnavailableException({ success: false, message: e.message });
      throw e;
    }
  }
}
