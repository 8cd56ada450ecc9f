import { AlertRaisedV1, deterministicUuid, EventEnvelope, NewEvent, TaskCreatedV1, Topics } from '@cairn/contracts';
import { createLogger, metricsRegistry } from '@cairn/observability';
import { OutboxWriter } from '@cairn/messaging';
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EntityManager } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { txMemo } from '../common/tx-memo';
import { DeliveriesService } from '../delivery/deliveries.service';
import { AlertNotice } from '../domain/alert-payloads';
import { evaluatePlaybook, inCooldown, Playbook, PlaybookDecision } from '../domain/evaluation';
import { AccountFacts } from '../domain/fields';
import { triggerFor, TriggerEvent } from '../domain/triggers';
import { PlaybooksService } from '../playbooks/playbooks.service';
import { Clock } from '@cairn/runtime';
import { AlertStore, NewAlertRow } from '../alerts/alert.store';
import { NewTaskRow, TaskStore } from '../tasks/task.store';
import { PlaybookRunStore } from './playbook-run.store';
import { PlaybookOutcome } from './signal.entity';
import { NewSignalRow, SignalStore } from './signal.store';

const playbookDecisions = new Counter({
  name: 'cairn_playbook_decisions_total',
  help: 'Playbook decisions on trigger events (acted, no-match, duplicate-cause, cooldown)',
  labelNames: ['trigger', 'outcome'] as const,
  registers: [metricsRegistry],
});

const DAY_MS = 86_400_000;

/**
 * What the events of one transaction decided, written by `flush` a statement per table
 * rather than per event. Nothing in the transaction reads these rows back before the flush:
 * the once-per-cause guard (playbook_run) and the cooldown are written and read per event.
 */
interface Effects {
  signals: NewSignalRow[];
  tasks: NewTaskRow[];
  alerts: NewAlertRow[];
  taskEvents: NewEvent<TaskCreatedV1>[];
  alertEvents: NewEvent<AlertRaisedV1>[];
  notices: AlertNotice[];
}

const effectsOf = (m: EntityManager) => txMemo(m, 'playbook-effects', (): Effects =>
  ({ signals: [], tasks: [], alerts: [], taskEvents: [], alertEvents: [], notices: [] }));

