import { EventEnvelope } from '@cairn/contracts';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccountSignals, ContractSignal, Observation, SignalKey, SIGNAL_KEYS } from '../domain/signals';

export interface SignalWrite {
  key: SignalKey;
  value: unknown;
}

interface SignalRow {
  signal: string;
  value: unknown;
  event_id: string;
  event_type: string;
  observed_at: Date;
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
    for (const accountId of [...new Set(accountIds)].sort()) {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('cairn-health'), hashtext($1 || '/' || $2))`, [workspaceId, accountId]);
    }
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

  async load(m: EntityManager, workspaceId: string, accountId: string): Promise<AccountSignals> {
    const rows: SignalRow[] = await m.query(
      `SELECT signal, value, event_id, event_type, observed_at FROM account_signal WHERE workspace_id = $1 AND account_id = $2`,
      [workspaceId, accountId]);
    const signals: Record<string, Observation<unknown>> = {};
    for (const r of rows) {
      if (!(SIGNAL_KEYS as readonly string[]).includes(r.signal)) continue;
      signals[r.signal] = { value: r.value, eventId: r.event_id, eventType: r.event_type, observedAt: new Date(r.observed_at).toISOString() };
    }
    const contracts: ContractSignal[] = (await m.query(
      `SELECT contract_id, to_char(end_date, 'YYYY-MM-DD') AS end_date, event_id FROM contract WHERE workspace_id = $1 AND account_id = $2`,
      [workspaceId, accountId],
    )).map((r: { contract_id: string; end_date: string; event_id: string }) => ({ contractId: r.contract_id, endDate: r.end_date, eventId: r.event_id }));
    return { ...(signals as AccountSignals), ...(contracts.length ? { contracts } : {}) };
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

  /** Every account of the workspace the service has heard of, in pages. */
  async accountIds(m: EntityManager, workspaceId: string, after: string | null, limit: number): Promise<string[]> {
    const rows: { account_id: string }[] = await m.query(`
      SELECT account_id FROM (
        SELECT account_id FROM account_signal WHERE workspace_id = $1
        UNION SELECT account_id FROM contact WHERE workspace_id = $1
        UNION SELECT account_id FROM contract WHERE workspace_id = $1
      ) a WHERE $2::text IS NULL OR account_id > $2 ORDER BY account_id LIMIT $3`, [workspaceId, after, limit]);
    return rows.map((r) => r.account_id);
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
