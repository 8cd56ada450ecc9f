import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { FactKind, SignalFact } from '../domain/history';

export interface StoredFact extends SignalFact {
  accountId: string;
}

/**
 * The point-in-time history (table signal_fact): per account, kind, subject and event-time day,
 * the latest fact of that day. The later event time wins whatever order events arrive in; on an
 * equal time the greater event id wins, so every arrival order ends in the same rows.
 */
@Injectable()
export class SignalHistoryStore {
  async record(m: EntityManager, workspaceId: string, accountId: string, facts: readonly SignalFact[]): Promise<void> {
    if (facts.length === 0) return;
    // Several facts of one statement may share a key (e.g. two answers of one response in a day): keep the winner.
    const winners = new Map<string, SignalFact>();
    for (const f of facts) {
      const key = `${f.kind}\u0000${f.subject}\u0000${f.at.slice(0, 10)}`;
      const held = winners.get(key);
      if (!held || f.at > held.at || (f.at === held.at && f.eventId > held.eventId)) winners.set(key, f);
    }
    const list = [...winners.values()];
    await m.query(`
      INSERT INTO signal_fact AS f (workspace_id, account_id, kind, subject, day, at, event_id, value)
      SELECT $1, $2, t.kind, t.subject, (t.at AT TIME ZONE 'UTC')::date, t.at, t.event_id, t.value
        FROM unnest($3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[]) AS t(kind, subject, at, event_id, value)
      ON CONFLICT (workspace_id, account_id, kind, subject, day) DO UPDATE SET
        at = EXCLUDED.at, event_id = EXCLUDED.event_id, value = EXCLUDED.value, recorded_at = now()
      WHERE (EXCLUDED.at, EXCLUDED.event_id) > (f.at, f.event_id)`,
    [workspaceId, accountId, list.map((f) => f.kind), list.map((f) => f.subject), list.map((f) => f.at),
      list.map((f) => f.eventId), list.map((f) => JSON.stringify(f.value))]);
  }

  /** Facts of many accounts in one statement (a chunk of events). */
  async recordMany(m: EntityManager, workspaceId: string, rows: readonly { accountId: string; fact: SignalFact }[]): Promise<void> {
    if (rows.length === 0) return;
    const winners = new Map<string, { accountId: string; fact: SignalFact }>();
    for (const r of rows) {
      const f = r.fact;
      const key = `${r.accountId}\u0000${f.kind}\u0000${f.subject}\u0000${f.at.slice(0, 10)}`;
      const held = winners.get(key)?.fact;
      if (!held || f.at > held.at || (f.at === held.at && f.eventId > held.eventId)) winners.set(key, r);
    }
    // Key order, so two chunks never lock the same rows in opposite orders.
    const list = [...winners.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
    await m.query(`
      INSERT INTO signal_fact AS f (workspace_id, account_id, kind, subject, day, at, event_id, value)
      SELECT $1, t.account_id, t.kind, t.subject, (t.at AT TIME ZONE 'UTC')::date, t.at, t.event_id, t.value
        FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::jsonb[]) AS t(account_id, kind, subject, at, event_id, value)
      ON CONFLICT (workspace_id, account_id, kind, subject, day) DO UPDATE SET
        at = EXCLUDED.at, event_id = EXCLUDED.event_id, value = EXCLUDED.value, recorded_at = now()
      WHERE (EXCLUDED.at, EXCLUDED.event_id) > (f.at, f.event_id)`,
    [workspaceId, list.map((r) => r.accountId), list.map((r) => r.fact.kind), list.map((r) => r.fact.subject), list.map((r) => r.fact.at),
      list.map((r) => r.fact.eventId), list.map((r) => JSON.stringify(r.fact.value))]);
  }

  /**
   * Every fact of a workspace dated before `before`, ordered by account then event time, as
   * compact rows (the value stays JSON text until it is needed). The backtest's one read.
   */
  async load(m: EntityManager, workspaceId: string, before: Date, accountIds?: string[]): Promise<StoredFact[]> {
    const rows: { a: string; k: FactKind; s: string; t: string; e: string; v: unknown }[] = await m.query(`
      SELECT account_id AS a, kind AS k, subject AS s,
             to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS t, event_id AS e, value AS v
        FROM signal_fact
       WHERE workspace_id = $1 AND at < $2 ${accountIds ? 'AND account_id = ANY($3::text[])' : ''}
       ORDER BY account_id, at, event_id`, accountIds ? [workspaceId, before, accountIds] : [workspaceId, before]);
    return rows.map((r) => ({ accountId: r.a, kind: r.k, subject: r.s, at: r.t, eventId: r.e, value: r.v }));
  }

  /** The floor of a backtest: the same rows read once, nothing computed. */
  async scan(m: EntityManager, workspaceId: string, before: Date): Promise<number> {
    const rows: unknown[] = await m.query(
      `SELECT account_id, kind, subject, at, event_id, value FROM signal_fact WHERE workspace_id = $1 AND at < $2`, [workspaceId, before]);
    return rows.length;
  }

  /** Churn outcomes (any outcome) dated within [from, to). */
  async outcomesBetween(m: EntityManager, workspaceId: string, from: Date, to: Date): Promise<{ churned: number; all: number }> {
    const [r]: { churned: string; all: string }[] = await m.query(`
      SELECT count(*) FILTER (WHERE value->>'outcome' = 'churned') AS churned, count(*) AS all
        FROM signal_fact WHERE workspace_id = $1 AND kind = 'outcome' AND at >= $2 AND at < $3`, [workspaceId, from, to]);
    return { churned: Number(r.churned), all: Number(r.all) };
  }

  /** The latest event time of any fact of the workspace (how far its history reaches). */
  async latestFactAt(m: EntityManager, workspaceId: string): Promise<Date | null> {
    const [r]: { at: Date | null }[] = await m.query(`SELECT max(at) AS at FROM signal_fact WHERE workspace_id = $1`, [workspaceId]);
    return r?.at ? new Date(r.at) : null;
  }
}
