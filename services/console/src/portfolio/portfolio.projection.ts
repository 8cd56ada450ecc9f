import {
  AccountUpsertedV1, AlertAcknowledgedV1, AlertRaisedV1, ContactDepartedV1, ContractUpsertedV1, EventEnvelope, HealthChangedV1,
  RenewalUpcomingV1, SurveyResponseRecordedV1, TaskCreatedV1, TaskStatusChangedV1, UsageDroppedV1,
} from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { LIVE_CHANNEL, LiveChange } from '../live/live-channel';

type Env<T> = EventEnvelope<T>;

/**
 * Keeps the portfolio read model (portfolio_* tables, account_activity) from events. Each
 * method runs in the consumer's transaction (inbox dedupe included) and announces the change
 * on the live channel, delivered at commit.
 */
@Injectable()
export class PortfolioProjection {
  async accountUpserted(m: EntityManager, e: Env<AccountUpsertedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await m.query(
      `INSERT INTO portfolio_account (workspace_id, account_id, name, plan, arr, owner, lifecycle_stage, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now())
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, portfolio_account.name),
         plan = COALESCE(EXCLUDED.plan, portfolio_account.plan),
         arr = COALESCE(EXCLUDED.arr, portfolio_account.arr),
         owner = COALESCE(EXCLUDED.owner, portfolio_account.owner),
         lifecycle_stage = COALESCE(EXCLUDED.lifecycle_stage, portfolio_account.lifecycle_stage),
         updated_at = now()`,
      [e.workspaceId, e.accountId, d.name ?? null, d.plan ?? null, d.arr ?? null, d.csmOwner ?? null, d.lifecycleStage ?? null]);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'account', type: e.type });
  }

  async healthChanged(m: EntityManager, e: Env<HealthChangedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    const previous = d.previous?.score ?? null;
    // Event time guards against an older score replayed over a newer one.
    await m.query(
      `UPDATE portfolio_account SET score = $3, band = $4, previous_score = $5, score_change = $6, scored_at = $7, health_summary = $8, updated_at = now()
        WHERE workspace_id = $1 AND account_id = $2 AND (scored_at IS NULL OR scored_at <= $7)`,
      [e.workspaceId, e.accountId, d.current.score, d.current.band, previous, previous === null ? null : round1(d.current.score - previous), e.time, d.summary]);
    await this.activity(m, e, 'health', d.summary, { score: d.current.score, band: d.current.band, previous: d.previous ?? null });
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'health', type: e.type, summary: d.summary });
  }

  async contractUpserted(m: EntityManager, e: Env<ContractUpsertedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await m.query(
      `INSERT INTO portfolio_contract (workspace_id, contract_id, account_id, end_date, arr) VALUES ($1, $2, $3, $4::date, $5)
       ON CONFLICT (workspace_id, contract_id) DO UPDATE SET account_id = EXCLUDED.account_id, end_date = EXCLUDED.end_date, arr = EXCLUDED.arr`,
      [e.workspaceId, d.contractId, e.accountId, d.endDate.slice(0, 10), d.arr]);
    await this.refreshRenewal(m, e.workspaceId, e.accountId);
    await this.activity(m, e, 'contract', `Contract ${d.contractId}: ${d.arr} ${d.currency} until ${d.endDate.slice(0, 10)}`, d);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'contract', type: e.type, id: d.contractId });
  }

  async renewalUpcoming(m: EntityManager, e: Env<RenewalUpcomingV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await this.refreshRenewal(m, e.workspaceId, e.accountId);
    await this.activity(m, e, 'renewal', `Renewal of ${d.contractId} in ${d.daysToRenewal} days (${d.endDate.slice(0, 10)})`, d);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'contract', type: e.type, id: d.contractId });
  }

  async taskCreated(m: EntityManager, e: Env<TaskCreatedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await m.query(
      `INSERT INTO portfolio_task (workspace_id, task_id, account_id, status, updated_at) VALUES ($1, $2, $3, 'open', $4)
       ON CONFLICT (workspace_id, task_id) DO NOTHING`, [e.workspaceId, d.taskId, e.accountId, e.time]);
    await this.recount(m, e.workspaceId, e.accountId);
    await this.activity(m, e, 'task', `Task created: ${d.title}`, { taskId: d.taskId, priority: d.priority, assignee: d.assignee ?? null });
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'task', type: e.type, id: d.taskId, summary: d.title });
  }

  async taskStatusChanged(m: EntityManager, e: Env<TaskStatusChangedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await m.query(
      `INSERT INTO portfolio_task (workspace_id, task_id, account_id, status, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (workspace_id, task_id) DO UPDATE SET status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
        WHERE portfolio_task.updated_at <= EXCLUDED.updated_at`, [e.workspaceId, d.taskId, e.accountId, d.status, d.changedAt]);
    await this.recount(m, e.workspaceId, e.accountId);
    const by = d.changedBy ? ` by ${d.changedBy}` : '';
    await this.activity(m, e, 'task', `Task "${d.title}" ${d.previousStatus} → ${d.status}${by}${d.reason ? ` (${d.reason})` : ''}`, d);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'task', type: e.type, id: d.taskId, summary: d.title });
  }

  async alertRaised(m: EntityManager, e: Env<AlertRaisedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await m.query(
      `INSERT INTO portfolio_alert (workspace_id, alert_id, account_id, status, updated_at) VALUES ($1, $2, $3, 'open', $4)
       ON CONFLICT (workspace_id, alert_id) DO NOTHING`, [e.workspaceId, d.alertId, e.accountId, e.time]);
    await this.recount(m, e.workspaceId, e.accountId);
    await this.activity(m, e, 'alert', `Alert (${d.severity}): ${d.title}`, { alertId: d.alertId, reason: d.reason });
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'alert', type: e.type, id: d.alertId, summary: d.title });
  }

  async alertAcknowledged(m: EntityManager, e: Env<AlertAcknowledgedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    await m.query(
      `INSERT INTO portfolio_alert (workspace_id, alert_id, account_id, status, updated_at) VALUES ($1, $2, $3, 'acknowledged', $4)
       ON CONFLICT (workspace_id, alert_id) DO UPDATE SET status = 'acknowledged', updated_at = EXCLUDED.updated_at`,
      [e.workspaceId, d.alertId, e.accountId, d.acknowledgedAt]);
    await this.recount(m, e.workspaceId, e.accountId);
    await this.activity(m, e, 'alert', `Alert acknowledged${d.acknowledgedBy ? ` by ${d.acknowledgedBy}` : ''}`, d);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'alert', type: e.type, id: d.alertId });
  }

  async surveyResponse(m: EntityManager, e: Env<SurveyResponseRecordedV1>): Promise<void> {
    if (!e.accountId) return;
    const d = e.data;
    await this.ensureAccount(m, e.workspaceId, e.accountId);
    if (d.kind === 'nps') {
      await m.query(`UPDATE portfolio_account SET last_nps = $3, updated_at = now() WHERE workspace_id = $1 AND account_id = $2`, [e.workspaceId, e.accountId, d.score]);
    }
    await this.activity(m, e, 'survey', `${d.kind.toUpperCase()} ${d.score} (${d.category})${d.contactId ? ` from ${d.contactId}` : ''}${d.comment ? `: "${d.comment}"` : ''}`, d);
    await this.announce(m, { workspaceId: e.workspaceId, accountId: e.accountId, kind: 'survey', type: e.type, id: d.responseId });
  }

  async contactDeparted(m: EntityManager, e: Env<ContactDepartedV1>): Promise<void> {
    if (!e.accountId) return;
    await this.activity(m, e, 'contact', e.data.reason, { contactId: e.data.contactId, role: e.data.role, rule: e.data.rule });
  }

  async usageDropped(m: EntityManager, e: Env<UsageDroppedV1>): Promise<void> {
    if (!e.accountId) return;
    await this.activity(m, e, 'usage', e.data.reason, { changePct: e.data.changePct, kind: e.data.kind });
  }

  private async ensureAccount(m: EntityManager, ws: string, accountId: string): Promise<void> {
    await m.query(`INSERT INTO portfolio_account (workspace_id, account_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [ws, accountId]);
  }

  /** The next renewal: the earliest contract end still ahead, else the latest one. */
  private async refreshRenewal(m: EntityManager, ws: string, accountId: string): Promise<void> {
    await m.query(
      `UPDATE portfolio_account p SET renewal_date = c.end_date, renewal_arr = c.arr, updated_at = now()
         FROM (SELECT end_date, arr FROM portfolio_contract WHERE workspace_id = $1 AND account_id = $2
               ORDER BY (end_date < current_date), CASE WHEN end_date >= current_date THEN end_date END ASC, end_date DESC LIMIT 1) c
        WHERE p.workspace_id = $1 AND p.account_id = $2`, [ws, accountId]);
  }

  private async recount(m: EntityManager, ws: string, accountId: string): Promise<void> {
    await m.query(
      `UPDATE portfolio_account SET
         open_tasks = (SELECT count(*) FROM portfolio_task WHERE workspace_id = $1 AND account_id = $2 AND status IN ('open', 'in_progress')),
         open_alerts = (SELECT count(*) FROM portfolio_alert WHERE workspace_id = $1 AND account_id = $2 AND status = 'open'),
         updated_at = now()
       WHERE workspace_id = $1 AND account_id = $2`, [ws, accountId]);
  }

  private async activity(m: EntityManager, e: Env<unknown>, kind: string, summary: string, detail: unknown): Promise<void> {
    await m.query(
      `INSERT INTO account_activity (workspace_id, event_id, account_id, at, kind, summary, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT DO NOTHING`, [e.workspaceId, e.id, e.accountId, e.time, kind, summary.slice(0, 2000), JSON.stringify(detail ?? null)]);
  }

  private async announce(m: EntityManager, change: LiveChange): Promise<void> {
    await m.query(`SELECT pg_notify($1, $2)`, [LIVE_CHANNEL, JSON.stringify({ ...change, summary: change.summary?.slice(0, 300) })]);
  }
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
