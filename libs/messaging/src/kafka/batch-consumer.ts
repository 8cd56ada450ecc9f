import {
  consumedMessages, consumerLag, createLogger, handlerDuration, handlerErrors,
} from '@cairn/observability';
import { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { SerialProducer } from './client';
import { errorMessage, isInfrastructureError, PoisonMessageError } from './errors';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

export type ProcessOutcome = 'processed' | 'duplicate';

export interface BatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** Handles one message; resolves once its database transaction has committed. */
  process: (message: ConsumedMessage) => Promise<ProcessOutcome>;
  /** Attempts for an ordinary failure before the message is dead-lettered. */
  maxAttempts?: number;
  /** Wait before each retry of an ordinary failure. */
  retryBackoffMs?: number[];
  /** Upper bound of the wait between tries while the database or broker is down. */
  infrastructureBackoffMaxMs?: number;
  fromBeginning?: boolean;
  /**
   * Topics (wire names) whose messages are handled a chunk at a time, in one transaction, by
   * `processChunk`. A chunk that fails for any reason but infrastructure is halved until the
   * bad message is handled alone through `process`, so it still only dead-letters itself.
   */
  chunkTopics?: string[];
  processChunk?: (messages: ConsumedMessage[]) => Promise<void>;
  maxChunkSize?: number;
  /** Partitions handled at the same time (each still strictly in order). */
  partitionsConsumedConcurrently?: number;
}

