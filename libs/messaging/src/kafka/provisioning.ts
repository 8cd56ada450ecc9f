import { createLogger } from '@cairn/observability';
import { Admin, Kafka } from 'kafkajs';

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
          waitForLeaders: false, // kafkajs gives up on a busy broker; waited for below
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
    const metadata = await fetchMetadataWhenKnown(admin, [...wanted.keys()]);
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

/** New topics take a moment to be known and led on a busy broker: ask again for up to 30 s. */
async function fetchMetadataWhenKnown(admin: Admin, topics: string[]) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      if (metadata.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return metadata;
      if (Date.now() > deadline) throw new Error(`topics without leaders after 30 s: ${topics.join(', ')}`);
    } catch (e: any) {
      if (!['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE'].includes(e?.type) || Date.now() > deadline) throw e;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}
