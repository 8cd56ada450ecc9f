import { EventEnvelope } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { TicketChangedV1 } from '@cairn/contracts';
import { AccountSignals, Observation, SignalKey, SIGNAL_KEYS, TicketSignal } from '../domain/signals';

export interface SignalWrite {
  key: SignalKey;
  value: unknown;
}

interface TicketRow {
  account_id: string;
  ticket_id: string;
  status: string;
  priority: string | null;
  escalated: boolean;
  opened_at: string;
  solved_at: string | null;
  resolution_minutes: number | null;
  satisfaction: string | null;
  event_id: string;
}

interface ContractRow {
  account_id: string;
  contract_id: string;
  end_date: string;
  event_id: string;
}

/**
 * The health service's read model of other services' data, per (workspace, account): the latest
 * value of each signal with the event that last moved it, the account's contacts (for the
 * champion) and contracts (for renewal timing). All writes go through the caller's transaction.
 */
@Injectable()
export class SignalStore {
  /**
   * Serializes all work on one account across consumers and instances (events of an account
   * come from several topics, hence several partitions), until the transaction ends.
   */
  async lockAccounts(m: EntityManager, workspaceId: string, accountIds: string[]): Promise<void> {
    const ids = [...new Set(accountIds)].sort();
    if (ids.length === 0) return;
    // One statement, locks taken in the array's order (JS order everywhere, so no two callers
    // ever take the same two locks in opposite orders).
    await m.query(`
      SELECT count(pg_advisory_xact_lock(hashtext('cairn-health'), hashtext($1 || '/' || t.a)))
      FROM (SELECT a FROM unnest($2::text[]) WITH ORDINALITY AS u(a, i) ORDER BY i) t`, [workspaceId, ids]);
  }

  /**
   * Stores signal values reported by `event`. A value that differs from the stored one takes
   * the event as the one that moved it; an equal value only refreshes `observed_at`; an event
   * older than the stored observation is ignored (unless `derived`: state computed by this
   * service, such as championPresent, is always current). Returns the keys whose value moved.
   */
  async record(
    m: EntityManager, workspaceId: string, accountId: string, writes: SignalWrite[],
    event: Pick<EventEnvelope, 'id' | 'type' | 'time'>, options: { derived?: boolean } = {},
  ): Promise<SignalKey[]> {
    const present = writes.filter((w) => w.value !== undefined);
    if (present.length === 0) return [];
    const params: unknown[] = [workspaceId, accountId, event.id, event.type, new Date(event.time)];
    const rows = present.map((w) => {
      params.push(w.key, JSON.stringify(w.value));
      return `($1, $2, $${params.length - 1}, $${params.length}::jsonb, $3, $4, $5, $5)`;
    });
    const moved: { signal: SignalKey; event_id: string }[] = await m.query(`
      INSERT INTO account_signal AS s (workspace_id, account_id, signal, value, event_id, event_type, observed_at, changed_at)
      VALUES ${rows.join(', ')}
      ON CONFLICT (workspace_id, account_id, signal) DO UPDATE SET
        event_id    = CASE WHEN s.value IS DISTINCT FROM EXCLUDED.value THEN EXCLUDED.event_id ELSE s.event_id END,
        event_type  = CASE WHEN s.value IS DISTINCT FROM EXCLUDED.value THEN EXCLUDED.event_type ELSE s.event_type END,
        changed_at  = CASE WHEN s.value IS DISTINCT FROM EXCLUDED.value THEN EXCLUDED.observed_at ELSE s.changed_at END,
        value       = EXCLUDED.value,
        observed_at = GREATEST(s.observed_at, EXCLUDED.observed_at)
      ${options.derived ? '' : 'WHERE s.observed_at <= EXCLUDED.observed_at'}
      RETURNING signal, event_id`, params);
    return moved.filter((r) => r.event_id === event.id).map((r) => r.signal);
  }

  /** One stored signal of an account, as it is before this transaction writes it. */
  async current<T>(m: EntityManager, workspaceId: string, accountId: string, key: SignalKey): Promise<Observation<T> | undefined> {
    const [row]: { value: T; event_id: string; observed_at: Date }[] = await m.query(
      `SELECT value, event_id, observed_at FROM account_signal WHERE workspace_id = $1 AND account_id = $2 AND signal = $3`,
      [workspaceId, accountId, key]);
    return row ? { value: row.value, eventId: row.event_id, observedAt: new Date(row.observed_at).toISOString() } : undefined;
  }

