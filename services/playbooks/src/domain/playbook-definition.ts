import { ALERT_SEVERITIES, AlertSeverity, TASK_PRIORITIES, TaskPriority } from '@cairn/contracts';
import { ALWAYS, Condition, ConditionFieldCatalog, validateCondition } from './conditions';
import { fieldType, knownFields } from './fields';
import { validateTemplate } from './templates';
import { TRIGGER_TYPES, triggerFor } from './triggers';

/** Who gets a task or an alert: the account's CSM owner, or a named person or role. */
export const OWNER = 'owner';

export interface CreateTaskAction {
  type: 'createTask';
  title: string;
  description: string;
  priority: TaskPriority;
  dueInDays: number;
  /** 'owner' (the account's csmOwner) or a named person / role. */
  assignee: string;
  /** First matching rule overrides `priority`. */
  escalations: { when: Condition; priority: TaskPriority }[];
}

export interface RaiseAlertAction {
  type: 'raiseAlert';
  severity: AlertSeverity;
  title: string;
  recipient: string;
  escalations: { when: Condition; severity: AlertSeverity }[];
}

export type PlaybookAction = CreateTaskAction | RaiseAlertAction;

export interface PlaybookDefinition {
  name: string;
  description: string | null;
  /** Event type that runs the playbook, e.g. 'usage.dropped'. */
  trigger: string;
  conditions: Condition;
  actions: PlaybookAction[];
  /** Per account: after acting, the playbook stays quiet this long (event time). 0 = no cooldown. */
  cooldownHours: number;
  enabled: boolean;
}

export type ParseResult = { ok: true; definition: PlaybookDefinition } | { ok: false; problems: string[] };

const TOP_KEYS = ['name', 'description', 'trigger', 'conditions', 'actions', 'cooldownHours', 'enabled'];
const TASK_KEYS = ['type', 'title', 'description', 'priority', 'dueInDays', 'assignee', 'escalations'];
const ALERT_KEYS = ['type', 'severity', 'title', 'recipient', 'escalations'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v);

/**
 * Validates a playbook as submitted (JSON) and fills in defaults. Every problem names its
 * path (`actions[0].priority: …`), so an API can answer 400 with all of them at once.
 */