export const DLQ_HEADERS = {
  error: 'x-cairn-error',
  errorKind: 'x-cairn-error-kind',
  group: 'x-cairn-consumer-group',
  attempts: 'x-cairn-attempts',
  topic: 'x-cairn-original-topic',
  partition: 'x-cairn-original-partition',
  offset: 'x-cairn-original-offset',
  failedAt: 'x-cairn-failed-at',
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Consumes with eachBatch, one message at a time per partition, in order. An offset is
 * resolved only after its handler's transaction committed; offsets are committed after each
 * message batch. Ordinary failures are retried a few times, then the message goes to
 * `<topic>.dlq` with its original bytes and error headers, and the partition moves on.
 * Infrastructure failures (database down) never dead-letter: the partition waits and retries.
 */
export class BatchConsumer {
  private readonly log = createLogger('consumer');
  private consumer?: Consumer;
  private dlqProducer?: SerialProducer;
  private crashed?: string;
  private joined = false;

  constructor(private readonly options: BatchConsumerOptions) {}

  get healthy(): { ok: boolean; detail?: string } {
    if (this.crashed) return { ok: false, detail: `consumer crashed: ${this.crashed}` };
    if (!this.joined) return { ok: false, detail: 'consumer has not joined its group yet' };
    return { ok: true };
  }

  async start(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const chunkTopics = new Set(this.options.processChunk ? this.options.chunkTopics ?? [] : []);
    // Partitions are consumed concurrently, so dead letters may overlap: one send at a time.
    this.dlqProducer = new SerialProducer(kafka);
    await this.dlqProducer.connect();
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      // Long poll: the broker answers as soon as a record arrives, so this only bounds idle polling.
      maxWaitTimeInMs: 1000,
      maxBytesPerPartition: 4 * 1024 * 1024,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => { this.joined = true; this.crashed = undefined; });
    consumer.on(consumer.events.CRASH, (e) => {
      this.crashed = errorMessage(e.payload.error);
      this.log.error({ groupId, error: this.crashed, restart: e.payload.restart }, 'consumer crashed');
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: true,
      // Offsets go to the broker at most once a second, not after every batch: a crash replays at
      // most that second, which the inbox turns into no-ops.
      autoCommitInterval: 1000,
      eachBatchAutoResolve: false,
      // Partitions are independent (order is per partition): the service may handle several at once.
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
        const active = () => isRunning() && !isStale();
        const chunked = chunkTopics.has(batch.topic);
        const size = chunked ? (this.options.maxChunkSize ?? 2000) : 1;
        for (let i = 0; i < batch.messages.length; i += size) {
          if (!active()) return;
          const chunk = batch.messages.slice(i, i + size).map((m) => toConsumed(batch.topic, batch.partition, m));
          // false: stopping while the database was down; the rest is left for the next owner
          if (!(await this.handleRange(chunk, heartbeat, active, resolveOffset))) return;
          consumerLag.set(
            { group: groupId, topic: batch.topic, partition: String(batch.partition) },
            Math.max(0, Number(batch.highWatermark) - Number(chunk[chunk.length - 1].offset) - 1),
          );
          await commitOffsetsIfNecessary();
          await heartbeat();
        }
      },
    });
    this.log.info({ groupId, topics }, 'consuming');
  }

  /** Stops fetching, lets the batch in hand finish its current message, commits, disconnects. */
  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.dlqProducer?.disconnect();
  }

  private async handle(message: ConsumedMessage, heartbeat: () => Promise<void>, active: () => boolean): Promise<boolean> {
    const { groupId } = this.options;
    const maxAttempts = this.options.maxAttempts ?? 3;
    const backoff = this.options.retryBackoffMs ?? [100, 500];
    let attempts = 0;
    let infraWait = 250;
    for (;;) {
      attempts++;
      const timer = handlerDuration.startTimer({ group: groupId, topic: message.topic });
      try {
        const outcome = await this.options.process(message);
        timer();
        consumedMessages.inc({ group: groupId, topic: message.topic, outcome });
        return true;
      } catch (error) {
        timer();
        if (error instanceof PoisonMessageError) {
          handlerErrors.inc({ group: groupId, topic: message.topic, kind: 'invalid' });
          await this.deadLetter(message, error, attempts, 'invalid');
          return true;
        }
        if (isInfrastructureError(error)) {
          handlerErrors.inc({ group: groupId, topic: message.topic, kind: 'infrastructure' });
          this.log.warn({ topic: message.topic, partition: message.partition, offset: message.offset,
            error: errorMessage(error), retryInMs: infraWait }, 'infrastructure unavailable; partition paused');
          attempts--; // not the message's fault
          if (!(await this.waitActive(infraWait, heartbeat, active))) return false;
          infraWait = Math.min(infraWait * 2, this.options.infrastructureBackoffMaxMs ?? 5000);
          continue;
        }
        handlerErrors.inc({ group: groupId, topic: message.topic, kind: 'retryable' });
        if (attempts >= maxAttempts) {
          await this.deadLetter(message, error, attempts, 'handler');
          return true;
        }
        this.log.warn({ topic: message.topic, offset: message.offset, attempts, error: errorMessage(error) }, 'handler failed; retrying');
        if (!(await this.waitActive(backoff[Math.min(attempts - 1, backoff.length - 1)], heartbeat, active))) return false;
      }
    }
  }

  /**
   * Messages of one partition, in order: a single one through `handle` (retries, dead letter);
   * several through `processChunk` in one go, halving a failing chunk until the bad message
   * stands alone, so one poison message costs a few extra transactions, not hundreds.
   */
  private async handleRange(
    chunk: ConsumedMessage[], heartbeat: () => Promise<void>, active: () => boolean, resolveOffset: (offset: string) => void,
  ): Promise<boolean> {
    if (chunk.length === 1) {
      if (!(await this.handle(chunk[0], heartbeat, active))) return false;
      resolveOffset(chunk[0].offset);
      return true;
    }
    const outcome = await this.handleChunk(chunk, heartbeat, active);
    if (outcome === 'stopped') return false;
    if (outcome === 'done') {
      resolveOffset(chunk[chunk.length - 1].offset);
      return true;
    }
    const mid = Math.ceil(chunk.length / 2);
    return (await this.handleRange(chunk.slice(0, mid), heartbeat, active, resolveOffset))
      && this.handleRange(chunk.slice(mid), heartbeat, active, resolveOffset);
  }

  /** 'done' when the whole chunk committed, 'split' when it failed, 'stopped' when stopping. */
  private async handleChunk(chunk: ConsumedMessage[], heartbeat: () => Promise<void>, active: () => boolean): Promise<'done' | 'split' | 'stopped'> {
    const { groupId } = this.options;
    const topic = chunk[0].topic;
    let infraWait = 250;
    for (;;) {
      const timer = handlerDuration.startTimer({ group: groupId, topic });
      try {
        await this.options.processChunk!(chunk);
        timer();
        consumedMessages.inc({ group: groupId, topic, outcome: 'processed' }, chunk.length);
        return 'done';
      } catch (error) {
        timer();
        if (!isInfrastructureError(error)) {
          this.log.warn({ topic, partition: chunk[0].partition, from: chunk[0].offset, size: chunk.length, error: errorMessage(error) },
            'chunk failed; splitting it');
          return 'split';
        }
        handlerErrors.inc({ group: groupId, topic, kind: 'infrastructure' });
        this.log.warn({ topic, error: errorMessage(error), retryInMs: infraWait }, 'infrastructure unavailable; partition paused');
        if (!(await this.waitActive(infraWait, heartbeat, active))) return 'stopped';
        infraWait = Math.min(infraWait * 2, this.options.infrastructureBackoffMaxMs ?? 5000);
      }
    }
  }

  private async waitActive(ms: number, heartbeat: () => Promise<void>, active: () => boolean): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      await sleep(Math.min(1000, until - Date.now()));
      if (!active()) return false;
      try { await heartbeat(); } catch { return false; }
    }
    return active();
  }

  private async deadLetter(message: ConsumedMessage, error: unknown, attempts: number, kind: string): Promise<void> {
    const { groupId } = this.options;
    const reason = errorMessage(error);
    await this.dlqProducer!.send({
      topic: `${message.topic}.dlq`,
      acks: -1,
      messages: [{
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DLQ_HEADERS.error]: reason.slice(0, 4000),
          [DLQ_HEADERS.errorKind]: kind,
          [DLQ_HEADERS.group]: groupId,
          [DLQ_HEADERS.attempts]: String(attempts),
          [DLQ_HEADERS.topic]: message.topic,
          [DLQ_HEADERS.partition]: String(message.partition),
          [DLQ_HEADERS.offset]: message.offset,
          [DLQ_HEADERS.failedAt]: new Date().toISOString(),
        },
      }],
    });
    consumedMessages.inc({ group: groupId, topic: message.topic, outcome: 'dead_lettered' });
    this.log.error({ topic: message.topic, partition: message.partition, offset: message.offset, attempts, error: reason },
      'message dead-lettered');
  }
}

function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return { topic, partition, offset: m.offset, key: m.key, value: m.value, headers: m.headers ?? {}, timestamp: m.timestamp };
}
