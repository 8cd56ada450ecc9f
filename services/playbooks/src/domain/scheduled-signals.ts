/**
 * What the scheduled scan finds by the passing of time alone (nothing arrives to say so):
 * an onboarding that stalled, a task that went past its due date.
 */

const DAY_MS = 86_400_000;
const day = (d: Date) => d.toISOString().slice(0, 10);
const wholeDays = (from: Date, to: Date) => Math.max(0, Math.floor((to.getTime() - from.getTime()) / DAY_MS));

export const ONBOARDING_STALLED = 'onboarding.stalled';

export interface OnboardingFacts {
  firstActivityAt: Date;
  firstValueAt: Date | null;
  lastActivityAt: Date | null;
  /**
   * Whether the workspace's value event is known to work (some account of it reached it). Usage
   * summaries carry no firstValueAt both when an account has not reached value and when the
   * workspace never configured a value event; only the first is a stalled onboarding.
   */
  workspaceTracksValue: boolean;
}

export interface OnboardingStall {
  /** Event time of the signal: the moment the onboarding window closed without a value event. */
  time: string;
  data: {
    firstActivityAt: string;
    stallDays: number;
    daysSinceFirstActivity: number;
    lastActivityAt?: string;
    daysSinceLastActivity?: number;
    reason: string;
  };
}

/**
 * An account stalled in onboarding when `stallDays` have passed since its first event without a
 * value event. Undefined while the window is open, or once a value event came (even late: a
 * CSM gains nothing from hearing about an onboarding that has since succeeded).
 */
export function onboardingStall(facts: OnboardingFacts, now: Date, stallDays: number): OnboardingStall | undefined {
  if (facts.firstValueAt || !facts.workspaceTracksValue) return undefined;
  const closes = new Date(facts.firstActivityAt.getTime() + stallDays * DAY_MS);
  if (closes.getTime() > now.getTime()) return undefined;
  const since = wholeDays(facts.firstActivityAt, now);
  const last = facts.lastActivityAt;
  const lastPart = last ? `; last active ${day(last)}` : '';
  return {
    time: closes.toISOString(),
    data: {
      firstActivityAt: facts.firstActivityAt.toISOString(),
      stallDays,
      daysSinceFirstActivity: since,
      ...(last ? { lastActivityAt: last.toISOString(), daysSinceLastActivity: wholeDays(last, now) } : {}),
      reason: `No value event in the ${stallDays} days since the account's first activity on ${day(facts.firstActivityAt)} (${since} days ago${lastPart})`,
    },
  };
}

export interface OverdueTaskFacts {
  title: string;
  accountId: string;
  assignee: string | null;
  status: string;
  dueAt: Date;
}

/** Whole days past due, and a sentence for whoever reads the event. */
export function overdueTask(task: OverdueTaskFacts, now: Date): { daysOverdue: number; reason: string } | undefined {
  if (task.status !== 'open' && task.status !== 'in_progress') return undefined;
  if (task.dueAt.getTime() > now.getTime()) return undefined;
  const daysOverdue = wholeDays(task.dueAt, now);
  const late = daysOverdue === 0 ? 'today' : `${daysOverdue} day${daysOverdue === 1 ? '' : 's'} ago`;
  const who = task.assignee ? `assigned to ${task.assignee}` : 'unassigned';
  return {
    daysOverdue,
    reason: `Task "${task.title}" for ${task.accountId} (${who}, ${task.status.replace('_', ' ')}) was due ${day(task.dueAt)}, ${late}`,
  };
}
