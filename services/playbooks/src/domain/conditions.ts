import { FieldType } from './fields';

/**
 * Playbook conditions: a small declarative language stored as JSON.
 *   { "all": [ …conditions ] }   every one holds (an empty list holds)
 *   { "any": [ …conditions ] }   at least one holds
 *   { "not": condition }
 *   { "field": "account.band", "op": "in", "value": ["red", "yellow"] }
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | FieldCondition;

export const CONDITION_OPS = ['eq', 'neq', 'in', 'nin', 'lt', 'lte', 'gt', 'gte', 'exists', 'contains'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

export interface FieldCondition {
  field: string;
  op: ConditionOp;
  value?: unknown;
}

export const ALWAYS: Condition = { all: [] };

const MAX_DEPTH = 6;
const MAX_LEAVES = 50;
const NUMERIC_OPS: readonly string[] = ['lt', 'lte', 'gt', 'gte'];

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v);

export interface ConditionFieldCatalog {
  /** Type of a field path, or undefined when the path is not known for this trigger. */
  typeOf(field: string): FieldType | undefined;
  /** Known paths, for the error message. */
  known(): string[];
}

/** Validates a condition tree; each problem names its path, e.g. `conditions.all[1].op: …`. */
export function validateCondition(value: unknown, catalog: ConditionFieldCatalog, path = 'conditions'): string[] {
  const problems: string[] = [];
  let leaves = 0;
  const visit = (node: unknown, at: string, depth: number): void => {
    if (depth > MAX_DEPTH) { problems.push(`${at}: conditions nest deeper than ${MAX_DEPTH} levels`); return; }
    if (!isPlainObject(node)) { problems.push(`${at}: must be an object ({all|any: [...]}, {not: {...}} or {field, op, value})`); return; }
    const keys = Object.keys(node);
    const group = keys.find((k) => k === 'all' || k === 'any');
    if (group) {
      if (keys.length !== 1) { problems.push(`${at}: '${group}' must be the only key, found ${keys.map((k) => `'${k}'`).join(', ')}`); return; }
      const list = node[group];
      if (!Array.isArray(list)) { problems.push(`${at}.${group}: must be an array of conditions`); return; }
      list.forEach((child, i) => visit(child, `${at}.${group}[${i}]`, depth + 1));
      return;
    }
    if ('not' in node) {
      if (keys.length !== 1) { problems.push(`${at}: 'not' must be the only key`); return; }
      visit(node.not, `${at}.not`, depth + 1);
      return;
    }
    leaves++;
    if (leaves === MAX_LEAVES + 1) problems.push(`${path}: more than ${MAX_LEAVES} field conditions`);
    const unknownKeys = keys.filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
    if (unknownKeys.length) problems.push(`${at}: unknown key${unknownKeys.length > 1 ? 's' : ''} ${unknownKeys.map((k) => `'${k}'`).join(', ')} (a condition is {all|any: [...]}, {not: {...}} or {field, op, value})`);
    const { field, op, value } = node;
    if (typeof field !== 'string' || field.length === 0) { problems.push(`${at}.field: must be a field path such as 'event.changePct' or 'account.band'`); return; }
    const type = catalog.typeOf(field);
    if (!type) { problems.push(`${at}.field: unknown field '${field}' for this trigger; known fields: ${catalog.known().join(', ')}`); return; }
    if (typeof op !== 'string' || !(CONDITION_OPS as readonly string[]).includes(op)) {
      problems.push(`${at}.op: must be one of ${CONDITION_OPS.join(', ')}${op === undefined ? '' : `, got ${show(op)}`}`);
      return;
    }
    problems.push(...validateOperand(field, type, op as ConditionOp, value, `${at}.value`));
  };
  visit(value, path, 1);
  return problems;
}

function validateOperand(field: string, type: FieldType, op: ConditionOp, value: unknown, at: string): string[] {
  const checkValue = (v: unknown, where: string): string[] => {
    if (!isScalar(v)) return [`${where}: must be a string, number or boolean, got ${show(v)}`];
    if (type.kind === 'number' && typeof v !== 'number') return [`${where}: ${field} is a number, got ${show(v)}`];
    if (type.kind === 'string' && typeof v !== 'string') return [`${where}: ${field} is a string, got ${show(v)}`];
    if (type.kind === 'enum' && !type.values.includes(String(v))) {
      return [`${where}: ${show(v)} is not a value of ${field} (${type.values.join(', ')})`];
    }
    return [];
  };
  if (op === 'exists') {
    return value === undefined || typeof value === 'boolean' ? [] : [`${at}: 'exists' takes true, false or no value`];
  }
  if (op === 'in' || op === 'nin') {
    if (!Array.isArray(value) || value.length === 0) return [`${at}: '${op}' needs a non-empty array of values`];
    return value.flatMap((v, i) => checkValue(v, `${at}[${i}]`));
  }
  if (NUMERIC_OPS.includes(op)) {
    if (type.kind !== 'number' && type.kind !== 'any') return [`${at}: '${op}' compares numbers, but ${field} is not a number`];
    return typeof value === 'number' && Number.isFinite(value) ? [] : [`${at}: '${op}' needs a number, got ${show(value)}`];
  }
  if (op === 'contains') {
    return typeof value === 'string' && value.length > 0 ? [] : [`${at}: 'contains' needs a non-empty string`];
  }
  return checkValue(value, at);
}

/**
 * Evaluates a (validated) condition. A field with no value satisfies only `neq`, `nin` and
 * `exists: false`: an unknown band is neither "red" nor "not red" for `eq`, but is "not in [green]".
 */
export function evaluateCondition(condition: Condition, resolve: (field: string) => unknown): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, resolve));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, resolve));
  if ('not' in condition) return !evaluateCondition(condition.not, resolve);
  const actual = resolve(condition.field);
  const present = actual !== undefined && actual !== null;
  const expected = condition.value;
  switch (condition.op) {
    case 'exists': return present === (expected === undefined ? true : expected === true);
    case 'eq': return present && same(actual, expected);
    case 'neq': return !present || !same(actual, expected);
    case 'in': return present && (expected as unknown[]).some((v) => same(actual, v));
    case 'nin': return !present || !(expected as unknown[]).some((v) => same(actual, v));
    case 'lt': return typeof actual === 'number' && actual < (expected as number);
    case 'lte': return typeof actual === 'number' && actual <= (expected as number);
    case 'gt': return typeof actual === 'number' && actual > (expected as number);
    case 'gte': return typeof actual === 'number' && actual >= (expected as number);
    case 'contains':
      if (typeof actual === 'string') return actual.toLowerCase().includes(String(expected).toLowerCase());
      if (Array.isArray(actual)) return actual.some((v) => same(v, expected));
      return false;
    default: return false;
  }
}

function same(actual: unknown, expected: unknown): boolean {
  // Traits arrive as strings as often as numbers ("seats": "25").
  if (typeof expected === 'number' && typeof actual === 'string' && actual.trim() !== '') return Number(actual) === expected;
  return actual === expected;
}
