import { createLogger, outboxPending, outboxPublished } from '@cairn/observability';
import { wireTopicName } from '@cairn/contracts';
import { Kafka, Message } from 'kafkajs';
import { NotificationWakeup, WakeableLoop } from '@cairn/persistence';
import { Client } from 'pg';
import { pruneInbox } from '../inbox/inbox';
import { SerialProducer } from '../kafka/client';
import { errorMessage } from '../kafka/errors';

export interface OutboxRelayOptions {
  kafka: Kafka;
  databaseUrl: string;
  schema: string;
  /** LISTEN/NOTIFY channel the outbox writer notifies on commit. */
  channel: string;
  /** Topic namespace on the wire (see wireTopicName). */
  namespace?: string;
  batchSize?: number;
  /**
   * Fallback poll when no notification arrives (a writer that does not NOTIFY). Every outbox
   * insert notifies on commit and a notification that arrives mid-pass is kept, so this is a
   * safety net only: 5 s by default, so an idle service does not wake every second for it.
   */
  pollIntervalMs?: number;
  /** Published rows are kept this long for inspection, then pruned. */
  retentionHours?: number;
  inboxRetentionDays?: number;
}

/**
 * Publishes a schema's outbox to Kafka in commit order with an idempotent producer (acks=all).
 * One relay per schema is active at a time (a Postgres advisory lock held on its connection),
 * which keeps per-account order across instances; the others stand by and take over when the
 * leader's connection goes away.
 */
export class OutboxRelay {
  private readonly log = createLogger('outbox-relay');
  private client?: Client;
  private producer?: SerialProducer;
  private readonly wakeup: NotificationWakeup;
  private readonly loop: WakeableLoop;
  private leader = false;
  private lastPrune = 0;
  private producerConnected = false;

  constructor(private readonly o: OutboxRelayOptions) {
    this.wakeup = new NotificationWakeup({ channel: o.channel });
    this.loop = new WakeableLoop({
      wakeup: this.wakeup,
      pass: () => this.pass(),
      onError: async (e) => {
        this.log.warn({ schema: this.o.schema, error: errorMessage(e) }, 'outbox relay interrupted; reconnecting');
        await this.disconnect();
      },
    });
  }

  get isLeader(): boolean { return this.leader; }
  get connected(): boolean { return this.producerConnected; }

  async start(): Promise<void> {
    this.producer = new SerialProducer(this.o.kafka);
    const { producer } = this.producer;
    producer.on(producer.events.CONNECT, () => { this.producerConnected = true; });
    producer.on(producer.events.DISCONNECT, () => { this.producerConnected = false; });
    await this.producer.connect();
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
    await this.disconnect();
    await this.producer?.disconnect();
  }

  /** Publishes what is pending now (tests, shutdown). */
  nudge(): void { this.wakeup.wake(); }

  /** One pass: lead (or stand by 2 s), publish a batch, prune; a full batch goes again at once. */
  private async pass(): Promise<number> {
    await this.connect();
    if (!(await this.tryLead())) return 2000;
    const published = await this.drainOnce();
    await this.pruneIfDue();
    return published < (this.o.batchSize ?? 500) ? this.o.pollIntervalMs ?? 5000 : 0;
  }

  private async connect(): Promise<void> {
    if (this.client) return;
    const client = new Client({ connectionString: this.o.databaseUrl, application_name: `cairn-outbox-${this.o.schema}` });
    client.on('error', (e) => this.log.warn({ error: e.message }, 'outbox relay connection error'));
    await client.connect();
    await client.query(`SET search_path TO "${this.o.schema}"`);
    await this.wakeup.listenOn(client);
    this.client = client;
  }

  private async disconnect(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.leader = false;
    if (c) await c.end().catch(() => undefined);
  }

  private async tryLead(): Promise<boolean> {
    if (this.leader) return true;
    const r = await this.client!.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS ok`, [`cairn-outbox-${this.o.schema}`]);
    this.leader = r.rows[0].ok === true;
    if (this.leader) this.log.info({ schema: this.o.schema }, 'outbox relay is leading');
    return this.leader;
  }

  private async drainOnce(): Promise<number> {
    const batchSize = this.o.batchSize ?? 500;
    const { rows } = await this.client!.query<{ seq: string; topic: string; message_key: string; event_id: string; envelope: string }>(
      `SELECT seq, topic, message_key, event_id, envelope::text AS envelope FROM outbox
        WHERE published_at IS NULL ORDER BY seq LIMIT $1`, [batchSize]);
    outboxPending.set(rows.length);
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, Message[]>();
    for (const r of rows) {
      const env = JSON.parse(r.envelope) as { type: string; workspaceId: string; traceparent?: string };
      const topic = wireTopicName(r.topic, this.o.namespace);
      const list = byTopic.get(topic) ?? [];
      list.push({
        key: r.message_key,
        value: r.envelope,
        headers: {
          'x-cairn-event-id': r.event_id,
          'x-cairn-event-type': env.type,
          'x-cairn-workspace': env.workspaceId,
          ...(env.traceparent ? { traceparent: env.traceparent } : {}),
        },
      });
      byTopic.set(topic, list);
    }
    await this.producer!.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    await this.client!.query(`UPDATE outbox SET published_at = now() WHERE seq = ANY($1::bigint[])`, [rows.map((r) => r.seq)]);
    for (const [topic, messages] of byTopic) outboxPublished.inc({ topic }, messages.length);
    return rows.length;
  }

  private async pruneIfDue(): Promise<void> {
    if (Date.now() - this.lastPrune < 10 * 60_000) return;
    this.lastPrune = Date.now();
    await this.client!.query(`DELETE FROM outbox WHERE published_at < now() - make_interval(hours => $1)`, [this.o.retentionHours ?? 24]);
    await pruneInbox(this.client!, this.o.inboxRetentionDays ?? 7);
  }
}
