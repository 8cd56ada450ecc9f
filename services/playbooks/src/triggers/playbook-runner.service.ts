import { EventEnvelope, Topics } from '@cairn/contracts';
import { createLogger, metricsRegistry } from '@cairn/observability';
import { OutboxWriter } from '@cairn/persistence';
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { DeliveriesService } from '../delivery/deliveries.service';
import { AlertNotice } from '../domain/alert-payloads';
import { evaluatePlaybook, inCooldown, Playbook, PlaybookDecision } from '../domain/evaluation';
import { AccountFacts } from '../domain/fields';
import { deterministicUuid } from '../domain/ids';
import { triggerFor, TriggerEvent } from '../domain/triggers';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { PlaybookOutcome } from './signal.entity';

const playbookDecisions = new Counter({
  name: 'cairn_playbook_decisions_total',
  help: 'Playbook decisions on trigger events (acted, no-match, duplicate-cause, cooldown)',
  labelNames: ['trigger', 'outcome'] as const,
  registers: [metricsRegistry],
});

const DAY_MS = 86_400_000;

/**
 * Runs a workspace's enabled playbooks on one trigger event, inside the consumer's
 * transaction (the inbox row, the decisions, tasks, alerts, outbox events and deliveries all
 * commit together). Once per cause: the playbook_run row keyed by playbook + cause is the
 * guard, backed by UNIQUE (workspace_id, dedupe_key) on tasks and alerts.
 */
@Injectable()
export class PlaybookRunner {
  private readonly log = createLogger('playbook-runner');

  constructor(
    private readonly playbooks: PlaybooksService,
    private readonly accounts: AccountsService,
    private readonly deliveries: DeliveriesService,
    private readonly outbox: OutboxWriter,
  ) {}