export function parsePlaybookDefinition(input: unknown): ParseResult {
  if (!isObject(input)) return { ok: false, problems: ['playbook: must be a JSON object'] };
  const problems: string[] = [];
  for (const k of Object.keys(input)) if (!TOP_KEYS.includes(k)) problems.push(`${k}: unknown property (allowed: ${TOP_KEYS.join(', ')})`);

  const name = input.name;
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) problems.push('name: must be a string of 1 to 200 characters');
  const description = input.description ?? null;
  if (description !== null && (typeof description !== 'string' || description.length > 2000)) problems.push('description: must be a string of at most 2000 characters');

  const trigger = typeof input.trigger === 'string' ? triggerFor(input.trigger) : undefined;
  if (!trigger) problems.push(`trigger: must be one of ${TRIGGER_TYPES.join(', ')}${input.trigger === undefined ? '' : `, got ${show(input.trigger)}`}`);

  const cooldownHours = input.cooldownHours ?? 24;
  if (typeof cooldownHours !== 'number' || !Number.isFinite(cooldownHours) || cooldownHours < 0 || cooldownHours > 8760) {
    problems.push('cooldownHours: must be a number from 0 to 8760');
  }
  const enabled = input.enabled ?? true;
  if (typeof enabled !== 'boolean') problems.push('enabled: must be true or false');

  // Without a known trigger the fields of `event.*` are unknown; check the rest anyway.
  const eventFields = trigger?.eventFields ?? {};
  const catalog: ConditionFieldCatalog = {
    typeOf: (f) => (trigger || !f.startsWith('event.') ? fieldType(f, eventFields) : { kind: 'any' }),
    known: () => knownFields(eventFields),
  };
  const isKnown = (f: string) => catalog.typeOf(f) !== undefined;

  const conditions = input.conditions ?? ALWAYS;
  problems.push(...validateCondition(conditions, catalog, 'conditions'));

  const actions: PlaybookAction[] = [];
  if (!Array.isArray(input.actions) || input.actions.length === 0 || input.actions.length > 2) {
    problems.push('actions: must be an array with a createTask and/or a raiseAlert action');
  } else {
    const seen = new Set<string>();
    input.actions.forEach((raw, i) => {
      const at = `actions[${i}]`;
      if (!isObject(raw)) { problems.push(`${at}: must be an object`); return; }
      if (raw.type !== 'createTask' && raw.type !== 'raiseAlert') {
        problems.push(`${at}.type: must be 'createTask' or 'raiseAlert'${raw.type === undefined ? '' : `, got ${show(raw.type)}`}`);
        return;
      }
      if (seen.has(raw.type)) { problems.push(`${at}.type: only one ${raw.type} action per playbook`); return; }
      seen.add(raw.type);
      const allowed = raw.type === 'createTask' ? TASK_KEYS : ALERT_KEYS;
      for (const k of Object.keys(raw)) if (!allowed.includes(k)) problems.push(`${at}.${k}: unknown property of a ${raw.type} action (allowed: ${allowed.join(', ')})`);
      problems.push(...validateTemplate(raw.title, isKnown, `${at}.title`, 300));
      const person = raw.type === 'createTask' ? 'assignee' : 'recipient';
      const who = raw[person] ?? OWNER;
      if (typeof who !== 'string' || who.trim().length === 0 || who.length > 200) {
        problems.push(`${at}.${person}: must be 'owner' (the account's CSM owner) or a person's name or email`);
      }
      if (raw.type === 'createTask') {
        const description = raw.description ?? '{{event.reason}}';
        problems.push(...validateTemplate(description, isKnown, `${at}.description`, 4000));
        const priority = raw.priority ?? 'normal';
        if (!TASK_PRIORITIES.includes(priority as TaskPriority)) problems.push(`${at}.priority: must be one of ${TASK_PRIORITIES.join(', ')}, got ${show(priority)}`);
        const dueInDays = raw.dueInDays ?? 3;
        if (typeof dueInDays !== 'number' || !Number.isInteger(dueInDays) || dueInDays < 0 || dueInDays > 365) {
          problems.push(`${at}.dueInDays: must be a whole number of days from 0 to 365`);
        }
        const escalations = parseEscalations(raw.escalations, 'priority', TASK_PRIORITIES, catalog, `${at}.escalations`, problems);
        actions.push({
          type: 'createTask', title: raw.title as string, description: description as string, priority: priority as TaskPriority,
          dueInDays: dueInDays as number, assignee: (who as string).trim(),
          escalations: escalations as CreateTaskAction['escalations'],
        });
      } else {
        const severity = raw.severity ?? 'warning';
        if (!ALERT_SEVERITIES.includes(severity as AlertSeverity)) problems.push(`${at}.severity: must be one of ${ALERT_SEVERITIES.join(', ')}, got ${show(severity)}`);
        const escalations = parseEscalations(raw.escalations, 'severity', ALERT_SEVERITIES, catalog, `${at}.escalations`, problems);
        actions.push({
          type: 'raiseAlert', title: raw.title as string, severity: severity as AlertSeverity, recipient: (who as string).trim(),
          escalations: escalations as RaiseAlertAction['escalations'],
        });
      }
    });
  }

  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    definition: {
      name: (name as string).trim(), description: description as string | null, trigger: trigger!.type,
      conditions: conditions as Condition, actions, cooldownHours: cooldownHours as number, enabled: enabled as boolean,
    },
  };
}

function parseEscalations(
  raw: unknown, key: 'priority' | 'severity', values: readonly string[], catalog: ConditionFieldCatalog, at: string, problems: string[],
): { when: Condition; [k: string]: unknown }[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw) || raw.length > 10) { problems.push(`${at}: must be an array of at most 10 {when, ${key}} rules`); return []; }
  return raw.map((rule, i) => {
    if (!isObject(rule)) { problems.push(`${at}[${i}]: must be an object {when, ${key}}`); return { when: ALWAYS }; }
    for (const k of Object.keys(rule)) if (k !== 'when' && k !== key) problems.push(`${at}[${i}].${k}: unknown property (allowed: when, ${key})`);
    problems.push(...validateCondition(rule.when, catalog, `${at}[${i}].when`));
    if (!values.includes(rule[key] as string)) problems.push(`${at}[${i}].${key}: must be one of ${values.join(', ')}, got ${show(rule[key])}`);
    return { when: rule.when as Condition, [key]: rule[key] };
  });
}
