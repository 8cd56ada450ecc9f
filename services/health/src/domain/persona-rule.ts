import {
  ENGAGEMENT_LEVELS, LIFECYCLE_STAGES, SATISFACTION_VALUES, USER_ROLES, UserAttributes,
} from './user-lifecycle';

/**
 * A persona is a named rule over user attributes: every condition of `all` holds and, when
 * `any` is given, at least one of its conditions holds. Users who left their account (contact
 * departed) are members of no persona.
 */
export interface PersonaRule {
  all?: PersonaCondition[];
  any?: PersonaCondition[];
}

export interface PersonaCondition {
  /** A known attribute, or `traits.<name>` for a directory trait of the user. */
  attribute: string;
  op: ConditionOp;
  value?: unknown;
}

export const CONDITION_OPS = ['eq', 'neq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'exists', 'notExists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

type AttributeKind = { kind: 'enum'; values: readonly string[] } | { kind: 'number' } | { kind: 'string' } | { kind: 'trait' };

const SET_OPS: ConditionOp[] = ['eq', 'neq', 'in', 'notIn', 'exists', 'notExists'];
const ORDER_OPS: ConditionOp[] = ['gt', 'gte', 'lt', 'lte'];

export const PERSONA_ATTRIBUTES: Record<string, AttributeKind> = {
  lifecycleStage: { kind: 'enum', values: LIFECYCLE_STAGES },
  engagementLevel: { kind: 'enum', values: ENGAGEMENT_LEVELS },
  satisfaction: { kind: 'enum', values: SATISFACTION_VALUES },
  role: { kind: 'enum', values: USER_ROLES },
  activeDays30d: { kind: 'number' },
  activeDaysTotal: { kind: 'number' },
  keyFeaturesUsed: { kind: 'number' },
  npsScore: { kind: 'number' },
  csatScore: { kind: 'number' },
  cesScore: { kind: 'number' },
  accountId: { kind: 'string' },
};

const TRAIT = /^traits\.[A-Za-z0-9_$-][A-Za-z0-9_.$-]{0,99}$/;

function kindOf(attribute: string): AttributeKind | undefined {
  if (Object.prototype.hasOwnProperty.call(PERSONA_ATTRIBUTES, attribute)) return PERSONA_ATTRIBUTES[attribute];
  return TRAIT.test(attribute) ? { kind: 'trait' } : undefined;
}

function opsFor(k: AttributeKind): ConditionOp[] {
  return k.kind === 'number' || k.kind === 'trait' ? [...SET_OPS, ...ORDER_OPS] : SET_OPS;
}

const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

function checkValue(at: string, attribute: string, k: AttributeKind, v: unknown): string | undefined {
  switch (k.kind) {
    case 'enum':
      if (typeof v !== 'string' || !k.values.includes(v)) return `${at}: ${JSON.stringify(v)} is not a ${attribute} (${k.values.join(', ')})`;
      return undefined;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? undefined : `${at}: ${attribute} is a number (got ${JSON.stringify(v)})`;
    case 'string':
      return typeof v === 'string' ? undefined : `${at}: ${attribute} is a string (got ${JSON.stringify(v)})`;
    case 'trait':
      return isScalar(v) ? undefined : `${at}: a trait is compared with a string, number or boolean (got ${JSON.stringify(v)})`;
  }
}

/**
 * Checks a rule as submitted; returns one "path: problem" sentence per problem (empty when valid).
 */
export function validatePersonaRule(rule: unknown, path = 'rule'): string[] {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return [`${path}: must be an object with 'all' and/or 'any' conditions`];
  const r = rule as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(r)) {
    if (key !== 'all' && key !== 'any') problems.push(`${path}.${key}: unknown key (a rule has 'all' and/or 'any')`);
  }
  let conditions = 0;
  for (const group of ['all', 'any'] as const) {
    const list = r[group];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.push(`${path}.${group}: must be an array of conditions`);
      continue;
    }
    if (group === 'any' && list.length === 0) problems.push(`${path}.any: give at least one condition, or leave 'any' out`);
    list.forEach((c, i) => {
      conditions += 1;
      problems.push(...validateCondition(c, `${path}.${group}[${i}]`));
    });
  }
  if (conditions === 0 && problems.length === 0) problems.push(`${path}: at least one condition is needed in 'all' or 'any'`);
  return problems;
}