  /**
   * The signals of many accounts in two statements, each account's rows folded into one JSON
   * array per signal by Postgres (far cheaper to move and parse than one row per signal). The id
   * list is joined (unnest) rather than matched with `= ANY(...)`, so the plan stays index
   * lookups whatever the table statistics say. Accounts without any signal or contract are
   * absent from the map.
   */
  async loadMany(m: EntityManager, workspaceId: string, accountIds: string[]): Promise<Map<string, AccountSignals>> {
    // One after the other: a transaction is one connection, and pg does not pipeline queries.
    const rows: { account_id: string; signals: Record<string, [unknown, string, string]> }[] = await m.query(`
      SELECT account_id, json_object_agg(signal, json_build_array(value, event_id,
        to_char(observed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))) AS signals
      FROM unnest($2::text[]) AS k(id)
      JOIN account_signal s ON s.workspace_id = $1 AND s.account_id = k.id AND s.signal = ANY($3::text[])
      GROUP BY account_id`, [workspaceId, accountIds, SIGNAL_KEYS]);
    const contracts: ContractRow[] = await m.query(`
      SELECT c.account_id, c.contract_id, to_char(c.end_date, 'YYYY-MM-DD') AS end_date, c.event_id
      FROM unnest($2::text[]) AS k(id) JOIN contract c ON c.workspace_id = $1 AND c.account_id = k.id`, [workspaceId, accountIds]);
    // Open tickets whatever their age, and every ticket opened within 120 days of the account's
    // newest one (volume baseline, resolution, CSAT): bounded by event time, not the wall clock.
    const tickets: TicketRow[] = await m.query(`
      SELECT t.account_id, t.ticket_id, t.status, t.priority, t.escalated, t.resolution_minutes, t.satisfaction, t.event_id,
        to_char(t.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS opened_at,
        to_char(t.solved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS solved_at
      FROM unnest($2::text[]) AS k(id) JOIN support_ticket t ON t.workspace_id = $1 AND t.account_id = k.id
      WHERE t.solved_at IS NULL OR t.opened_at > (SELECT max(n.opened_at) FROM support_ticket n
        WHERE n.workspace_id = t.workspace_id AND n.account_id = t.account_id) - interval '120 days'`, [workspaceId, accountIds]);
    const out = new Map<string, AccountSignals>();
    for (const r of rows) {
      const signals: Record<string, Observation<unknown>> = {};
      for (const [key, [value, eventId, observedAt]] of Object.entries(r.signals)) {
        signals[key] = { value, eventId, observedAt };
      }
      out.set(r.account_id, signals as AccountSignals);
    }
    for (const c of contracts) {
      let s = out.get(c.account_id);
      if (!s) out.set(c.account_id, s = {});
      (s.contracts ??= []).push({ contractId: c.contract_id, endDate: c.end_date, eventId: c.event_id });
    }
    for (const t of tickets) {
      let s = out.get(t.account_id);
      if (!s) out.set(t.account_id, s = {});
      (s.tickets ??= []).push({
        ticketId: t.ticket_id, status: t.status, priority: t.priority ?? undefined, escalated: t.escalated, openedAt: t.opened_at,
        solvedAt: t.solved_at ?? undefined, resolutionMinutes: t.resolution_minutes ?? undefined,
        satisfaction: (t.satisfaction as TicketSignal['satisfaction']) ?? undefined, eventId: t.event_id,
      });
    }
    return out;
  }

  /** Creates or updates a contact's membership of an account. A departure stays recorded. */
  async upsertContact(
    m: EntityManager, workspaceId: string, accountId: string,
    c: { contactId: string; role?: string; name?: string; email?: string }, event: Pick<EventEnvelope, 'id' | 'time'>,
  ): Promise<void> {
    await m.query(`
      INSERT INTO contact AS c (workspace_id, account_id, contact_id, role, name, email, event_id, observed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (workspace_id, account_id, contact_id) DO UPDATE SET
        role = COALESCE(EXCLUDED.role, c.role), name = COALESCE(EXCLUDED.name, c.name),
        email = COALESCE(EXCLUDED.email, c.email), event_id = EXCLUDED.event_id, observed_at = EXCLUDED.observed_at
      WHERE c.observed_at <= EXCLUDED.observed_at`,
    [workspaceId, accountId, c.contactId, c.role ?? null, c.name ?? null, c.email ?? null, event.id, new Date(event.time)]);
  }

  async markDeparted(
    m: EntityManager, workspaceId: string, accountId: string,
    c: { contactId: string; role: string; name?: string; email?: string; departedAt: string; reason: string },
    event: Pick<EventEnvelope, 'id' | 'time'>,
  ): Promise<void> {
    await m.query(`
      INSERT INTO contact AS c (workspace_id, account_id, contact_id, role, name, email, departed_at, departure_reason, event_id, observed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
      ON CONFLICT (workspace_id, account_id, contact_id) DO UPDATE SET
        role = EXCLUDED.role, name = COALESCE(c.name, EXCLUDED.name), email = COALESCE(c.email, EXCLUDED.email),
        departed_at = COALESCE(c.departed_at, EXCLUDED.departed_at),
        departure_reason = COALESCE(c.departure_reason, EXCLUDED.departure_reason),
        event_id = EXCLUDED.event_id, observed_at = GREATEST(c.observed_at, EXCLUDED.observed_at)`,
    [workspaceId, accountId, c.contactId, c.role, c.name ?? null, c.email ?? null, new Date(c.departedAt), c.reason, event.id, new Date(event.time)]);
  }

