import { envelopeJson, partitionKey, Topics, UsageEventV1, wireTopicName } from '@cairn/contracts';
import { SerialProducer } from '@cairn/messaging';
import { childTraceparent, createLogger } from '@cairn/observability';
import { KAFKA, ServiceConfig } from '@cairn/runtime';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Message } from 'kafkajs';
import { usageEventId } from '../domain/ids';

export class PublishUnavailableError extends Error {}

interface Pending {
  messages: Message[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** A produce request stays well below the broker's default request size. */
const MAX_SEND_BYTES = 4 * 1024 * 1024;
/** Beyond this much waiting for Kafka, calls are refused (503) rather than buffered. */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const ACK_TIMEOUT_MS = 10_000;

/**
 * Publishes accepted Segment calls to cairn.usage.event.v1 straight from the HTTP path, with an
 * idempotent producer and acks = all; the HTTP response waits for the broker's ack. Calls that
 * arrive while a send is in flight are sent together in the next one (natural batching), so
 * throughput grows with load without adding latency when idle. No database on this path.
 */
@Injectable()
export class UsagePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly log = createLogger('usage-publisher');
  private producer: SerialProducer;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private sending = false;

  constructor(@Inject(KAFKA) private readonly kafka: Kafka, private readonly config: ServiceConfig) {}

  async onModuleInit(): Promise<void> {
    this.producer = new SerialProducer(this.kafka);
    await this.producer.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer?.disconnect();
  }

  /** Resolves once Kafka acknowledged every event (acks = all); rejects with PublishUnavailableError otherwise. */
  async publish(workspaceId: string, events: Array<{ event: UsageEventV1; json: string }>, traceparent?: string): Promise<void> {
    if (events.length === 0) return;
    let bytes = 0;
    // One span for the request: its calls are published together (a random span id per call cost ~15 % of the CPU).
    const span = childTraceparent(traceparent);
    const messages: Message[] = events.map(({ event: data, json }) => {
      const accountId = data.groupId;
      // The payload was serialized once by the intake (which measured its size on that string).
      const value = envelopeJson(Topics.usageEvent, 'ingestion', {
        id: usageEventId(workspaceId, data.messageId), workspaceId, accountId, data, time: data.receivedAt, traceparent: span,
      }, json);
      bytes += value.length;
      // No per-message headers on this, the busiest topic: the envelope already carries id, type, workspace
      // and traceparent, and encoding three headers per record cost ~10 % of the intake's throughput.
      return { key: partitionKey({ workspaceId, accountId }), value };
    });
    if (this.queuedBytes + bytes > MAX_QUEUED_BYTES) {
      throw new PublishUnavailableError('too many events are waiting for Kafka; retry shortly');
    }
    const acked = new Promise<void>((resolve, reject) => {
      this.queue.push({ messages, bytes, resolve, reject });
      this.queuedBytes += bytes;
    });
    if (!this.sending) void this.drain();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PublishUnavailableError(`Kafka did not acknowledge within ${ACK_TIMEOUT_MS / 1000} s; retry`)), ACK_TIMEOUT_MS);
    });
    try {
      await Promise.race([acked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const batch: Pending[] = [];
        let size = 0;
        while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0].bytes <= MAX_SEND_BYTES)) {
          const p = this.queue.shift()!;
          batch.push(p);
          size += p.bytes;
        }
        try {
          await this.producer.send({ topic: wireTopicName(Topics.usageEvent.name, this.config.KAFKA_TOPIC_NAMESPACE), acks: -1, messages: batch.flatMap((p) => p.messages) });
          batch.forEach((p) => p.resolve());
        } catch (e) {
          this.log.error({ error: (e as Error).message, events: batch.reduce((n, p) => n + p.messages.length, 0) }, 'publishing usage events failed');
          batch.forEach((p) => p.reject(new PublishUnavailableError('events could not be written to Kafka; retry')));
        } finally {
          this.queuedBytes -= size;
        }
      }
    } finally {
      this.sending = false;
    }
  }
}
