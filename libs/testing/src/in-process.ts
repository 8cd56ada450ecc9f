import { bootstrapService, Clock, ServiceConfig, ServiceDefinition } from '@cairn/runtime';
import { INestApplication } from '@nestjs/common';
import { createTestDatabase, testInfra, uniqueId } from './infra';
import { issueApiToken } from '@cairn/auth';
import { setTestTopicNamespace, TestProducer, testKafka, TopicWatcher } from './kafka';

export interface InProcessService {
  app: INestApplication;
  url: string;
  databaseUrl: string;
  /** The environment it was started with: pass it back to start it again as the same instance (same topics, group, database). */
  env: Record<string, string>;
  /** An API token for `workspaceId` (default: the test's own workspace). */
  token(workspaceId: string): string;
  close(): Promise<void>;
}

export interface InProcessOptions {
  /** Variables on top of the suite's defaults (DATABASE_URL etc.), as the service's environment. */
  env?: Record<string, string>;
  /** The application's clock; tests that move time pass their own. */
  clock?: Clock;
}

/**
 * Boots a service in this jest worker against the real broker and a database of its own,
 * with a consumer group of its own so test files never share partitions. It starts through
 * the same `bootstrapService()` as production.
 */
export async function startServiceInProcess<C extends ServiceConfig>(service: ServiceDefinition<C>, options: InProcessOptions = {}): Promise<InProcessService> {
  const infra = testInfra();
  const db = await createTestDatabase(service.name);
  const env: Record<string, string> = {
    DATABASE_URL: db.url,
    KAFKA_BROKERS: infra.brokers.join(','),
    KAFKA_TOPIC_PARTITIONS: '3',
    KAFKA_CONSUMER_GROUP: uniqueId(`test-${service.name}`),
    CAIRN_AUTH_SECRET: infra.authSecret,
    KAFKA_TOPIC_NAMESPACE: uniqueId('t'),
    PORT: '0',
    HOST: '127.0.0.1',
    // The suites' webhook receivers listen on 127.0.0.1.
    PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    ...options.env,
  };
  setTestTopicNamespace(env.KAFKA_TOPIC_NAMESPACE);
  const app = await bootstrapService(service, { env, clock: options.clock });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1').replace('localhost', '127.0.0.1');
  return {
    app, url, databaseUrl: env.DATABASE_URL, env,
    token: (workspaceId: string) => issueApiToken({ workspaceId, subject: 'test' }, infra.authSecret),
    async close() {
      await app.close();
      await db.drop();
    },
  };
}

/** A service in process with what its integration suite drives it by. */
export interface ServiceUnderTest {
  svc: InProcessService;
  /** Watches the `watch` topics given (none given: a watcher of no topic is not started). */
  watcher: TopicWatcher;
  producer: TestProducer;
  /** Stops the producer, the watcher and the service. */
  stop(): Promise<void>;
}

/** startServiceInProcess plus a TopicWatcher on `watch` and a TestProducer: every integration suite's set-up. */
export async function startServiceUnderTest<C extends ServiceConfig>(
  service: ServiceDefinition<C>, options: InProcessOptions & { watch?: string[] } = {},
): Promise<ServiceUnderTest> {
  const svc = await startServiceInProcess(service, options);
  const watcher = new TopicWatcher(testKafka(), options.watch ?? []);
  if (options.watch?.length) await watcher.start();
  const producer = await new TestProducer(testKafka()).start();
  return {
    svc, watcher, producer,
    async stop() {
      await producer.stop();
      await watcher.stop();
      await svc.close();
    },
  };
}
