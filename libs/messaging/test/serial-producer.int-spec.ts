import { provisionTopics, SerialProducer } from '@cairn/messaging';
import { testKafka, uniqueId } from '@cairn/testing';

describe('SerialProducer (real broker)', () => {
  const kafka = testKafka();
  const topic = uniqueId('serial-producer');
  const producer = new SerialProducer(kafka);

  beforeAll(async () => {
    await provisionTopics(kafka, [topic], { partitions: 3, replicationFactor: 1 });
    await producer.connect();
  });
  afterAll(() => producer.disconnect());

  it('sends overlapping calls one at a time, in call order, each record once', async () => {
    // 60 sends issued at once, as concurrent HTTP requests or partitions dead-lettering would.
    const sends = Array.from({ length: 60 }, (_, i) =>
      producer.send({ topic, acks: -1, messages: [{ key: 'one-key', value: `a-${i}` }, { key: 'one-key', value: `b-${i}` }] }));
    const results = await Promise.all(sends);
    // Same key, same partition: call i got offsets 2i and 2i+1 (no send overtook or repeated another).
    expect(results.map((r) => Number(r[0].baseOffset))).toEqual(Array.from({ length: 60 }, (_, i) => 2 * i));

    const admin = kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(topic);
      expect(ends.reduce((n, p) => n + Number(p.high), 0)).toBe(120);
    } finally {
      await admin.disconnect();
    }
  });

});
