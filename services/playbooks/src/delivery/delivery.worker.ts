import { createLogger, metricsRegistry } from '@cairn/observability';
import { NotificationWakeup, WakeableLoop } from '@cairn/persistence';
import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { afterSend, AttemptVerdict, MAX_DELIVERY_ATTEMPTS } from '../domain/delivery-policy';
import { EmailRecipients } from '../domain/email-recipients';
import { PlaybooksConfig } from '../config';
import { PendingDelivery } from './channels/alert-channel';
import { ChannelRegistry } from './channels/channel.registry';
import { deliveryChannel } from './deliveries.service';

const deliveryAttempts = new Counter({
  name: 'cairn_playbook_delivery_attempts_total',
  help: 'Alert delivery attempts by channel type and result (delivered, retry, failed)',
  labelNames: ['channel', 'result'] as const,
  registers: [metricsRegistry],
});

export interface DeliveryWorkerOptions {
  pollIntervalMs: number;
  concurrency: number;
  /** A claimed delivery is the worker's for this long; after that another worker may retry it. */
  leaseMs: number;
  baseBackoffMs: number;
  maxAttempts: number;
}

export const DEFAULT_DELIVERY_OPTIONS: DeliveryWorkerOptions = {
  pollIntervalMs: 200, concurrency: 16, leaseMs: 30_000, baseBackoffMs: 500, maxAttempts: MAX_DELIVERY_ATTEMPTS,
};

interface Claimed {
  workspace_id: string;
  id: string;
  alert_id: string;
  channel_id: string;
  channel_type: string;
  body: string;
  attempts: number;
  url: string | null;
  sealed_secret: string | null;
  email_to: EmailRecipients | null;
  /** The account's CSM owner now, for the kinds that need it (email channels addressed to "owner"). */
  csm_owner: string | null;
  channel_gone: boolean;
}

interface AttemptResult {
  statusCode: number | null;
  error: string | null;
  verdict: AttemptVerdict;
}

/**
 * Sends queued deliveries: claims due rows with FOR UPDATE SKIP LOCKED (so any number of
 * instances share the work), sends each through its kind's channel (channels/: webhook, Slack,
 * email), records every attempt, and reschedules failures with exponential backoff. Woken at once by
 * NOTIFY when a delivery commits; otherwise it sleeps until the next retry is due (at most
 * IDLE_WAKE_MAX_MS), polling every PLAYBOOKS_DELIVERY_POLL_INTERVAL_MS only while it cannot LISTEN.
 */
/** Longest sleep of an idle worker whose LISTEN connection is up. */
const IDLE_WAKE_MAX_MS = 10_000;

