import { AccountUpsertedV1, EventEnvelope, HealthChangedV1, SurveyResponseRecordedV1, UsageSummaryV1 } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/** Keeps the account read model: directory traits, health, usage trend and the latest NPS answer. */
@Injectable()
export class AccountsService {
  async applyDirectory(m: EntityManager, event: EventEnvelope<AccountUpsertedV1>): Promise<void> {
    if (!event.accountId) return;
    // Newest event time wins; fields an event leaves out keep their value.
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, name, csm_owner, segment, directory_time)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, a.name), csm_owner = COALESCE(EXCLUDED.csm_owner, a.csm_owner),
         segment = COALESCE(EXCLUDED.segment, a.segment), directory_time = EXCLUDED.directory_time, updated_at = now()
       WHERE a.directory_time IS NULL OR a.directory_time <= EXCLUDED.directory_time`,
      [event.workspaceId, event.accountId, event.data.name ?? null, event.data.csmOwner ?? null,
        typeof event.data.traits?.segment === 'string' ? event.data.traits.segment : null, new Date(event.time)]);
  }

  async applyHealth(m: EntityManager, event: EventEnvelope<HealthChangedV1>): Promise<void> {
    if (!event.accountId) return;
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, health_score, health_previous_score, health_band, health_updated_at)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         health_score = EXCLUDED.health_score, health_previous_score = EXCLUDED.health_previous_score,
         health_band = EXCLUDED.health_band, health_updated_at = EXCLUDED.health_updated_at, updated_at = now()
       WHERE a.health_updated_at IS NULL OR a.health_updated_at <= EXCLUDED.health_updated_at`,
      [event.workspaceId, event.accountId, event.data.current.score, event.data.previous?.score ?? null,
        event.data.current.band, new Date(event.time)]);
  }

  async applyUsageSummary(m: EntityManager, event: EventEnvelope<UsageSummaryV1>): Promise<void> {
    if (!event.accountId) return;
    // asOf is the event-time day of the summary (YYYY-MM-DD): the latest day wins, whatever arrives last.
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, usage_trend_pct, usage_as_of)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         usage_trend_pct = EXCLUDED.usage_trend_pct, usage_as_of = EXCLUDED.usage_as_of, updated_at = now()
       WHERE a.usage_as_of IS NULL OR a.usage_as_of <= EXCLUDED.usage_as_of`,
      [event.workspaceId, event.accountId, event.data.usageTrendPct ?? null, event.data.asOf]);
  }

  async applySurveyResponse(m: EntityManager, event: EventEnvelope<SurveyResponseRecordedV1>): Promise<void> {
    if (!event.accountId || event.data.kind !== 'nps') return;
    await m.query(
      `INSERT INTO account AS a (workspace_id, account_id, nps_score, nps_responded_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, account_id) DO UPDATE SET
         nps_score = EXCLUDED.nps_score, nps_responded_at = EXCLUDED.nps_responded_at, updated_at = now()
       WHERE a.nps_responded_at IS NULL OR a.nps_responded_at <= EXCLUDED.nps_responded_at`,
      [event.workspaceId, event.accountId, event.data.score, new Date(event.data.respondedAt)]);
  }
}
