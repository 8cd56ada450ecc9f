import { TopicDefinition, wireTopicName } from '@cairn/contracts';
import { createLogger } from '@cairn/observability';
import { Kafka, Message } from 'kafkajs';
import { SerialProducer } from './client';

/** The broker did not take the records (down, too slow, too much waiting): answer 503, the caller retries. */
export class PublishUnavailableError extends Error {}

export interface DirectPublisherOptions {
  kafka: Kafka;
  topic: TopicDefinition<unknown>;
  /** Topic namespace on the wire (see wireTopicName). */
  namespace?: string;
  /** One produce request stays below this (the broker's default request size is 100 MB; records are batched up to it). */
  maxSendBytes?: number;
  /** Beyond this much waiting for the broker, `publish` refuses at once rather than buffering. */
  maxQueuedBytes?: number;
  /** A publish not acknowledged within this is refused (the records may still arrive: see below). */
  ackTimeoutMs?: number;
}

/**
 * The one deliberate way to produce without the outbox, for a request path that must answer
 * only once its events are durable and has no state change of its own to commit with them:
 * ingestion's Segment-compatible HTTP intake. Everything else writes to its outbox (OutboxWriter)
 * in the transaction of its state change.
 *
 * Why it skips the outbox: the intake takes tens of thousands of calls a second and answers each
 * in milliseconds (the Segment API's clients retry on any error); a database write and a relay
 * hop per call would cost that throughput and latency and buy nothing, because the intake
 * changes no state: the call's `messageId` makes the envelope id (deterministic), and the
 * consumers' inbox turns a re-sent call into a no-op downstream.
 *
 * What it guarantees: `publish` resolves only after the broker acknowledged every record with
 * acks = all from an idempotent SerialProducer (so the caller answers 200 only for events that
 * are on all in-sync replicas); otherwise it rejects with PublishUnavailableError (the caller
 * answers 503 and the client retries): the broker refused or failed, it did not acknowledge within
 * `ackTimeoutMs`, or more than `maxQueuedBytes` are already waiting. After a rejection some of the
 * records may still have been written; the client's retry then is the same event id, deduped
 * downstream. Calls that arrive while a send is in flight go together in the next send (natural
 * batching): throughput grows with load without adding latency when idle. No ordering across
 * calls beyond Kafka's per-partition order; no database on this path.
 */
export class DirectPublisher {
  private readonly log = createLogger('direct-publisher');
  private readonly producer: SerialProducer;
  private readonly maxSendBytes: number;
  private readonly maxQueuedBytes: number;
  private readonly ackTimeoutMs: number;
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private sending = false;

  constructor(private readonly o: DirectPublisherOptions) {
    this.producer = new SerialProducer(o.kafka);
    this.maxSendBytes = o.maxSendBytes ?? 4 * 1024 * 1024;
    this.maxQueuedBytes = o.maxQueuedBytes ?? 64 * 1024 * 1024;
    this.ackTimeoutMs = o.ackTimeoutMs ?? 10_000;
  }

  connect(): Promise<void> { return this.producer.connect(); }
  disconnect(): Promise<void> { return this.producer.disconnect(); }

  /** Resolves once the broker acknowledged every record (acks = all); rejects with PublishUnavailableError otherwise. */
  async publish(messages: Message[]): Promise<void> {
    if (messages.length === 0) return;
    let bytes = 0;
    for (const m of messages) bytes += m.value?.length ?? 0;
    if (this.queuedBytes + bytes > this.maxQueuedBytes) {
      throw new PublishUnavailableError('too many events are waiting for Kafka; retry shortly');
    }
    let pending!: Pending;
    const acked = new Promise<void>((resolve, reject) => {
      pending = { messages, bytes, resolve, reject };
      this.queue.push(pending);
      this.queuedBytes += bytes;
    });
    if (!this.sending) void this.drain();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const seconds = this.ackTimeoutMs / 1000;
        // Still queued behind a stuck send: taken back, so the rejection means "not taken". Already
        // handed to the producer, the records may yet be written: the caller's retry is the same
        // event ids, deduped downstream.
        const queued = this.queue.indexOf(pending);
        if (queued >= 0) {
          this.queue.splice(queued, 1);
          this.queuedBytes -= bytes;
          reject(new PublishUnavailableError(`Kafka did not acknowledge within ${seconds} s; the calls were not taken: retry`));
        } else {
          reject(new PublishUnavailableError(`Kafka did not acknowledge within ${seconds} s; the calls may have been kept: `
            + 'retry them with the same messageIds (a call is counted once per messageId)'));
        }
      }, this.ackTimeoutMs);
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
        while (this.queue.length > 0 && (batch.length === 0 || size + this.queue[0].bytes <= this.maxSendBytes)) {
          const p = this.queue.shift()!;
          batch.push(p);
          size += p.bytes;
        }
        try {
          await this.producer.send({ topic: wireTopicName(this.o.topic.name, this.o.namespace), acks: -1, messages: batch.flatMap((p) => p.messages) });
          batch.forEach((p) => p.resolve());
        } catch (e) {
          this.log.error({ topic: this.o.topic.name, error: (e as Error).message, events: batch.reduce((n, p) => n + p.messages.length, 0) }, 'publishing events failed');
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

interface Pending {
  messages: Message[];
  bytes: number;
  resolve: () => void;
  reject: (e: unknown) => void;
}
