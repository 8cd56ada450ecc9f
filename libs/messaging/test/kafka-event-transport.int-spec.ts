import 'reflect-metadata';
import { EventEnvelope, Topics, UsageDroppedV1, UsageEventV1 } from '@cairn/contracts';
import { createKafka, createMessagingTables, DLQ_HEADERS, EventContext, KafkaEventTransport, outboxChannel, OutboxRelay, OutboxWriter, provisionTopics, RethrowRpcFilter } from '@cairn/messaging';
import { serviceDataSourceOptions, initializeServiceDataSource } from '@cairn/persistence';
import { buildEnvelope, wireTopicName } from '@cairn/contracts';
import {
  createTestDatabase, holdsFor, setTestTopicNamespace, TestProducer, testInfra, testKafka, TopicWatcher, uniqueId, waitFor,
} from '@cairn/testing';
import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { DataSource, MigrationInterface, QueryRunner } from 'typeorm';

class Init1700000000001 implements MigrationInterface {
  name = 'Init1700000000001';
  async up(q: QueryRunner) {
    await createMessagingTables(q);
    await q.query(`CREATE TABLE effect (event_id uuid PRIMARY KEY, account_id text NOT NULL)`);
  }
  async down() {}
}

const outbox = new OutboxWriter('test', 'msgtest');
/** Handler failures scripted per account id: 'fail-always' throws every time, 'fail-once' throws the first time. */
const failures = new Map<string, number>();

@Controller()
class DropHandler {
  @EventPattern(Topics.usageDropped.name)
  async onDrop(@Payload() event: EventEnvelope<UsageDroppedV1>, @Ctx() ctx: EventContext) {
    const account = event.accountId!;
    failures.set(account, (failures.get(account) ?? 0) + 1);
    if (account.startsWith('fail-always')) throw new Error(`cannot handle ${account}`);
    if (account.startsWith('fail-once') && failures.get(account) === 1) throw new Error('transient glitch');
    await ctx.manager.query(`INSERT INTO effect (event_id, account_id) VALUES ($1, $2)`, [event.id, account]);
    // The reaction is published through the outbox in the same transaction.
    await outbox.publish(ctx.manager, Topics.healthChanged, {
      workspaceId: event.workspaceId, accountId: account,
      data: {
        scorecardId: 'default', previous: null, current: { score: 35, band: 'red' }, explanation: [],
        cause: { eventId: event.id, type: event.type, summary: event.data.reason }, summary: 'dropped',
      },
    });
  }
}

/** Batch mode: one call, one transaction per chunk of a partition. */
const chunkSizes: number[] = [];

@Controller()
class UsageChunkHandler {
  @EventPattern(Topics.usageEvent.name, { batch: true })
  async onUsage(@Payload() events: EventEnvelope<UsageEventV1>[], @Ctx() ctx: EventContext) {
    chunkSizes.push(events.length);
    if (events.some((e) => e.data.event === 'explode')) throw new Error('cannot count an explosion');
    await ctx.manager.query(
      `INSERT INTO effect (event_id, account_id) SELECT * FROM unnest($1::uuid[], $2::text[])`,
      [events.map((e) => e.id), events.map((e) => e.accountId!)],
    );
  }
}

@Module({ controllers: [DropHandler, UsageChunkHandler] })
class TestModule {}

function dropEvent(workspaceId: string, accountId: string) {
  return {
    workspaceId, accountId,
    data: {
      baselineWindow: { from: '2026-01-01', to: '2026-01-28' }, currentWindow: { from: '2026-01-29', to: '2026-02-04' },
      baselineDailyAvg: 40, currentDailyAvg: 4, changePct: -90, reason: 'usage fell 90%', thresholdPct: 50,
      kind: 'drop' as const, episodeId: 'e1',
    },
  };
}