function validateCondition(c: unknown, at: string): string[] {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return [`${at}: must be an object { attribute, op, value }`];
  const { attribute, op, value, ...rest } = c as Record<string, unknown>;
  const problems = Object.keys(rest).map((k) => `${at}.${k}: unknown key (a condition has attribute, op and value)`);
  const k = typeof attribute === 'string' ? kindOf(attribute) : undefined;
  if (!k) {
    problems.push(`${at}.attribute: unknown attribute ${JSON.stringify(attribute)} (known: ${Object.keys(PERSONA_ATTRIBUTES).join(', ')}, traits.<name>)`);
    return problems;
  }
  const name = attribute as string;
  const allowed = opsFor(k);
  if (typeof op !== 'string' || !allowed.includes(op as ConditionOp)) {
    problems.push(`${at}.op: ${JSON.stringify(op)} does not apply to ${name} (use one of ${allowed.join(', ')})`);
    return problems;
  }
  if (op === 'exists' || op === 'notExists') {
    if (value !== undefined) problems.push(`${at}.value: '${op}' takes no value`);
  } else if (op === 'in' || op === 'notIn') {
    if (!Array.isArray(value) || value.length === 0) problems.push(`${at}.value: '${op}' needs a non-empty array`);
    else value.forEach((v, j) => { const p = checkValue(`${at}.value[${j}]`, name, k, v); if (p) problems.push(p); });
  } else if (ORDER_OPS.includes(op as ConditionOp) && k.kind === 'trait') {
    if (typeof value !== 'number' || !Number.isFinite(value)) problems.push(`${at}.value: '${op}' compares with a number (got ${JSON.stringify(value)})`);
  } else {
    const p = checkValue(`${at}.value`, name, k, value);
    if (p) problems.push(p);
  }
  return problems;
}

function read(attributes: UserAttributes, attribute: string): unknown {
  if (attribute.startsWith('traits.')) return attributes.traits?.[attribute.slice('traits.'.length)];
  return (attributes as unknown as Record<string, unknown>)[attribute];
}

/** Does one condition hold? An absent value fails every test but neq, notIn and notExists. */
export function conditionHolds(c: PersonaCondition, attributes: UserAttributes): boolean {
  const v = read(attributes, c.attribute);
  const present = v !== undefined && v !== null;
  switch (c.op) {
    case 'exists': return present;
    case 'notExists': return !present;
    case 'eq': return present && v === c.value;
    case 'neq': return !present || v !== c.value;
    case 'in': return present && (c.value as unknown[]).includes(v);
    case 'notIn': return !present || !(c.value as unknown[]).includes(v);
    case 'gt': return typeof v === 'number' && v > (c.value as number);
    case 'gte': return typeof v === 'number' && v >= (c.value as number);
    case 'lt': return typeof v === 'number' && v < (c.value as number);
    case 'lte': return typeof v === 'number' && v <= (c.value as number);
  }
}

export function matchesPersona(rule: PersonaRule, attributes: UserAttributes): boolean {
  if (attributes.departed) return false;
  if (!(rule.all ?? []).every((c) => conditionHolds(c, attributes))) return false;
  return !rule.any || rule.any.some((c) => conditionHolds(c, attributes));
}

const OP_WORDS: Record<ConditionOp, string> = {
  eq: 'is', neq: 'is not', in: 'is one of', notIn: 'is none of', gt: '>', gte: '≥', lt: '<', lte: '≤', exists: 'is known', notExists: 'is unknown',
};

/** "lifecycleStage is adopted and role is admin and (satisfaction is detractor or npsScore ≤ 6)". */
export function describeRule(rule: PersonaRule): string {
  const say = (c: PersonaCondition) => {
    const v = c.value === undefined ? '' : ` ${Array.isArray(c.value) ? c.value.join(', ') : String(c.value)}`;
    return `${c.attribute} ${OP_WORDS[c.op]}${v}`;
  };
  const parts = (rule.all ?? []).map(say);
  if (rule.any?.length) parts.push(rule.any.length === 1 ? say(rule.any[0]) : `(${rule.any.map(say).join(' or ')})`);
  return parts.join(' and ');
}
