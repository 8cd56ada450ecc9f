import { HealthCheckResult, ReadinessCheck } from '@cairn/observability';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Admin, Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { OutboxRelay, KafkaEventTransport } from '@cairn/messaging';
import { KAFKA } from './tokens';

export class DatabaseReadiness implements ReadinessCheck {
  readonly name = 'database';
  constructor(private readonly dataSource: DataSource) {}
  async check(): Promise<HealthCheckResult> {
    await this.dataSource.query('SELECT 1');
    return { ok: true };
  }
}

/** How long one broker probe's answer is reused: /health may be polled often. */
const PROBE_REUSE_MS = 1000;

/**
 * Kafka is ready when a broker answers now, the consumer is in its group and the outbox relay's
 * producer is connected. The probe matters: kafkajs' clients notice a dead broker only at their
 * next request, so their "connected" and "joined" flags stayed true for 20 s and more after the
 * broker was stopped.
 */
@Injectable()
export class KafkaReadiness implements ReadinessCheck, OnApplicationShutdown {
  readonly name = 'kafka';
  transport?: KafkaEventTransport;
  relay?: OutboxRelay;
  private admin?: Admin;
  private last?: { at: number; result: Promise<HealthCheckResult> };

  constructor(@Inject(KAFKA) private readonly kafka: Kafka) {}

  /** A metadata round trip to the cluster, with no retries: it answers now or says why not. */
  private probe(): Promise<HealthCheckResult> {
    if (this.last && Date.now() - this.last.at < PROBE_REUSE_MS) return this.last.result;
    const result = (async (): Promise<HealthCheckResult> => {
      try {
        if (!this.admin) {
          this.admin = this.kafka.admin({ retry: { retries: 0 } });
          await this.admin.connect();
        }
        await this.admin.describeCluster();
        return { ok: true };
      } catch (e) {
        const admin = this.admin;
        this.admin = undefined;
        void admin?.disconnect().catch(() => undefined);
        return { ok: false, detail: `no Kafka broker answers: ${(e as Error).message}` };
      }
    })();
    this.last = { at: Date.now(), result };
    return result;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
  }

  async check(): Promise<HealthCheckResult> {
    const broker = await this.probe();
    if (!broker.ok) return broker;
    if (!this.relay?.connected) return { ok: false, detail: 'outbox relay not connected to Kafka' };
    if (this.transport && this.transport.subscribedTopics.length > 0) return this.transport.consumerHealth;
    return { ok: true };
  }
}