@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = createLogger('delivery-worker');
  private readonly options: DeliveryWorkerOptions;
  private readonly wakeup: NotificationWakeup;
  private readonly loop: WakeableLoop;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly channels: ChannelRegistry,
    config: PlaybooksConfig,
  ) {
    this.options = { ...DEFAULT_DELIVERY_OPTIONS, pollIntervalMs: config.PLAYBOOKS_DELIVERY_POLL_INTERVAL_MS };
    // LISTEN on a connection of its own; if it breaks, polling carries on and it reconnects.
    this.wakeup = new NotificationWakeup({
      channel: deliveryChannel(config.schema), databaseUrl: config.DATABASE_URL, applicationName: 'cairn-playbooks-delivery',
      onListenError: (e) => this.log.warn({ error: e.message }, 'cannot LISTEN for new deliveries; polling only'),
    });
    this.loop = new WakeableLoop({
      wakeup: this.wakeup,
      pass: () => this.pass(),
      onError: (e) => this.log.warn({ error: (e as Error).message }, 'delivery worker pass failed; retrying'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    await Promise.allSettled([...this.inFlight]);
    await this.wakeup.close();
  }

  /** One pass: claim what is due (as many as there are free slots), start sending it. */
  private async pass(): Promise<number> {
    await this.wakeup.ensureListening();
    const free = this.options.concurrency - this.inFlight.size;
    const claimed = free > 0 ? await this.claim(free) : [];
    for (const d of claimed) this.track(this.deliver(d));
    return claimed.length === 0 || claimed.length < free ? this.idleMs(claimed.length) : 0;
  }

  /**
   * How long to sleep when nothing more is due. While LISTEN works, a new delivery wakes the
   * worker at once (a finished one too), so it only needs to wake for the next retry or lease end
   * already scheduled, and at most every IDLE_WAKE_MAX_MS as a safety net; without LISTEN it polls.
   */
  private async idleMs(claimedNow: number): Promise<number> {
    if (!this.wakeup.listening || claimedNow > 0) return this.options.pollIntervalMs;
    const [{ ms }] = await this.db.query(
      `SELECT GREATEST(0, EXTRACT(EPOCH FROM (min(next_attempt_at) - now())) * 1000)::float8 AS ms
         FROM delivery WHERE status IN ('pending', 'sending')`);
    return ms === null ? IDLE_WAKE_MAX_MS : Math.min(IDLE_WAKE_MAX_MS, Math.max(this.options.pollIntervalMs, Math.ceil(ms)));
  }

  private track(delivery: Promise<void>): void {
    // If recording the outcome fails (database gone), the row stays 'sending' and is retried when its lease ends.
    const p = delivery.catch((e) => this.log.warn({ error: (e as Error).message }, 'could not record a delivery attempt'));
    this.inFlight.add(p);
    void p.finally(() => { this.inFlight.delete(p); this.wakeup.wake(); });
  }

  private async claim(limit: number): Promise<Claimed[]> {
    return this.db.query(
      `WITH due AS (
         SELECT workspace_id, id FROM delivery
          WHERE status IN ('pending', 'sending') AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT $1
          FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE delivery d SET status = 'sending', attempts = d.attempts + 1,
                next_attempt_at = now() + make_interval(secs => $2::double precision / 1000), updated_at = now()
           FROM due WHERE d.workspace_id = due.workspace_id AND d.id = due.id
         RETURNING d.workspace_id, d.id, d.alert_id, d.channel_id, d.channel_type, d.body, d.attempts)
       SELECT claimed.*, c.url, c.sealed_secret, c.email_to, (c.id IS NULL OR c.deleted_at IS NOT NULL) AS channel_gone,
              CASE WHEN claimed.channel_type = ANY($3::text[]) THEN
                (SELECT a.csm_owner FROM alert al JOIN account a ON a.workspace_id = al.workspace_id AND a.account_id = al.account_id
                  WHERE al.workspace_id = claimed.workspace_id AND al.id = claimed.alert_id) END AS csm_owner
         FROM claimed LEFT JOIN channel c ON c.workspace_id = claimed.workspace_id AND c.id = claimed.channel_id`,
      [limit, this.options.leaseMs, this.channels.kindsNeedingAccountOwner()]);
  }

  private async deliver(d: Claimed): Promise<void> {
    if (d.channel_gone) {
      await this.db.query(
        `UPDATE delivery SET status = 'cancelled', last_error = 'channel deleted', updated_at = now() WHERE workspace_id = $1 AND id = $2`,
        [d.workspace_id, d.id]);
      return;
    }
    const startedAt = new Date();
    const { statusCode, error, verdict } = await this.attempt(d);
    const durationMs = Date.now() - startedAt.getTime();
    deliveryAttempts.inc({ channel: d.channel_type, result: verdict.outcome });
    // The attempt and the outcome in one statement (atomic, one round trip). Guarded by the attempt
    // number: if this lease ran out and another worker took over, its outcome stands.
    await this.db.query(
      `WITH attempt AS (
         INSERT INTO delivery_attempt (workspace_id, delivery_id, attempt, started_at, duration_ms, status_code, error)
         VALUES ($1, $2, $3, $8, $9, $5, $6) ON CONFLICT DO NOTHING)
       UPDATE delivery SET status = $4, last_status_code = $5, last_error = $6, updated_at = now(),
              delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END,
              next_attempt_at = CASE WHEN $4 = 'pending' THEN now() + make_interval(secs => $7::double precision / 1000) ELSE next_attempt_at END
        WHERE workspace_id = $1 AND id = $2 AND attempts = $3 AND status = 'sending'`,
      [d.workspace_id, d.id, d.attempts, verdict.outcome === 'retry' ? 'pending' : verdict.outcome, statusCode, error,
        verdict.outcome === 'retry' ? verdict.delayMs : 0, startedAt, durationMs]);
    const target = this.channels.get(d.channel_type)?.logTarget(pending(d)) ?? d.channel_type;
    if (verdict.outcome === 'failed') {
      this.log.error({ deliveryId: d.id, workspaceId: d.workspace_id, channelId: d.channel_id, target, attempts: d.attempts, error }, 'alert delivery failed for good');
    } else if (verdict.outcome === 'retry') {
      this.log.warn({ deliveryId: d.id, workspaceId: d.workspace_id, channelId: d.channel_id, target, attempts: d.attempts, error, retryInMs: verdict.delayMs }, 'alert delivery failed; will retry');
    }
  }

  /** One attempt through the delivery's channel, classified by it; a kind no longer known fails at once. */
  private async attempt(d: Claimed): Promise<AttemptResult> {
    const channel = this.channels.get(d.channel_type);
    if (!channel) return { statusCode: null, error: `no channel kind '${d.channel_type}' in this version`, verdict: { outcome: 'failed' } };
    const sent = await channel.send(pending(d));
    return { statusCode: sent.statusCode, error: sent.error, verdict: afterSend(sent.result, d.attempts, this.options.maxAttempts, this.options.baseBackoffMs) };
  }
}

function pending(d: Claimed): PendingDelivery {
  return {
    id: d.id, workspaceId: d.workspace_id, alertId: d.alert_id, body: d.body, attempts: d.attempts,
    url: d.url, emailTo: d.email_to, sealedSecret: d.sealed_secret, csmOwner: d.csm_owner,
  };
}
