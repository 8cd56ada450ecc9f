import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { simulatePlaybook } from '../domain/dry-run';
import { Playbook } from '../domain/evaluation';
import { AccountFacts } from '../domain/fields';
import { TriggerEvent } from '../domain/triggers';

const MAX_SIGNALS = 10_000;

@Injectable()
export class DryRunService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly accounts: AccountsService) {}

  /** Replays the stored signals of the last `days` days (event time) through a playbook; writes nothing. */
  async run(workspaceId: string, playbook: Playbook, days: number, saved: boolean) {
    const rows: { event_id: string; type: string; account_id: string; time: Date; data: Record<string, unknown> }[] = await this.db.query(
      `SELECT event_id, type, account_id, time, data FROM signal
        WHERE workspace_id = $1 AND type = $2 AND time >= now() - make_interval(days => $3)
        ORDER BY time LIMIT $4`,
      [workspaceId, playbook.trigger, days, MAX_SIGNALS + 1]);
    const truncated = rows.length > MAX_SIGNALS;
    const signals: TriggerEvent[] = rows.slice(0, MAX_SIGNALS).map((r) => ({
      id: r.event_id, type: r.type, time: new Date(r.time).toISOString(), workspaceId, accountId: r.account_id, data: r.data,
    }));
    const facts = new Map<string, AccountFacts>();
    const now = new Date();
    for (const accountId of new Set(signals.map((s) => s.accountId))) {
      facts.set(accountId, await this.accounts.facts(this.db.manager, workspaceId, accountId, now));
    }
    const acted: { dedupe_key: string }[] = saved
      ? await this.db.query(`SELECT dedupe_key FROM playbook_run WHERE workspace_id = $1 AND playbook_id = $2`, [workspaceId, playbook.id])
      : [];
    const result = simulatePlaybook(playbook, signals, facts, new Set(acted.map((a) => a.dedupe_key)));
    return {
      playbookId: saved ? playbook.id : null,
      trigger: playbook.trigger,
      days,
      truncated,
      note: 'Accounts are judged by what playbooks knows of them now (owner, band, plan); nothing was created.',
      ...result,
    };
  }
}
