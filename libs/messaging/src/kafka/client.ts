import { createLogger } from '@cairn/observability';
import { Kafka, logLevel, LogEntry, Producer, ProducerBatch, ProducerRecord, RecordMetadata } from 'kafkajs';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
}

const levels: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error', [logLevel.WARN]: 'warn', [logLevel.INFO]: 'info', [logLevel.DEBUG]: 'debug',
};

/** A kafkajs client whose own log lines go through pino as JSON. */
export function createKafka(options: KafkaClientOptions): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  const log = createLogger('kafkajs');
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 200, retries: 8, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ namespace, level, log: entry }: { namespace: string; level: number; log: LogEntry['log'] }) => {
      const { message, ...rest } = entry;
      log[levels[level] ?? 'info']({ namespace, ...rest }, message);
    },
  });
}

/** Idempotent producers retry until the broker is back (kafkajs warns about anything less). */
export const IDEMPOTENT_RETRY = { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 5000 };

/**
 * An idempotent producer (acks = all, retried until the broker is back) that sends one request
 * at a time. kafkajs numbers an idempotent producer's records per send, and overlapping sends on
 * one producer can write a batch twice and lose another without any error (tulios/kafkajs#1005;
 * seen here: 311 records duplicated and 311 missing of 200,000 produced four sends at a time).
 * Every idempotent producer of the platform is one of these; callers that want throughput batch
 * their records into fewer sends rather than overlapping them.
 */
export class SerialProducer {
  readonly producer: Producer;
  private tail: Promise<unknown> = Promise.resolve();

  constructor(kafka: Kafka) {
    this.producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, retry: IDEMPOTENT_RETRY });
  }

  connect(): Promise<void> { return this.producer.connect(); }
  disconnect(): Promise<void> { return this.producer.disconnect(); }

  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    return this.serially(() => this.producer.send(record));
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    return this.serially(() => this.producer.sendBatch(batch));
  }

  private serially<T>(send: () => Promise<T>): Promise<T> {
    const next = this.tail.then(send);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
