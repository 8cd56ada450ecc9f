import { Injectable } from '@nestjs/common';
import { EntityManager, FindOptionsWhere } from 'typeorm';
import { columnsOf } from '../common/columns';
import { PlaybookOutcome, SignalEntity } from './signal.entity';

/** A trigger event as received, with each enabled playbook's decision. */
export interface NewSignalRow {
  workspaceId: string;
  eventId: string;
  type: string;
  accountId: string;
  time: string;
  data: Record<string, unknown>;
  summary: string;
  outcomes: PlaybookOutcome[];
}

/** A stored signal as a dry run replays it. */
export interface ReplayedSignalRow {
  eventId: string;
  type: string;
  accountId: string;
  time: Date;
  data: Record<string, unknown>;
}

const NEW_SIGNAL_COLUMNS: (keyof NewSignalRow)[] = ['workspaceId', 'eventId', 'type', 'accountId', 'time', 'data', 'summary', 'outcomes'];

/** How long received signals are kept (for GET /signals and dry runs). */
export const SIGNAL_RETENTION_DAYS = 90;

/** Every SQL statement on the `signal` table (the triggers feature owns it). */
@Injectable()
export class SignalStore {
  /** One statement for a chunk of signals; a signal already there (same event) is left as it is. */
  async insertAll(m: EntityManager, signals: NewSignalRow[]): Promise<void> {
    if (signals.length === 0) return;
    await m.query(
      `INSERT INTO signal (workspace_id, event_id, type, account_id, time, data, summary, outcomes)
       SELECT w, e, t, a, tm, d::jsonb, s, o::jsonb
         FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[]) AS u(w, e, t, a, tm, d, s, o)
       ON CONFLICT DO NOTHING`,
      columnsOf(signals.map((s) => ({ ...s, data: JSON.stringify(s.data), outcomes: JSON.stringify(s.outcomes) })), NEW_SIGNAL_COLUMNS));
  }

  /** GET /signals: newest first. */
  list(m: EntityManager, workspaceId: string, filter: { accountId?: string; type?: string; limit: number }): Promise<SignalEntity[]> {
    const where: FindOptionsWhere<SignalEntity> = { workspaceId };
    if (filter.accountId) where.accountId = filter.accountId;
    if (filter.type) where.type = filter.type;
    return m.getRepository(SignalEntity).find({ where, order: { receivedAt: 'DESC', eventId: 'ASC' }, take: filter.limit });
  }

  /** The workspace's signals of one type with event time in the last `days` days, oldest first, at most `limit`. */
  recentOfType(m: EntityManager, workspaceId: string, type: string, days: number, limit: number): Promise<ReplayedSignalRow[]> {
    return m.query(
      `SELECT event_id AS "eventId", type, account_id AS "accountId", time, data FROM signal
        WHERE workspace_id = $1 AND type = $2 AND time >= now() - make_interval(days => $3)
        ORDER BY time LIMIT $4`,
      [workspaceId, type, days, limit]);
  }

  /** Drops signals received more than SIGNAL_RETENTION_DAYS ago. */
  async pruneExpired(m: EntityManager): Promise<void> {
    await m.query(`DELETE FROM signal WHERE received_at < now() - make_interval(days => $1)`, [SIGNAL_RETENTION_DAYS]);
  }
}
