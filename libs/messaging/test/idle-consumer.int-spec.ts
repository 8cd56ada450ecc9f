import { createHook } from 'node:async_hooks';
import { BatchConsumer, provisionTopics, SerialProducer } from '@cairn/messaging';
import { testKafka, uniqueId, waitFor } from '@cairn/testing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * kafkajs 2.2.4 re-arms a 1 ms timer on every connection that has fulfilled a request, for ever
 * (tulios/kafkajs#1556, #1704): an idle service woke ~1,000 times a second per connection. The
 * fix is carried as patches/kafkajs+2.2.4.patch (applied by patch-package at install). Timers
 * created are counted rather than CPU measured, so the figure does not depend on how busy the
 * machine is: every re-arm is a new Timeout.
 */
describe('an idle consumer and producer (real broker)', () => {
  const kafka = testKafka();
  const topic = uniqueId('idle');
  const consumer = new BatchConsumer({ kafka, groupId: uniqueId('idle-group'), topics: [topic], process: async () => 'processed' });
  const producer = new SerialProducer(kafka);

  beforeAll(async () => {
    await provisionTopics(kafka, [topic], { partitions: 1, replicationFactor: 1 });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: 'one record, so every connection has answered a request' }] });
    await consumer.start();
    await waitFor('the consumer to join its group', () => consumer.healthy.ok);
  });
  afterAll(async () => {
    await consumer.stop();
    await producer.disconnect();
  });

  it('creates a handful of timers a second while nothing arrives, not one per millisecond', async () => {
    await sleep(1500); // past the first fetches and the first offset commit
    let timers = 0;
    const hook = createHook({ init(_id, type) { if (type === 'Timeout') timers++; } }).enable();
    const cpu = process.cpuUsage();
    const t0 = Date.now();
    await sleep(4000);
    hook.disable();
    const seconds = (Date.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    const perSecond = timers / seconds;
    // Printed for the record: with kafkajs unpatched this is ~1,000–3,000 timers/s and several % of a core.
    process.stdout.write(`idle consumer + producer: ${perSecond.toFixed(1)} timers/s, `
      + `${(((used.user + used.system) / 1e6 / seconds) * 100).toFixed(2)} % of a core (jest's process)\n`);
    // What is left: the consumer's fetch loop (one long poll a second), heartbeats, offset commits.
    expect(perSecond).toBeLessThan(25);
  });
});
