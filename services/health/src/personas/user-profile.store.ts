import { SurveyKind } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DEFAULT_LIFECYCLE_SETTINGS, LifecycleSettings, SurveyAnswerFact, UserAttributes, UserFacts } from '../domain/user-lifecycle';

/** A chunk's activity of one user, folded in memory before it is written. */
export interface UserActivity {
  workspaceId: string;
  userId: string;
  /** The account of the user's latest activity in the chunk that named one. */
  accountId: string | null;
  firstAt: string;
  lastAt: string;
  /** YYYY-MM-DD (UTC) → events that day. */
  days: Map<string, number>;
  /** Track event name → first/last use and count. */
  features: Map<string, { firstAt: string; lastAt: string; events: number }>;
}

export interface UserFactsRow {
  userId: string;
  asOf: Date;
  facts: UserFacts;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;
const byKey = (a: { workspaceId: string; userId: string }, b: { workspaceId: string; userId: string }) =>
  a.workspaceId < b.workspaceId ? -1 : a.workspaceId > b.workspaceId ? 1 : a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;

/**
 * The user-level read model of User Success: profiles (directory data, latest answers, activity
 * bounds, derived attributes), active days and features used. All writes go through the
 * caller's transaction; multi-row writes go in (workspace, user) order so that two transactions
 * never lock the same two profiles in opposite orders.
 */
@Injectable()
export class UserProfileStore {
  /**
   * Serializes membership evaluation with persona changes: evaluations of users share the
   * workspace's lock, creating or changing a persona (or the settings) takes it alone.
   */
  async lockPersonas(m: EntityManager, workspaceIds: string[], mode: 'shared' | 'exclusive'): Promise<void> {
    const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    for (const ws of [...new Set(workspaceIds)].sort()) {
      await m.query(`SELECT ${fn}(hashtext('cairn-health-personas'), hashtext($1))`, [ws]);
    }
  }

  async recordActivity(m: EntityManager, activity: UserActivity[]): Promise<void> {
    if (activity.length === 0) return;
    const users = [...activity].sort(byKey);
    await m.query(`
      INSERT INTO user_profile AS p (workspace_id, user_id, account_id, first_seen_at, last_active_at, evaluated_as_of)
      SELECT x.workspace_id, x.user_id, x.account_id, x.first_at, x.last_at, x.last_at
      FROM jsonb_to_recordset($1::jsonb) AS x(workspace_id text, user_id text, account_id text, first_at timestamptz, last_at timestamptz)
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET
        account_id = CASE WHEN EXCLUDED.account_id IS NOT NULL AND (p.account_id IS NULL OR p.last_active_at IS NULL
                                OR EXCLUDED.last_active_at >= p.last_active_at)
                          THEN EXCLUDED.account_id ELSE p.account_id END,
        first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at),
        last_active_at = GREATEST(p.last_active_at, EXCLUDED.last_active_at)`,
    [JSON.stringify(users.map((u) => ({ workspace_id: u.workspaceId, user_id: u.userId, account_id: u.accountId, first_at: u.firstAt, last_at: u.lastAt })))]);
    const days = users.flatMap((u) => [...u.days].sort().map(([day, events]) => ({ workspace_id: u.workspaceId, user_id: u.userId, day, events })));
    await m.query(`
      INSERT INTO user_activity_day AS d (workspace_id, user_id, day, events)
      SELECT x.workspace_id, x.user_id, x.day, x.events FROM jsonb_to_recordset($1::jsonb) AS x(workspace_id text, user_id text, day date, events int)
      ON CONFLICT (workspace_id, user_id, day) DO UPDATE SET events = d.events + EXCLUDED.events`, [JSON.stringify(days)]);
    const features = users.flatMap((u) => [...u.features].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([feature, f]) => ({
      workspace_id: u.workspaceId, user_id: u.userId, feature, first_at: f.firstAt, last_at: f.lastAt, events: f.events,
    })));
    if (features.length) {
      await m.query(`
        INSERT INTO user_feature AS f (workspace_id, user_id, feature, first_used_at, last_used_at, events)
        SELECT x.workspace_id, x.user_id, x.feature, x.first_at, x.last_at, x.events
        FROM jsonb_to_recordset($1::jsonb) AS x(workspace_id text, user_id text, feature text, first_at timestamptz, last_at timestamptz, events int)
        ON CONFLICT (workspace_id, user_id, feature) DO UPDATE SET
          first_used_at = LEAST(f.first_used_at, EXCLUDED.first_used_at), last_used_at = GREATEST(f.last_used_at, EXCLUDED.last_used_at),
          events = f.events + EXCLUDED.events`, [JSON.stringify(features)]);
    }
  }