describe('Kafka event transport, inbox and outbox against a real broker and database', () => {
  const ws = uniqueId('ws');
  // Topics of this run's own (a reused broker still holds earlier runs' messages), and account ids too.
  const namespace = uniqueId('msg');
  const acc = (name: string) => `${name}-${ws}`;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  let app: INestMicroservice;
  let relay: OutboxRelay;
  let producer: TestProducer;
  let watcher: TopicWatcher;

  beforeAll(async () => {
    db = await createTestDatabase('messaging');
    dataSource = await initializeServiceDataSource(
      new DataSource(serviceDataSourceOptions({ url: db.url, schema: 'msgtest', entities: [], migrations: [Init1700000000001] })), 'msgtest');
    const kafka = createKafka({ brokers: testInfra().brokers, clientId: 'msgtest' });
    setTestTopicNamespace(namespace);
    await provisionTopics(kafka, [Topics.usageDropped.name, Topics.healthChanged.name, Topics.usageEvent.name].map((t) => wireTopicName(t, namespace)),
      { partitions: 3, replicationFactor: 1 });
    watcher = await new TopicWatcher(testKafka(), [Topics.healthChanged.name, `${Topics.usageDropped.name}.dlq`, `${Topics.usageEvent.name}.dlq`]).start();
    const transport = new KafkaEventTransport({
      kafka, groupId: uniqueId('msgtest'), dataSource, namespace, consumer: { retryBackoffMs: [50] },
    });
    app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
    app.useGlobalFilters(new RethrowRpcFilter());
    await app.listen();
    relay = new OutboxRelay({ kafka, databaseUrl: db.url, schema: 'msgtest', channel: outboxChannel('msgtest'), namespace, pollIntervalMs: 200 });
    await relay.start();
    producer = await new TestProducer(testKafka()).start();
  });

  afterAll(async () => {
    await producer?.stop();
    await relay?.stop();
    await app?.close();
    await watcher?.stop();
    await dataSource?.destroy();
    await db?.drop();
  });

  const effects = (account: string) =>
    dataSource.query(`SELECT event_id FROM msgtest.effect WHERE account_id = $1`, [account]) as Promise<unknown[]>;

  it('handles an event once when the same event arrives twice, and publishes its reaction through the outbox', async () => {
    const envelope = await producer.sendEvent(Topics.usageDropped, dropEvent(ws, acc('acme')));
    await producer.sendEnvelope(Topics.usageDropped.name, envelope);
    await waitFor('the effect', async () => (await effects(acc('acme'))).length === 1);
    expect(await holdsFor(1500, async () => (await effects(acc('acme'))).length === 1)).toBe(true);
    const published = await watcher.waitFor(Topics.healthChanged.name, (m) => m.json?.data?.cause?.eventId === envelope.id);
    expect(published.key).toBe(`${ws}:${acc('acme')}`);
    expect(published.json).toMatchObject({ type: 'health.changed', version: 1, workspaceId: ws, accountId: acc('acme'), source: 'test' });
    expect(published.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    const inbox = await dataSource.query(`SELECT count(*)::int AS n FROM msgtest.inbox WHERE event_id = $1`, [envelope.id]);
    expect(inbox[0].n).toBe(1);
    expect(watcher.matching(Topics.healthChanged.name, (m) => m.json?.data?.cause?.eventId === envelope.id)).toHaveLength(1);
  });

  it('dead-letters a malformed message with the reason and still processes the next good one', async () => {
    await producer.sendRaw(Topics.usageDropped.name, `{"this is": not json ${ws}`, `${ws}:broken`);
    const invalid = dropEvent(ws, acc('invalid'));
    await producer.sendRaw(Topics.usageDropped.name, JSON.stringify({ ...invalid, id: `not-a-uuid-${ws}`, type: 'usage.dropped', version: 1 }), `${ws}:broken`);
    const good = await producer.sendEvent(Topics.usageDropped, dropEvent(ws, acc('after-poison')));
    void good;
    await waitFor('the good message after the poison ones', async () => (await effects(acc('after-poison'))).length === 1);
    const dlq = `${Topics.usageDropped.name}.dlq`;
    const badJson = await watcher.waitFor(dlq, (m) => m.value === `{"this is": not json ${ws}`);
    expect(badJson.headers[DLQ_HEADERS.error]).toMatch(/not valid JSON/);
    expect(badJson.headers[DLQ_HEADERS.errorKind]).toBe('invalid');
    expect(badJson.headers[DLQ_HEADERS.topic]).toBe(wireTopicName(Topics.usageDropped.name, namespace)); // the topic on the wire
    expect(badJson.key).toBe(`${ws}:broken`);
    const badEnvelope = await watcher.waitFor(dlq, (m) => m.json?.id === `not-a-uuid-${ws}`);
    expect(badEnvelope.headers[DLQ_HEADERS.error]).toMatch(/id: id must be a UUID/);
    expect(badEnvelope.headers[DLQ_HEADERS.error]).toMatch(/time: /);
  });

  it('retries a failing handler, then dead-letters it with the error, the group and the attempt count', async () => {
    await producer.sendEvent(Topics.usageDropped, dropEvent(ws, acc('fail-once-1')));
    const poison = await producer.sendEvent(Topics.usageDropped, dropEvent(ws, acc('fail-always-1')));
    await waitFor('the retried event', async () => (await effects(acc('fail-once-1'))).length === 1);
    const dead = await watcher.waitFor(`${Topics.usageDropped.name}.dlq`, (m) => m.json?.id === poison.id);
    expect(dead.headers[DLQ_HEADERS.error]).toBe(`cannot handle ${acc('fail-always-1')}`);
    expect(dead.headers[DLQ_HEADERS.attempts]).toBe('3');
    expect(dead.headers[DLQ_HEADERS.group]).toMatch(/^msgtest-/);
    expect(failures.get(acc('fail-always-1'))).toBe(3);
    // Nothing of the failed attempts was kept: no effect, no inbox row, no outgoing event.
    expect(await effects(acc('fail-always-1'))).toHaveLength(0);
    const inbox = await dataSource.query(`SELECT 1 FROM msgtest.inbox WHERE event_id = $1`, [poison.id]);
    expect(inbox).toHaveLength(0);
  });

  it('handles a batch handler\'s events a chunk at a time, once each, and isolates a failing event', async () => {
    const account = acc('chunky');
    const usage = (i: number, event = 'Report Viewed') => ({
      workspaceId: ws, accountId: account,
      data: { messageId: `m-${i}`, callType: 'track' as const, event, userId: `u-${i % 5}`, timestamp: '2026-11-01T10:00:00.000Z', receivedAt: '2026-11-01T10:00:01.000Z' },
    });
    const envelopes = [];
    for (let i = 0; i < 300; i++) envelopes.push(buildEnvelope(Topics.usageEvent, 'test', usage(i)));
    const bomb = buildEnvelope(Topics.usageEvent, 'test', usage(300, 'explode'));
    // All on one key, so one partition and in order: 300 good, a duplicate, a failing one, one more good.
    const last = buildEnvelope(Topics.usageEvent, 'test', usage(301));
    const kafka = testKafka();
    const p = kafka.producer();
    await p.connect();
    await p.send({ topic: wireTopicName(Topics.usageEvent.name, namespace), acks: -1, messages: [...envelopes, envelopes[7], bomb, last].map((e) => ({ key: `${ws}:${account}`, value: JSON.stringify(e) })) });
    await p.disconnect();
    await waitFor('every good event once', async () => (await effects(account)).length === 301, { timeoutMs: 60_000 });
    expect(await holdsFor(1000, async () => (await effects(account)).length === 301)).toBe(true);
    const dead = await watcher.waitFor(`${Topics.usageEvent.name}.dlq`, (m) => m.json?.id === bomb.id);
    expect(dead.headers[DLQ_HEADERS.error]).toBe('cannot count an explosion');
    // Chunks, not one call per event: the failing chunk was halved down to the bad event.
    expect(chunkSizes.some((n) => n > 100)).toBe(true);
    expect(chunkSizes.length).toBeLessThan(40);
  });
});