/**
 * Runs a workspace's enabled playbooks on trigger events, inside the caller's transaction (the
 * consumer's: the inbox rows, the decisions, tasks, alerts, outbox events and deliveries all
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
    private readonly clock: Clock,
    private readonly tasks: TaskStore,
    private readonly alerts: AlertStore,
    private readonly signals: SignalStore,
    private readonly runs: PlaybookRunStore,
  ) {}

  /**
   * Decides and acts on one event. Its effects (signal row, task, alert, their events, the
   * deliveries) are written at once, or with `defer` kept until `flush` writes those of a whole
   * consumer chunk together, still in the same transaction.
   */
  async run(m: EntityManager, envelope: EventEnvelope<object>, options: { defer?: boolean } = {}): Promise<PlaybookOutcome[]> {
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
    const playbooks = await this.playbooks.enabledFor(m, event.workspaceId, event.type);
    const account = playbooks.length ? await this.accounts.facts(m, event.workspaceId, event.accountId, new Date(event.time)) : { id: event.accountId };
    const outcomes: PlaybookOutcome[] = [];
    for (const playbook of playbooks) {
      const decision = evaluatePlaybook(playbook, event, account);
      if (!decision) continue;
      const outcome: PlaybookOutcome = decision.matched
        ? await this.act(m, playbook, event, account, decision)
        : { playbookId: playbook.id, playbook: playbook.name, outcome: 'no-match' };
      playbookDecisions.inc({ trigger: event.type, outcome: outcome.outcome });
      outcomes.push(outcome);
    }
    effectsOf(m).signals.push({
      workspaceId: event.workspaceId, eventId: event.id, type: event.type, accountId: event.accountId, time: event.time, data: event.data,
      summary: trigger.summary(event), outcomes,
    });
    if (!options.defer) await this.flush(m);
    return outcomes;
  }

  /** Writes what `run(…, { defer: true })` calls in this transaction decided. */
  async flush(m: EntityManager): Promise<void> {
    const e = effectsOf(m);
    const tasks = e.tasks.splice(0);
    const alerts = e.alerts.splice(0);
    const taskEvents = e.taskEvents.splice(0);
    const alertEvents = e.alertEvents.splice(0);
    const notices = e.notices.splice(0);
    const signals = e.signals.splice(0);
    await this.tasks.insertAll(m, tasks);
    await this.alerts.insertAll(m, alerts);
    await this.outbox.publishAll(m, Topics.taskCreated, taskEvents);
    await this.outbox.publishAll(m, Topics.alertRaised, alertEvents);
    await this.deliveries.enqueueAll(m, notices);
    await this.signals.insertAll(m, signals);
  }

  private async act(m: EntityManager, playbook: Playbook, event: TriggerEvent, account: AccountFacts, decision: PlaybookDecision): Promise<PlaybookOutcome> {
    const ws = event.workspaceId;
    const base = { playbookId: playbook.id, playbook: playbook.name };
    await this.runs.lockDecision(m, ws, playbook.id, event.accountId);
    const eventTime = new Date(event.time);
    const seen = await this.runs.priorRuns(m, ws, decision.dedupeKey, playbook.id, event.accountId, eventTime);
    if (seen.prior) return { ...base, outcome: 'duplicate-cause', taskId: seen.prior.taskId, alertId: seen.prior.alertId };
    const cooling = inCooldown(seen.nearestActedAt, eventTime, playbook.cooldownHours);
    const taskId = !cooling && decision.task ? deterministicUuid('task', ws, decision.dedupeKey) : null;
    const alertId = !cooling && decision.alert ? deterministicUuid('alert', ws, decision.dedupeKey) : null;
    const claimed = await this.runs.claim(m, {
      workspaceId: ws, dedupeKey: decision.dedupeKey, playbookId: playbook.id, accountId: event.accountId, cause: decision.cause, eventTime,
      outcome: cooling ? 'cooldown' : 'acted', taskId, alertId,
    });
    if (!claimed) return { ...base, outcome: 'duplicate-cause' };
    if (cooling) return { ...base, outcome: 'cooldown' };

    const effects = effectsOf(m);
    const now = this.clock.now();
    const cause = decision.cause;
    let dueAt: Date | null = null;
    if (decision.task && taskId) {
      const t = decision.task;
      dueAt = new Date(now.getTime() + t.dueInDays * DAY_MS);
      effects.tasks.push({
        workspaceId: ws, id: taskId, dedupeKey: decision.dedupeKey, accountId: event.accountId, playbookId: playbook.id, playbookVersion: playbook.version,
        title: t.title, description: t.description, priority: t.priority, assignee: t.assignee, assigneeRule: t.assigneeRule, dueAt, cause,
      });
      effects.taskEvents.push({
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
      effects.alerts.push({
        workspaceId: ws, id: alertId, dedupeKey: decision.dedupeKey, accountId: event.accountId, playbookId: playbook.id, taskId,
        severity: a.severity, title: a.title, reason: cause.summary, recipient: a.recipient, recipientRule: a.recipientRule, cause, createdAt: now,
      });
      effects.alertEvents.push({
        id: deterministicUuid('event', 'alert-raised', ws, alertId),
        workspaceId: ws, accountId: event.accountId,
        data: {
          alertId, playbookId: playbook.id, severity: a.severity, title: a.title, reason: cause.summary,
          ...(taskId ? { taskId } : {}), cause,
        },
      });
      effects.notices.push({
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
      });
    }
    this.log.info({ workspaceId: ws, accountId: event.accountId, playbookId: playbook.id, eventId: event.id, taskId, alertId }, 'playbook acted');
    return { ...base, outcome: 'acted', taskId, alertId };
  }
}