  /** Directory data of a contact; an older event than the one stored does not override it. */
  async recordContact(
    m: EntityManager, workspaceId: string, c: { contactId: string; accountIds: string[]; role?: string; name?: string; email?: string; traits: Record<string, unknown> },
    at: Date,
  ): Promise<void> {
    await m.query(`
      INSERT INTO user_profile AS p (workspace_id, user_id, account_id, role, name, email, traits, contact_observed_at, first_seen_at, evaluated_as_of)
      VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8, $8)
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET
        role   = CASE WHEN p.contact_observed_at IS NULL OR p.contact_observed_at <= EXCLUDED.contact_observed_at THEN COALESCE(EXCLUDED.role, p.role) ELSE p.role END,
        name   = CASE WHEN p.contact_observed_at IS NULL OR p.contact_observed_at <= EXCLUDED.contact_observed_at THEN COALESCE(EXCLUDED.name, p.name) ELSE p.name END,
        email  = CASE WHEN p.contact_observed_at IS NULL OR p.contact_observed_at <= EXCLUDED.contact_observed_at THEN COALESCE(EXCLUDED.email, p.email) ELSE p.email END,
        traits = CASE WHEN p.contact_observed_at IS NULL OR p.contact_observed_at <= EXCLUDED.contact_observed_at THEN EXCLUDED.traits ELSE p.traits END,
        account_id = CASE WHEN p.account_id IS NULL OR NOT (p.account_id = ANY($9::text[])) THEN COALESCE(EXCLUDED.account_id, p.account_id) ELSE p.account_id END,
        contact_observed_at = GREATEST(p.contact_observed_at, EXCLUDED.contact_observed_at),
        first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at)`,
    [workspaceId, c.contactId, c.accountIds[0] ?? null, c.role ?? null, c.name ?? null, c.email ?? null, JSON.stringify(c.traits ?? {}), at, c.accountIds]);
  }

  async recordDeparture(m: EntityManager, workspaceId: string, c: { contactId: string; role: string; name?: string; email?: string }, accountId: string | null, departedAt: Date, at: Date): Promise<void> {
    await m.query(`
      INSERT INTO user_profile AS p (workspace_id, user_id, account_id, role, name, email, departed_at, first_seen_at, evaluated_as_of)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET
        -- Leaving one account of several is not leaving: only the user's own account (or an unnamed one) counts.
        departed_at = CASE WHEN EXCLUDED.account_id IS NULL OR p.account_id IS NULL OR p.account_id = EXCLUDED.account_id
                           THEN COALESCE(p.departed_at, EXCLUDED.departed_at) ELSE p.departed_at END,
        role = COALESCE(p.role, EXCLUDED.role),
        first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at)`,
    [workspaceId, c.contactId, accountId, c.role, c.name ?? null, c.email ?? null, departedAt, at]);
  }

  /** The latest answer per survey kind (a later answer replaces an earlier one, never the reverse). */
  async recordAnswer(m: EntityManager, workspaceId: string, userId: string, accountId: string | null, kind: SurveyKind, answer: SurveyAnswerFact): Promise<void> {
    await m.query(`
      INSERT INTO user_profile AS p (workspace_id, user_id, account_id, answers, first_seen_at, evaluated_as_of)
      VALUES ($1, $2, $3, jsonb_build_object($4::text, $5::jsonb), $6, $6)
      ON CONFLICT (workspace_id, user_id) DO UPDATE SET
        answers = CASE WHEN (p.answers #>> ARRAY[$4::text, 'at']) IS NULL OR (p.answers #>> ARRAY[$4::text, 'at'])::timestamptz <= $6
                       THEN p.answers || jsonb_build_object($4::text, $5::jsonb) ELSE p.answers END,
        account_id = COALESCE(p.account_id, EXCLUDED.account_id),
        first_seen_at = LEAST(p.first_seen_at, EXCLUDED.first_seen_at)`,
    [workspaceId, userId, accountId, kind, JSON.stringify(answer), new Date(answer.at)]);
  }

  async settings(m: EntityManager, workspaceId: string): Promise<LifecycleSettings> {
    const [row] = await m.query(
      `SELECT key_features, onboarding_active_days, key_features_to_adopt FROM persona_settings WHERE workspace_id = $1`, [workspaceId]);
    return row
      ? { keyFeatures: row.key_features, onboardingActiveDays: row.onboarding_active_days, keyFeaturesToAdopt: row.key_features_to_adopt }
      : DEFAULT_LIFECYCLE_SETTINGS;
  }

  async saveSettings(m: EntityManager, workspaceId: string, s: LifecycleSettings): Promise<void> {
    await m.query(`
      INSERT INTO persona_settings (workspace_id, key_features, onboarding_active_days, key_features_to_adopt, updated_at)
      VALUES ($1, $2, $3, $4, now())
      ON CONFLICT (workspace_id) DO UPDATE SET key_features = EXCLUDED.key_features, onboarding_active_days = EXCLUDED.onboarding_active_days,
        key_features_to_adopt = EXCLUDED.key_features_to_adopt, updated_at = now()`,
    [workspaceId, s.keyFeatures, s.onboardingActiveDays, s.keyFeaturesToAdopt]);
  }

