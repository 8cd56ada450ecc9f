import { Topics, wireTopicName } from '@cairn/contracts';
import { DirectPublisher, provisionTopics, PublishUnavailableError } from '@cairn/messaging';
import { testKafka, uniqueId } from '@cairn/testing';

/** The HTTP intake's produce path without the outbox, against the real broker. */
describe('DirectPublisher (real broker)', () => {
  const kafka = testKafka();
  // The intake's topic in a namespace of this file's own.
  const namespace = uniqueId('direct');
  const name = wireTopicName(Topics.usageEvent.name, namespace);
  let publisher: DirectPublisher;

  beforeAll(async () => {
    await provisionTopics(kafka, [name], { partitions: 3, replicationFactor: 1 });
    publisher = new DirectPublisher({ kafka, topic: Topics.usageEvent, namespace, maxQueuedBytes: 1024 * 1024 });
    await publisher.connect();
  });
  afterAll(() => publisher?.disconnect());

  const recordsOnTopic = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(name)).reduce((n, p) => n + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('resolves only once the broker holds every record, overlapping calls each exactly once', async () => {
    const calls = Array.from({ length: 40 }, (_, i) =>
      publisher.publish([{ key: `k-${i % 5}`, value: `a-${i}` }, { key: `k-${i % 5}`, value: `b-${i}` }]));
    await Promise.all(calls);
    expect(await recordsOnTopic()).toBe(80);
  });

  it('refuses at once, as unavailable, when more than its limit is already waiting', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    await expect(publisher.publish([{ key: 'k', value: big }])).rejects.toThrow(PublishUnavailableError);
    await expect(publisher.publish([{ key: 'k', value: big }])).rejects.toThrow('too many events are waiting for Kafka; retry shortly');
  });

  it('rejects as unavailable when the broker refuses the records, and carries on with the next call', async () => {
    const before = await recordsOnTopic();
    // Over the broker's default max.message.bytes (1 MB): a non-retriable refusal.
    const tooLarge = 'y'.repeat(1024 * 1024 - 100);
    const refusing = new DirectPublisher({ kafka, topic: Topics.usageEvent, namespace });
    await refusing.connect();
    try {
      await expect(refusing.publish([{ key: 'k', value: tooLarge + tooLarge }])).rejects.toThrow('events could not be written to Kafka; retry');
      await refusing.publish([{ key: 'k', value: 'after' }]);
    } finally {
      await refusing.disconnect();
    }
    expect(await recordsOnTopic()).toBe(before + 1);
  });
});
