import { createLogger } from '@cairn/observability';
import { Kafka } from 'kafkajs';

export interface ProvisionOptions {
  partitions: number;
  replicationFactor: number;
  /** Dead-letter topics are small and rarely read: fewer partitions. */
  deadLetterPartitions?: number;
}

/**
 * Creates each topic and its `<topic>.dlq` when missing and raises partition counts that are
 * lower than configured (Kafka never lowers them). Safe to run from every instance at once.
 */
export async function provisionTopics(kafka: Kafka, topics: string[], options: ProvisionOptions): Promise<void> {
  const log = createLogger('provisioning');
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = new Map<string, number>();
    for (const t of topics) {
      wanted.set(t, options.partitions);
      wanted.set(`${t}.dlq`, options.deadLetterPartitions ?? 1);
    }
    const existing = new Set(await admin.listTopics());
    const missing = [...wanted].filter(([t]) => !existing.has(t));
    if (missing.length) {
      try {
        await admin.createTopics({
          waitForLeaders: true,
          topics: missing.map(([topic, numPartitions]) => ({
            topic, numPartitions, replicationFactor: options.replicationFactor,
          })),
        });
        log.info({ topics: missing.map(([t]) => t) }, 'created topics');
      } catch (e: any) {
        // Another instance created some of them first; anything else is real.
        if (e?.type !== 'TOPIC_ALREADY_EXISTS' && !/already exists/i.test(String(e?.message))) throw e;
      }
    }
    const metadata = await admin.fetchTopicMetadata({ topics: [...wanted.keys()] });
    const grow = metadata.topics
      .filter((t) => t.partitions.length < (wanted.get(t.name) ?? 0))
      .map((t) => ({ topic: t.name, count: wanted.get(t.name)! }));
    if (grow.length) {
      await admin.createPartitions({ topicPartitions: grow });
      log.info({ topics: grow }, 'raised partition counts');
    }
  } finally {
    await admin.disconnect();
  }
}
