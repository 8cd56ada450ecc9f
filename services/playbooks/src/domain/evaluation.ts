import { AlertSeverity, TaskPriority } from '@cairn/contracts';
import { evaluateCondition } from './conditions';
import { AccountFacts, readPath } from './fields';
import { OWNER, PlaybookDefinition } from './playbook-definition';
import { renderTemplate } from './templates';
import { eventFacts, TriggerDefinition, TriggerEvent, triggerFor } from './triggers';

export interface Playbook extends PlaybookDefinition {
  id: string;
  version: number;
}

/** Why a task or an alert exists: the event that caused it, in a sentence. */
export interface Cause {
  eventId: string;
  type: string;
  summary: string;
}

export interface PlannedTask {
  title: string;
  description: string;
  priority: TaskPriority;
  /** null when the rule is 'owner' and the account has no CSM owner yet. */
  assignee: string | null;
  assigneeRule: 'owner' | 'named';
  dueInDays: number;
}

export interface PlannedAlert {
  severity: AlertSeverity;
  title: string;
  recipient: string | null;
  recipientRule: 'owner' | 'named';
}

export interface PlaybookDecision {
  matched: boolean;
  /** One task and one alert per playbook and cause, ever. */
  dedupeKey: string;
  causeKey: string;
  cause: Cause;
  task?: PlannedTask;
  alert?: PlannedAlert;
}

export function dedupeKey(playbookId: string, causeKey: string): string {
  return `${playbookId}:${causeKey}`;
}

const DAY_MS = 86_400_000;

/** Whole days from `from` to the date `to` (YYYY-MM-DD or ISO), by UTC calendar day. */
export function daysUntil(from: Date, to: string): number | undefined {
  const end = Date.parse(to.length === 10 ? `${to}T00:00:00Z` : to);
  if (Number.isNaN(end)) return undefined;
  const start = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  const endDay = new Date(end);
  return Math.round((Date.UTC(endDay.getUTCFullYear(), endDay.getUTCMonth(), endDay.getUTCDate()) - start) / DAY_MS);
}

/** The values `event.*`, `account.*` and `playbook.name` stand for, for one event. */
export function factsResolver(trigger: TriggerDefinition, event: TriggerEvent, account: AccountFacts, playbookName?: string) {
  const eventValues = eventFacts(trigger, event);
  const eventTime = new Date(event.time);
  const accountValues: Record<string, unknown> = {
    ...account,
    id: event.accountId,
    // Templates read better with the id than with nothing while the account's name is unknown.
    name: account.name ?? event.accountId,
    daysToRenewal: account.renewalDate ? daysUntil(eventTime, account.renewalDate) : undefined,
  };
  return (field: string): unknown => {
    const dot = field.indexOf('.');
    const root = field.slice(0, dot);
    const rest = field.slice(dot + 1);
    if (root === 'event') return readPath(eventValues, rest);
    if (root === 'account') return readPath(accountValues, rest);
    if (root === 'playbook' && rest === 'name') return playbookName;
    return undefined;
  };
}

/**
 * Decides what one playbook does about one event: whether its conditions hold and, if so,
 * the task and alert it would create (texts rendered, assignee resolved). Pure: dedupe and
 * cooldown against stored history are the caller's part.
 */
export function evaluatePlaybook(playbook: Playbook, event: TriggerEvent, account: AccountFacts): PlaybookDecision | undefined {
  const trigger = triggerFor(playbook.trigger);
  if (!trigger || trigger.type !== event.type) return undefined;
  const resolve = factsResolver(trigger, event, account, playbook.name);
  const causeKey = trigger.causeKey(event);
  const decision: PlaybookDecision = {
    matched: evaluateCondition(playbook.conditions, resolve),
    dedupeKey: dedupeKey(playbook.id, causeKey),
    causeKey,
    cause: { eventId: event.id, type: event.type, summary: trigger.summary(event) },
  };
  if (!decision.matched) return decision;
  for (const action of playbook.actions) {
    if (action.type === 'createTask') {
      const escalated = action.escalations.find((r) => evaluateCondition(r.when, resolve));
      const p = person(action.assignee, account);
      decision.task = {
        title: renderTemplate(action.title, resolve, 300),
        description: renderTemplate(action.description, resolve, 4000),
        priority: escalated?.priority ?? action.priority,
        assignee: p.who,
        assigneeRule: p.rule,
        dueInDays: action.dueInDays,
      };
    } else {
      const escalated = action.escalations.find((r) => evaluateCondition(r.when, resolve));
      const p = person(action.recipient, account);
      decision.alert = {
        severity: escalated?.severity ?? action.severity,
        title: renderTemplate(action.title, resolve, 300),
        recipient: p.who,
        recipientRule: p.rule,
      };
    }
  }
  return decision;
}

function person(rule: string, account: AccountFacts): { who: string | null; rule: 'owner' | 'named' } {
  if (rule === OWNER) return { who: account.csmOwner ?? null, rule: 'owner' };
  return { who: rule, rule: 'named' };
}

/**
 * Cooldown per playbook and account, measured in event time so a replay decides the same.
 * Distance rather than order: an older event arriving late is still "close" to the last one,
 * so `nearestActedAt` is the acted-on run nearest in event time on either side
 * (PlaybookRunStore.priorRuns).
 */
export function inCooldown(nearestActedAt: Date | null | undefined, eventTime: Date, cooldownHours: number): boolean {
  if (!nearestActedAt || cooldownHours <= 0) return false;
  return Math.abs(eventTime.getTime() - nearestActedAt.getTime()) < cooldownHours * 3_600_000;
}
