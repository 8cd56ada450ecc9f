import { HealthCheckResult, ReadinessCheck } from '@cairn/observability';
import { DataSource } from 'typeorm';
import { OutboxRelay, KafkaEventTransport } from '@cairn/messaging';

export class DatabaseReadiness implements ReadinessCheck {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  async check(): Promise<HealthCheckResult> {
    await this.dataSource.query('SELECT 1');
    return { ok: true };
  }
}

/** Kafka is ready when the consumer is in its group and the outbox relay's producer is connected. */
export class KafkaReadiness implements ReadinessCheck {
  readonly name = 'kafka';
  transport?: KafkaEventTransport;
  relay?: OutboxRelay;
  async check(): Promise<HealthCheckResult> {
    if (!this.relay?.connected) return { ok: false, detail: 'outbox relay not connected to Kafka' };
    if (this.transport && this.transport.subscribedTopics.length > 0) return this.transport.consumerHealth;
    return { ok: true };
  }
}
