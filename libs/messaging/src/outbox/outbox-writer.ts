import { buildEnvelope, EventEnvelope, NewEvent, partitionKey, TopicDefinition } from '@cairn/contracts';
import { childTraceparent, currentTraceparent } from '@cairn/observability';
import { EntityManager } from 'typeorm';
import { outboxChannel } from './outbox-table';

/**
 * Writes outgoing events into the service's outbox inside the caller's transaction, so the
 * state change and the event commit together. The relay (OutboxRelay) publishes them.
 */
export class OutboxWriter {
  constructor(private readonly source: string, private readonly schema: string) {}

  async publish<T>(manager: EntityManager, topic: TopicDefinition<T>, event: NewEvent<T>): Promise<EventEnvelope<T>> {
    const [envelope] = await this.publishAll(manager, topic, [event]);
    return envelope;
  }

  async publishAll<T>(manager: EntityManager, topic: TopicDefinition<T>, events: NewEvent<T>[]): Promise<EventEnvelope<T>[]> {
    if (events.length === 0) return [];
    const envelopes = events.map((e) =>
      buildEnvelope(topic, this.source, { ...e, traceparent: e.traceparent ?? childTraceparent(currentTraceparent()) }));
    const values: unknown[] = [];
    const rows = envelopes.map((env, i) => {
      values.push(env.id, topic.name, partitionKey(env), env.workspaceId, JSON.stringify(env));
      const b = i * 5;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5})`;
    });
    // A deterministic event id written twice (a retried effect) stays one event. The relay is
    // woken (at commit) in the same statement, and only if a row is new: one round trip, not two.
    values.push(outboxChannel(this.schema));
    await manager.query(
      `WITH added AS (
         INSERT INTO outbox (event_id, topic, message_key, workspace_id, envelope) VALUES ${rows.join(', ')}
         ON CONFLICT (event_id) DO NOTHING RETURNING 1)
       SELECT pg_notify($${values.length}, '') FROM (SELECT 1 FROM added LIMIT 1) AS any_added`,
      values,
    );
    return envelopes;
  }
}
