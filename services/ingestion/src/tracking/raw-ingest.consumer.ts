import { Topics } from '@cairn/contracts';
import { EventContext, OutboxWriter, PoisonMessageError } from '@cairn/messaging';
import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { usageEventId } from '../domain/ids';
import { normalizeBatch } from '../domain/segment-call';
import { WriteKeysService } from '../write-keys/write-keys.service';
import { ingestedCalls } from './ingest-metrics';
import { QuarantineService } from './quarantine.service';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * cairn.ingest.raw.v1: high-volume sources produce the same JSON as the HTTP API (one call, or
 * `{ batch: [...] }`, with `writeKey`) straight to Kafka. Same validation and quarantine; valid
 * calls continue as cairn.usage.event.v1 through the outbox, with ids derived from their
 * messageId (generated from the raw message's position when absent), so a redelivery is the
 * same event.
 */
@Controller()
export class RawIngestConsumer {
  constructor(
    private readonly keys: WriteKeysService,
    private readonly quarantine: QuarantineService,
    private readonly outbox: OutboxWriter,
  ) {}

  @EventPattern(Topics.ingestRaw.name)
  async onRaw(@Payload() value: unknown, @Ctx() ctx: EventContext): Promise<void> {
    const { partition, offset, timestamp } = ctx.message;
    if (!isObject(value)) throw new PoisonMessageError('raw ingest message: must be a JSON object (a Segment call or { batch })');
    if (typeof value.writeKey !== 'string' || value.writeKey === '') throw new PoisonMessageError('raw ingest message: writeKey is required');
    const key = await this.keys.resolve(value.writeKey);
    if (key.status !== 'valid') throw new PoisonMessageError(`raw ingest message: ${key.status === 'revoked' ? 'write key has been revoked' : 'invalid write key'}`);
    const receivedAt = Number.isFinite(Number(timestamp)) ? new Date(Number(timestamp)) : new Date();
    const calls = Array.isArray(value.batch) ? value.batch : [value];
    let n = 0;
    const intake = normalizeBatch(calls, {
      receivedAt, sentAt: value.sentAt, sourceId: key.keyId,
      generateMessageId: () => `kafka-${partition}-${offset}-${n++}`,
    });
    await this.outbox.publishAll(ctx.manager, Topics.usageEvent, intake.accepted.map(({ event: data }) => ({
      workspaceId: key.workspaceId, accountId: data.groupId, data, id: usageEventId(key.workspaceId, data.messageId),
    })));
    await this.quarantine.keep(key.workspaceId, receivedAt, key.keyId, intake.rejected.map((r) => ({
      reason: calls.length > 1 || Array.isArray(value.batch) ? `batch[${r.index}]: ${r.reason}` : r.reason, messageId: r.messageId, payload: r.payload,
    })), ctx.manager);
    ingestedCalls.inc({ via: 'kafka', outcome: 'accepted' }, intake.accepted.length);
    ingestedCalls.inc({ via: 'kafka', outcome: 'rejected' }, intake.rejected.length);
  }
}