  /**
   * Facts of users as of max(their last evaluation, the given time), with their profile rows
   * locked. `asOf` null = as of their last evaluation (e.g. after a settings change).
   */
  async facts(m: EntityManager, workspaceId: string, users: { userId: string; asOf: Date | null }[], keyFeatures: string[]): Promise<UserFactsRow[]> {
    if (users.length === 0) return [];
    const sorted = [...users].sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
    const rows: {
      user_id: string; account_id: string | null; role: string | null; traits: Record<string, unknown>; departed: boolean;
      first_seen_at: string; last_active_at: string | null; answers: UserFacts['answers']; as_of: Date;
      active_days_total: number; active_days_30d: number; key_features_used: string[];
    }[] = await m.query(`
      WITH k AS (
        SELECT p.*, GREATEST(p.evaluated_as_of, x.as_of) AS as_of
        FROM ROWS FROM (jsonb_to_recordset($2::jsonb) AS (user_id text, as_of timestamptz)) WITH ORDINALITY AS x(user_id, as_of, i)
        JOIN user_profile p ON p.workspace_id = $1 AND p.user_id = x.user_id
        ORDER BY x.i
        FOR UPDATE OF p
      )
      SELECT k.user_id, k.account_id, k.role, k.traits, k.departed_at IS NOT NULL AS departed, k.answers, k.as_of,
        to_char(k.first_seen_at AT TIME ZONE 'UTC', ${ISO}) AS first_seen_at,
        to_char(k.last_active_at AT TIME ZONE 'UTC', ${ISO}) AS last_active_at,
        (SELECT count(*)::int FROM user_activity_day d WHERE d.workspace_id = $1 AND d.user_id = k.user_id) AS active_days_total,
        (SELECT count(*)::int FROM user_activity_day d WHERE d.workspace_id = $1 AND d.user_id = k.user_id
           AND d.day > (k.as_of AT TIME ZONE 'UTC')::date - 30 AND d.day <= (k.as_of AT TIME ZONE 'UTC')::date) AS active_days_30d,
        ARRAY(SELECT f.feature FROM user_feature f WHERE f.workspace_id = $1 AND f.user_id = k.user_id AND f.feature = ANY($3::text[])
              ORDER BY f.feature) AS key_features_used
      FROM k`,
    [workspaceId, JSON.stringify(sorted.map((u) => ({ user_id: u.userId, as_of: u.asOf?.toISOString() ?? null }))), keyFeatures]);
    return rows.map((r) => ({
      userId: r.user_id,
      asOf: new Date(r.as_of),
      facts: {
        firstSeenAt: r.first_seen_at, lastActiveAt: r.last_active_at, activeDaysTotal: r.active_days_total, activeDays30d: r.active_days_30d,
        keyFeaturesUsed: r.key_features_used, answers: r.answers ?? {}, role: r.role, accountId: r.account_id, traits: r.traits ?? {}, departed: r.departed,
      },
    }));
  }

  async saveAttributes(m: EntityManager, workspaceId: string, rows: { userId: string; asOf: Date; attributes: UserAttributes }[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(`
      UPDATE user_profile p SET attributes = x.attributes, evaluated_as_of = x.as_of
      FROM jsonb_to_recordset($2::jsonb) AS x(user_id text, as_of timestamptz, attributes jsonb)
      WHERE p.workspace_id = $1 AND p.user_id = x.user_id`,
    [workspaceId, JSON.stringify(rows.map((r) => ({ user_id: r.userId, as_of: r.asOf.toISOString(), attributes: r.attributes })))]);
  }

  /** Users of a workspace in user id order, from `after` (exclusive). */
  async userPage(m: EntityManager, workspaceId: string, after: string | null, limit: number): Promise<{ userId: string; attributes: UserAttributes | null }[]> {
    const rows: { user_id: string; attributes: UserAttributes | null }[] = await m.query(`
      SELECT user_id, attributes FROM user_profile WHERE workspace_id = $1 AND ($2::text IS NULL OR user_id > $2)
      ORDER BY user_id LIMIT $3`, [workspaceId, after, limit]);
    return rows.map((r) => ({ userId: r.user_id, attributes: r.attributes }));
  }

  async workspaceIds(m: EntityManager): Promise<string[]> {
    const rows: { workspace_id: string }[] = await m.query(`SELECT DISTINCT workspace_id FROM user_profile ORDER BY 1`);
    return rows.map((r) => r.workspace_id);
  }
}
