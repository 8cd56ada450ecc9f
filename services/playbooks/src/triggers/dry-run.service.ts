import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { simulatePlaybook } from '../domain/dry-run';
import { Playbook } from '../domain/evaluation';
import { AccountFacts } from '../domain/fields';
import { TriggerEvent } from '../domain/triggers';
import { PlaybookRunStore } from './playbook-run.store';
import { SignalStore } from './signal.store';

const MAX_SIGNALS = 10_000;

@Injectable()
export class DryRunService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly accounts: AccountsService,
    private readonly signals: SignalStore,
    private readonly runs: PlaybookRunStore,
  ) {}

  /** Replays the stored signals of the last `days` days (event time) through a playbook; writes nothing. */
  async run(workspaceId: string, playbook: Playbook, days: number, saved: boolean) {
    const rows = await this.signals.recentOfType(this.db.manager, workspaceId, playbook.trigger, days, MAX_SIGNALS + 1);
    const truncated = rows.length > MAX_SIGNALS;
    const signals: TriggerEvent[] = rows.slice(0, MAX_SIGNALS).map((r) => ({
      id: r.eventId, type: r.type, time: new Date(r.time).toISOString(), workspaceId, accountId: r.accountId, data: r.data,
    }));
    const facts = new Map<string, AccountFacts>();
    const now = new Date();
    for (const accountId of new Set(signals.map((s) => s.accountId))) {
      facts.set(accountId, await this.accounts.facts(this.db.manager, workspaceId, accountId, now));
    }
    const decided = saved ? await this.runs.decidedCauses(this.db.manager, workspaceId, playbook.id) : new Set<string>();
    const result = simulatePlaybook(playbook, signals, facts, decided);
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
