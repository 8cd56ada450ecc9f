import { buildEnvelope, EventEnvelope, NewEvent, partitionKey, registryTopicName, TopicDefinition, wireTopicName } from '@cairn/contracts';
import { Consumer, IHeaders, Kafka, logLevel } from 'kafkajs';
import { SerialProducer } from '@cairn/messaging';
import { testInfra, uniqueId } from './infra';
import { waitFor, WaitOptions } from './wait';

export interface SeenMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  json?: any;
}

let namespace: string | undefined;

/**
 * The topic namespace of this test file's services (set by startServiceInProcess and the e2e
 * platform): watchers and producers translate registry names to it, so test files sharing one
 * broker never see each other's events.
 */
export function setTestTopicNamespace(ns: string | undefined): void {
  namespace = ns;
}

export function testTopicNamespace(): string | undefined {
  return namespace;
}

export function testKafka(): Kafka {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  return new Kafka({ clientId: uniqueId('test'), brokers: testInfra().brokers, logLevel: logLevel.NOTHING });
}

function headerStrings(h: IHeaders | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(h ?? {}).map(([k, v]) => [k, v === undefined ? '' : String(v)]));
}

/** Reads topics from the beginning in a group of its own and keeps what it saw, for assertions. */
export class TopicWatcher {
  readonly seen: SeenMessage[] = [];
  private consumer?: Consumer;

  private readonly namespace = testTopicNamespace();

  /** `topics` are registry names (a `.dlq` suffix is fine); seen messages carry registry names too. */
  constructor(private readonly kafka: Kafka, private readonly topics: string[]) {}

  async start(): Promise<this> {
    this.consumer = this.kafka.consumer({ groupId: uniqueId('watcher'), maxWaitTimeInMs: 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics.map((t) => wireTopicName(t, this.namespace)), fromBeginning: true });
    await this.consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        const value = message.value?.toString('utf8') ?? null;
        let json: unknown;
        try { json = value ? JSON.parse(value) : undefined; } catch { json = undefined; }
        this.seen.push({ topic: registryTopicName(topic, this.namespace), partition, offset: message.offset, key: message.key?.toString() ?? null, value, headers: headerStrings(message.headers), json });
      },
    });
    return this;
  }

  matching(topic: string, predicate: (m: SeenMessage) => boolean = () => true): SeenMessage[] {
    return this.seen.filter((m) => m.topic === topic && predicate(m));
  }

  waitFor(topic: string, predicate: (m: SeenMessage) => boolean, options?: WaitOptions): Promise<SeenMessage> {
    return waitFor(`a message on ${topic}`, () => this.matching(topic, predicate)[0], options);
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Produces like a service would (or like a broken producer, with `value`). */
export class TestProducer {
  private producer?: SerialProducer;
  constructor(private readonly kafka: Kafka) {}

  async start(): Promise<this> {
    this.producer = new SerialProducer(this.kafka);
    await this.producer.connect();
    return this;
  }

  async sendEvent<T>(topic: TopicDefinition<T>, event: NewEvent<T>): Promise<EventEnvelope<T>> {
    const envelope = buildEnvelope(topic, 'test', event);
    await this.sendEnvelope(topic.name, envelope);
    return envelope;
  }

  async sendEnvelope(topicName: string, envelope: EventEnvelope): Promise<void> {
    await this.sendRaw(topicName, JSON.stringify(envelope), partitionKey(envelope));
  }

  async sendRaw(topicName: string, value: string, key?: string): Promise<void> {
    await this.producer!.send({ topic: wireTopicName(topicName, testTopicNamespace()), acks: -1, messages: [{ key: key ?? null, value }] });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }
}
