import { envelopeJson, partitionKey, Topics, UsageEventV1 } from '@cairn/contracts';
import { DirectPublisher } from '@cairn/messaging';
import { childTraceparent } from '@cairn/observability';
import { KAFKA, ServiceConfig } from '@cairn/runtime';
import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Kafka, Message } from 'kafkajs';
import { usageEventId } from '../domain/ids';

export { PublishUnavailableError } from '@cairn/messaging';

/**
 * Accepted Segment calls as cairn.usage.event.v1 envelopes, through the direct-publish path
 * (DirectPublisher: acks = all before the HTTP answer, 503 otherwise; why no outbox: see there).
 */
@Injectable()
export class UsagePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly publisher: DirectPublisher;

  constructor(@Inject(KAFKA) kafka: Kafka, config: ServiceConfig) {
    this.publisher = new DirectPublisher({
      kafka, topic: Topics.usageEvent, namespace: config.KAFKA_TOPIC_NAMESPACE,
      // Below the SDKs' own request timeouts (@segment/analytics-node: 10 s), so they read the 503
      // and its Retry-After instead of abandoning the connection.
      ackTimeoutMs: 5_000,
    });
  }

  onModuleInit(): Promise<void> { return this.publisher.connect(); }
  onApplicationShutdown(): Promise<void> { return this.publisher.disconnect(); }

  /** Resolves once Kafka acknowledged every event (acks = all); rejects with PublishUnavailableError otherwise. */
  async publish(workspaceId: string, events: Array<{ event: UsageEventV1; json: string }>, traceparent?: string): Promise<void> {
    if (events.length === 0) return;
    // One span for the request: its calls are published together (a random span id per call cost ~15 % of the CPU).
    const span = childTraceparent(traceparent);
    const messages: Message[] = events.map(({ event: data, json }) => {
      const accountId = data.groupId;
      // The payload was serialized once by the intake (which measured its size on that string).
      const value = envelopeJson(Topics.usageEvent, 'ingestion', {
        id: usageEventId(workspaceId, data.messageId), workspaceId, accountId, data, time: data.receivedAt, traceparent: span,
      }, json);
      // No per-message headers on this, the busiest topic: the envelope already carries id, type, workspace
      // and traceparent, and encoding three headers per record cost ~10 % of the intake's throughput.
      return { key: partitionKey({ workspaceId, accountId }), value };
    });
    return this.publisher.publish(messages);
  }
}