  async run(m: EntityManager, envelope: EventEnvelope<object>): Promise<PlaybookOutcome[]> {
    const trigger = triggerFor(envelope.type);
    if (!trigger) throw new Error(`no trigger definition for '${envelope.type}'`);
    if (!envelope.accountId) {
      this.log.warn({ eventId: envelope.id, type: envelope.type, workspaceId: envelope.workspaceId }, 'trigger event without accountId: no playbook can act on it');
      return [];
    }
    const event: TriggerEvent = {
      id: envelope.id, type: envelope.type, time: envelope.time, workspaceId: envelope.workspaceId, accountId: envelope.accountId,
      // The transport hands over class instances; conditions and storage want plain JSON.
      data: JSON.parse(JSON.stringify(envelope.data)) as Record<string, unknown>,
    };
    const account = await this.accounts.facts(m, event.workspaceId, event.accountId, new Date(event.time));
    const outcomes: PlaybookOutcome[] = [];
    for (const playbook of await this.playbooks.enabledFor(m, event.workspaceId, event.type)) {
      const decision = evaluatePlaybook(playbook, event, account);
      if (!decision) continue;
      const outcome: PlaybookOutcome = decision.matched
        ? await this.act(m, playbook, event, account, decision)
        : { playbookId: playbook.id, playbook: playbook.name, outcome: 'no-match' };
      playbookDecisions.inc({ trigger: event.type, outcome: outcome.outcome });
      outcomes.push(outcome);
    }
    await m.query(
      `INSERT INTO signal (workspace_id, event_id, type, account_id, time, data, summary, outcomes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [event.workspaceId, event.id, event.type, event.accountId, event.time, JSON.stringify(event.data), trigger.summary(event), JSON.stringify(outcomes)]);
    return outcomes;
  }

  private async act(m: EntityManager, playbook: Playbook, event: TriggerEvent, account: AccountFacts, decision: PlaybookDecision): Promise<PlaybookOutcome> {
    const ws = event.workspaceId;
    const base = { playbookId: playbook.id, playbook: playbook.name };
    // One decision at a time per playbook and account, so the cooldown check cannot race.
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`playbook-run|${ws}|${playbook.id}|${event.accountId}`]);
    const prior: { task_id: string | null; alert_id: string | null }[] = await m.query(
      `SELECT task_id, alert_id FROM playbook_run WHERE workspace_id = $1 AND dedupe_key = $2`, [ws, decision.dedupeKey]);
    if (prior.length) return { ...base, outcome: 'duplicate-cause', taskId: prior[0].task_id, alertId: prior[0].alert_id };

    const eventTime = new Date(event.time);
    const nearest: { event_time: Date }[] = await m.query(
      `SELECT event_time FROM playbook_run WHERE workspace_id = $1 AND playbook_id = $2 AND account_id = $3 AND outcome = 'acted'
        ORDER BY abs(extract(epoch FROM (event_time - $4::timestamptz))) LIMIT 1`,
      [ws, playbook.id, event.accountId, eventTime]);
    const cooling = inCooldown(nearest[0]?.event_time, eventTime, playbook.cooldownHours);
    const taskId = !cooling && decision.task ? deterministicUuid('task', ws, decision.dedupeKey) : null;
    const alertId = !cooling && decision.alert ? deterministicUuid('alert', ws, decision.dedupeKey) : null;
    const claimed = await m.query(
      `INSERT INTO playbook_run (workspace_id, dedupe_key, playbook_id, account_id, cause, event_time, outcome, task_id, alert_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING dedupe_key`,
      [ws, decision.dedupeKey, playbook.id, event.accountId, JSON.stringify(decision.cause), eventTime, cooling ? 'cooldown' : 'acted', taskId, alertId]);
    if (claimed.length === 0) return { ...base, outcome: 'duplicate-cause' };
    if (cooling) return { ...base, outcome: 'cooldown' };

    const now = new Date();
    const cause = decision.cause;
    let dueAt: Date | null = null;
    if (decision.task && taskId) {
      const t = decision.task;
      dueAt = new Date(now.getTime() + t.dueInDays * DAY_MS);
      await m.query(
        `INSERT INTO task (workspace_id, id, dedupe_key, account_id, playbook_id, playbook_version, title, description, priority,
                           assignee, assignee_rule, due_at, cause)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
        [ws, taskId, decision.dedupeKey, event.accountId, playbook.id, playbook.version, t.title, t.description, t.priority,
          t.assignee, t.assigneeRule, dueAt, JSON.stringify(cause)]);
      await this.outbox.publish(m, Topics.taskCreated, {
        id: deterministicUuid('event', 'task-created', ws, taskId),
        workspaceId: ws, accountId: event.accountId,
        data: {
          taskId, playbookId: playbook.id, title: t.title, description: t.description, priority: t.priority,
          ...(t.assignee ? { assignee: t.assignee } : {}), dueAt: dueAt.toISOString(), cause,
        },
      });
    }
    if (decision.alert && alertId) {
      const a = decision.alert;
      await m.query(
        `INSERT INTO alert (workspace_id, id, dedupe_key, account_id, playbook_id, task_id, severity, title, reason, recipient, recipient_rule, cause, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`,
        [ws, alertId, decision.dedupeKey, event.accountId, playbook.id, taskId, a.severity, a.title, cause.summary, a.recipient,
          a.recipientRule, JSON.stringify(cause), now]);
      await this.outbox.publish(m, Topics.alertRaised, {
        id: deterministicUuid('event', 'alert-raised', ws, alertId),
        workspaceId: ws, accountId: event.accountId,
        data: {
          alertId, playbookId: playbook.id, severity: a.severity, title: a.title, reason: cause.summary,
          ...(taskId ? { taskId } : {}), cause,
        },
      });
      const notice: AlertNotice = {
        workspaceId: ws,
        alert: {
          id: alertId, severity: a.severity, title: a.title, reason: cause.summary, playbookId: playbook.id, playbookName: playbook.name,
          accountId: event.accountId, recipient: a.recipient, cause, createdAt: now.toISOString(),
        },
        task: decision.task && taskId && dueAt ? {
          id: taskId, title: decision.task.title, description: decision.task.description, priority: decision.task.priority,
          assignee: decision.task.assignee, dueAt: dueAt.toISOString(), status: 'open',
        } : null,
        account: {
          id: event.accountId, name: account.name ?? null, csmOwner: account.csmOwner ?? null, plan: account.plan ?? null,
          arr: account.arr ?? null, band: account.band ?? null, score: account.score ?? null,
        },
      };
      await this.deliveries.enqueue(m, notice);
    }
    this.log.info({ workspaceId: ws, accountId: event.accountId, playbookId: playbook.id, eventId: event.id, taskId, alertId }, 'playbook acted');
    return { ...base, outcome: 'acted', taskId, alertId };
  }
}
