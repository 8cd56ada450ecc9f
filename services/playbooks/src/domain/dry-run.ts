import { AccountFacts } from './fields';
import { evaluatePlaybook, inCooldown, Playbook, PlannedAlert, PlannedTask } from './evaluation';
import { TriggerEvent } from './triggers';

export type DryRunOutcome = 'would-act' | 'already-acted' | 'duplicate-cause' | 'cooldown';

export interface DryRunEntry {
  eventId: string;
  time: string;
  accountId: string;
  summary: string;
  outcome: DryRunOutcome;
  task?: PlannedTask;
  alert?: PlannedAlert;
}

export interface DryRunResult {
  evaluated: number;
  matched: number;
  wouldCreate: { tasks: number; alerts: number };
  entries: DryRunEntry[];
}

/**
 * Replays stored signals through one playbook in event-time order, as the live path would
 * decide them (dedupe per cause, cooldown per account), without creating anything. Accounts
 * are judged by what is known of them now, which the result says.
 */
export function simulatePlaybook(
  playbook: Playbook,
  signals: TriggerEvent[],
  accounts: ReadonlyMap<string, AccountFacts>,
  alreadyActed: ReadonlySet<string>,
): DryRunResult {
  const ordered = [...signals].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.id.localeCompare(b.id));
  const seenCauses = new Set<string>();
  const lastActed = new Map<string, Date>();
  const result: DryRunResult = { evaluated: 0, matched: 0, wouldCreate: { tasks: 0, alerts: 0 }, entries: [] };
  for (const signal of ordered) {
    const decision = evaluatePlaybook(playbook, signal, accounts.get(signal.accountId) ?? { id: signal.accountId });
    if (!decision) continue;
    result.evaluated++;
    if (!decision.matched) continue;
    result.matched++;
    const time = new Date(signal.time);
    let outcome: DryRunOutcome;
    if (alreadyActed.has(decision.dedupeKey)) outcome = 'already-acted';
    else if (seenCauses.has(decision.dedupeKey)) outcome = 'duplicate-cause';
    else if (inCooldown(lastActed.get(signal.accountId), time, playbook.cooldownHours)) outcome = 'cooldown';
    else outcome = 'would-act';
    seenCauses.add(decision.dedupeKey);
    if (outcome === 'would-act') {
      lastActed.set(signal.accountId, time);
      if (decision.task) result.wouldCreate.tasks++;
      if (decision.alert) result.wouldCreate.alerts++;
    }
    result.entries.push({
      eventId: signal.id, time: signal.time, accountId: signal.accountId, summary: decision.cause.summary, outcome,
      ...(outcome === 'would-act' && decision.task ? { task: decision.task } : {}),
      ...(outcome === 'would-act' && decision.alert ? { alert: decision.alert } : {}),
    });
  }
  return result;
}
