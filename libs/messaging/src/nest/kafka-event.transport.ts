import { EventValidationError, registryTopicName, topicByName, validateEnvelope, wireTopicName } from '@cairn/contracts';
import { childTraceparent, runWithTrace } from '@cairn/observability';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { Kafka } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { DataSource } from 'typeorm';
import { recordInbox } from '../inbox/inbox';
import { BatchConsumer, BatchConsumerOptions, ConsumedMessage, ProcessOutcome } from '../kafka/batch-consumer';
import { PoisonMessageError } from '../kafka/errors';
import { EventContext } from './event-context';

export interface KafkaEventTransportOptions {
  kafka: Kafka;
  groupId: string;
  dataSource: DataSource;
  /** Topic namespace on the wire (see wireTopicName); handlers still name registry topics. */
  namespace?: string;
  consumer?: Pick<BatchConsumerOptions, 'maxAttempts' | 'retryBackoffMs' | 'infrastructureBackoffMaxMs' | 'fromBeginning' | 'partitionsConsumedConcurrently'>;
}

/**
 * NestJS transport over raw kafkajs: `@EventPattern(Topics.x.name)` methods receive a validated
 * envelope and an EventContext whose `manager` is the open transaction. Per message: decode and
 * validate once (invalid → dead-letter), record the event id in the inbox (seen → skip), run the
 * handler, commit; only then is the offset resolved.
 *
 * Topics without a payload class (the raw ingest topic) get the parsed JSON and no inbox row:
 * their handler dedupes on its own key.
 */
export class KafkaEventTransport extends Server implements CustomTransportStrategy {
  private consumer?: BatchConsumer;

  constructor(private readonly options: KafkaEventTransportOptions) {
    super();
  }

  get consumerHealth() {
    return this.consumer?.healthy ?? { ok: false, detail: 'consumer not started' };
  }

  get subscribedTopics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const topics = this.subscribedTopics;
      for (const t of topics) if (!topicByName(t)) throw new Error(`@EventPattern('${t}') is not a topic of the registry`);
      if (topics.length === 0) return callback();
      const chunkTopics = topics.filter((t) => this.isBatchHandler(t)).map((t) => wireTopicName(t, this.options.namespace));
      this.consumer = new BatchConsumer({
        kafka: this.options.kafka,
        groupId: this.options.groupId,
        topics: topics.map((t) => wireTopicName(t, this.options.namespace)),
        process: (m) => this.process(m),
        chunkTopics,
        processChunk: (messages) => this.processChunk(messages),
        ...this.options.consumer,
      });
      await this.consumer.start();
      callback();
    } catch (e) {
      callback(e);
    }
  }

  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  on(): never {
    throw new Error('KafkaEventTransport does not emit transport events');
  }

  unwrap<T>(): T {
    return this.consumer as T;
  }

  /** `@EventPattern(topic, { batch: true })`: the handler takes an array of envelopes. */
  private isBatchHandler(topic: string): boolean {
    return this.getHandlerByPattern(topic)?.extras?.batch === true;
  }

  /**
   * A chunk of one partition in one transaction: every message must decode (else the consumer
   * falls back to one at a time, which dead-letters the bad one), inbox rows are inserted in
   * one statement, and the handler gets the envelopes not seen before, in order.
   */
  private async processChunk(wire: ConsumedMessage[]): Promise<void> {
    const topic = registryTopicName(wire[0].topic, this.options.namespace);
    const definition = topicByName(topic)!;
    if (!definition.payload) throw new Error(`${topic} carries no envelopes; batch mode needs them`);
    const envelopes = wire.map((m) => validateEnvelope(definition, JSON.parse((m.value ?? Buffer.alloc(0)).toString('utf8'))));
    await this.options.dataSource.transaction(async (manager) => {
      const fresh = await recordInbox(manager, topic, envelopes);
      // The same id twice within one chunk counts once.
      const seen = new Set<string>();
      const todo = envelopes.filter((e) => fresh.has(e.id) && !seen.has(e.id) && seen.add(e.id));
      if (todo.length) await this.invoke(topic, todo, new EventContext([wire[wire.length - 1], manager]));
    });
  }

  private async process(wire: ConsumedMessage): Promise<ProcessOutcome> {
    // Handlers see registry names; the dead-letter path keeps the wire name (BatchConsumer).
    const m = { ...wire, topic: registryTopicName(wire.topic, this.options.namespace) };
    const definition = topicByName(m.topic)!;
    let value: unknown;
    try {
      value = JSON.parse((m.value ?? Buffer.alloc(0)).toString('utf8'));
    } catch (e) {
      throw new PoisonMessageError(`${m.topic} offset ${m.offset}: value is not valid JSON (${(e as Error).message})`);
    }
    if (definition.payload === null) {
      return this.options.dataSource.transaction(async (manager) => {
        await this.invoke(m.topic, value, new EventContext([m, manager]));
        return 'processed' as const;
      });
    }
    let envelope;
    try {
      envelope = validateEnvelope(definition, value);
    } catch (e) {
      if (e instanceof EventValidationError) throw new PoisonMessageError(`invalid ${m.topic} event: ${e.message}`);
      throw e;
    }
    const env = envelope;
    return runWithTrace(childTraceparent(env.traceparent), () =>
      this.options.dataSource.transaction(async (manager) => {
        if ((await recordInbox(manager, m.topic, [env])).size === 0) return 'duplicate' as const;
        await this.invoke(m.topic, this.isBatchHandler(m.topic) ? [env] : env, new EventContext([m, manager]));
        return 'processed' as const;
      }));
  }

  private async invoke(topic: string, data: unknown, context: EventContext): Promise<void> {
    // Nest chains further handlers of the same pattern behind the first (handler.next).
    const handler = this.getHandlerByPattern(topic);
    if (!handler) throw new Error(`no handler for ${topic}`);
    const result = await handler(data, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  }
}
