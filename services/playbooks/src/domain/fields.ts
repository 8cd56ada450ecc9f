import { HEALTH_BANDS } from '@cairn/contracts';

/** What a condition or placeholder may refer to, and what kind of value it holds. */
export type FieldType =
  | { kind: 'string' }
  | { kind: 'number' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'any' };

export const STRING: FieldType = { kind: 'string' };
export const NUMBER: FieldType = { kind: 'number' };
export const ANY: FieldType = { kind: 'any' };
export const oneOf = (values: readonly string[]): FieldType => ({ kind: 'enum', values });

/** The account's known attributes (the playbooks read model), addressable as `account.<name>`. */
export const ACCOUNT_FIELDS: Record<string, FieldType> = {
  id: STRING,
  name: STRING,
  csmOwner: STRING,
  plan: STRING,
  arr: NUMBER,
  seats: NUMBER,
  lifecycleStage: STRING,
  domain: STRING,
  band: oneOf(HEALTH_BANDS),
  score: NUMBER,
  /** Days from the triggering event to the account's nearest contract end date. */
  daysToRenewal: NUMBER,
};

/** Facts about an account as the playbooks service knows them. */
export interface AccountFacts {
  id: string;
  name?: string | null;
  csmOwner?: string | null;
  plan?: string | null;
  arr?: number | null;
  seats?: number | null;
  lifecycleStage?: string | null;
  domain?: string | null;
  band?: string | null;
  score?: number | null;
  /** Nearest contract end date (YYYY-MM-DD) the service learnt of, if any. */
  renewalDate?: string | null;
  traits?: Record<string, unknown> | null;
}

/**
 * Looks a field path up in the trigger's catalog: `event.<field>` (the trigger's payload),
 * `account.<attribute>` or `account.traits.<any trait>`, `playbook.name`. Undefined = unknown.
 */
export function fieldType(path: string, eventFields: Record<string, FieldType>): FieldType | undefined {
  const [root, ...rest] = path.split('.');
  const tail = rest.join('.');
  if (!tail) return undefined;
  if (root === 'event') return eventFields[tail];
  if (root === 'account') {
    if (rest[0] === 'traits' && rest.length > 1 && rest.every((p) => p.length > 0)) return ANY;
    return ACCOUNT_FIELDS[tail];
  }
  if (root === 'playbook' && tail === 'name') return STRING;
  return undefined;
}

export function knownFields(eventFields: Record<string, FieldType>): string[] {
  return [
    ...Object.keys(eventFields).map((f) => `event.${f}`),
    ...Object.keys(ACCOUNT_FIELDS).map((f) => `account.${f}`),
    'account.traits.<trait>',
  ];
}

/** Reads a dotted path out of nested plain objects. */
export function readPath(root: unknown, path: string): unknown {
  let value: unknown = root;
  for (const part of path.split('.')) {
    if (value === null || value === undefined || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