  /** Champions of the account who have not left, and whether any contact is known at all. */
  async champions(m: EntityManager, workspaceId: string, accountId: string): Promise<{ contacts: number; champions: string[] }> {
    const [row] = await m.query(`
      SELECT count(*)::int AS contacts,
             coalesce(array_agg(coalesce(name, email, contact_id) ORDER BY contact_id)
               FILTER (WHERE role = 'champion' AND departed_at IS NULL), '{}') AS champions
      FROM contact WHERE workspace_id = $1 AND account_id = $2`, [workspaceId, accountId]);
    return { contacts: row.contacts, champions: row.champions };
  }

  /** Keeps a ticket's latest state (newest event time wins). */
  async upsertTicket(m: EntityManager, workspaceId: string, accountId: string, d: TicketChangedV1, event: EventEnvelope): Promise<void> {
    await m.query(`
      INSERT INTO support_ticket AS t (workspace_id, ticket_id, account_id, status, priority, escalated, opened_at, solved_at,
        resolution_minutes, satisfaction, event_id, observed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
      ON CONFLICT (workspace_id, ticket_id) DO UPDATE SET
        account_id = EXCLUDED.account_id, status = EXCLUDED.status, priority = EXCLUDED.priority, escalated = EXCLUDED.escalated,
        opened_at = EXCLUDED.opened_at, solved_at = EXCLUDED.solved_at, resolution_minutes = EXCLUDED.resolution_minutes,
        satisfaction = COALESCE(EXCLUDED.satisfaction, t.satisfaction), event_id = EXCLUDED.event_id, observed_at = EXCLUDED.observed_at
      WHERE t.observed_at <= EXCLUDED.observed_at`,
    [workspaceId, d.ticketId, accountId, d.status, d.priority ?? null, d.escalated, new Date(d.openedAt), d.solvedAt ? new Date(d.solvedAt) : null,
      d.resolutionMinutes ?? null, d.satisfaction ?? null, event.id, new Date(d.updatedAt)]);
  }

  /** Returns true when the contract's end date moved (or the contract is new). */
  async upsertContract(
    m: EntityManager, workspaceId: string, accountId: string, contractId: string, endDate: string,
    event: Pick<EventEnvelope, 'id' | 'time'>,
  ): Promise<boolean> {
    const rows: { event_id: string }[] = await m.query(`
      INSERT INTO contract AS c (workspace_id, contract_id, account_id, end_date, event_id, observed_at)
      VALUES ($1, $2, $3, $4::date, $5, $6)
      ON CONFLICT (workspace_id, contract_id) DO UPDATE SET
        event_id = CASE WHEN (c.end_date, c.account_id) IS DISTINCT FROM (EXCLUDED.end_date, EXCLUDED.account_id)
                        THEN EXCLUDED.event_id ELSE c.event_id END,
        end_date = EXCLUDED.end_date, account_id = EXCLUDED.account_id, observed_at = EXCLUDED.observed_at
      WHERE c.observed_at <= EXCLUDED.observed_at
      RETURNING event_id`,
    [workspaceId, contractId, accountId, endDate.slice(0, 10), event.id, new Date(event.time)]);
    return rows.some((r) => r.event_id === event.id);
  }

  /**
   * Every account of the workspace the service has heard of, sorted (JS order). One scan rather
   * than keyset pages over a three-way UNION, which would rescan the workspace for every page.
   */
  async allAccountIds(m: EntityManager, workspaceId: string): Promise<string[]> {
    const rows: { account_id: string }[] = await m.query(`
      SELECT account_id FROM account_signal WHERE workspace_id = $1
      UNION SELECT account_id FROM contact WHERE workspace_id = $1
      UNION SELECT account_id FROM contract WHERE workspace_id = $1
      UNION SELECT account_id FROM support_ticket WHERE workspace_id = $1`, [workspaceId]);
    return rows.map((r) => r.account_id).sort();
  }

  /** Accounts a contact is known to belong to (for a departure that names no account). */
  async accountsOfContact(m: EntityManager, workspaceId: string, contactId: string): Promise<string[]> {
    const rows: { account_id: string }[] = await m.query(
      `SELECT account_id FROM contact WHERE workspace_id = $1 AND contact_id = $2 ORDER BY account_id`, [workspaceId, contactId]);
    return rows.map((r) => r.account_id);
  }

  async workspaceIds(m: EntityManager): Promise<string[]> {
    const rows: { workspace_id: string }[] = await m.query(`SELECT DISTINCT workspace_id FROM account_signal ORDER BY 1`);
    return rows.map((r) => r.workspace_id);
  }
}
