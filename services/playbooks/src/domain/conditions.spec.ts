import { Condition, evaluateCondition, validateCondition } from './conditions';
import { fieldType, knownFields } from './fields';
import { TRIGGERS } from './triggers';

const usage = TRIGGERS['usage.dropped'];
const catalog = { typeOf: (f: string) => fieldType(f, usage.eventFields), known: () => knownFields(usage.eventFields) };

const facts: Record<string, unknown> = { 'account.band': 'red', 'event.changePct': -42, 'event.kind': 'drop', 'account.plan': 'Enterprise' };
const resolve = (f: string) => facts[f];

describe('playbook conditions', () => {
  const redAndSteepDrop: Condition = {
    all: [
      { field: 'account.band', op: 'in', value: ['red', 'yellow'] },
      { field: 'event.changePct', op: 'lte', value: -30 },
    ],
  };

  it('holds when every condition of an "all" holds', () => {
    expect(evaluateCondition(redAndSteepDrop, resolve)).toBe(true);
    expect(evaluateCondition(redAndSteepDrop, (f) => (f === 'event.changePct' ? -10 : resolve(f)))).toBe(false);
  });

  it('holds for an empty "all" and needs one member of an "any"', () => {
    expect(evaluateCondition({ all: [] }, resolve)).toBe(true);
    expect(evaluateCondition({ any: [] }, resolve)).toBe(false);
    expect(evaluateCondition({ any: [{ field: 'account.band', op: 'eq', value: 'green' }, { field: 'event.kind', op: 'eq', value: 'drop' }] }, resolve)).toBe(true);
  });

  it('negates with "not"', () => {
    expect(evaluateCondition({ not: { field: 'account.band', op: 'eq', value: 'red' } }, resolve)).toBe(false);
  });

  it('treats a missing value as matching only neq, nin and exists:false', () => {
    const nothing = () => undefined;
    expect(evaluateCondition({ field: 'account.band', op: 'eq', value: 'red' }, nothing)).toBe(false);
    expect(evaluateCondition({ field: 'account.band', op: 'in', value: ['red'] }, nothing)).toBe(false);
    expect(evaluateCondition({ field: 'account.arr', op: 'lt', value: 1000 }, nothing)).toBe(false);
    expect(evaluateCondition({ field: 'account.band', op: 'neq', value: 'red' }, nothing)).toBe(true);
    expect(evaluateCondition({ field: 'account.band', op: 'nin', value: ['green'] }, nothing)).toBe(true);
    expect(evaluateCondition({ field: 'account.band', op: 'exists', value: false }, nothing)).toBe(true);
    expect(evaluateCondition({ field: 'account.band', op: 'exists' }, nothing)).toBe(false);
  });

  it('compares numbers at the boundaries and strings by contains, case-insensitively', () => {
    expect(evaluateCondition({ field: 'event.changePct', op: 'lte', value: -42 }, resolve)).toBe(true);
    expect(evaluateCondition({ field: 'event.changePct', op: 'lt', value: -42 }, resolve)).toBe(false);
    expect(evaluateCondition({ field: 'event.changePct', op: 'gte', value: -42 }, resolve)).toBe(true);
    expect(evaluateCondition({ field: 'event.changePct', op: 'gt', value: -50 }, resolve)).toBe(true);
    expect(evaluateCondition({ field: 'account.plan', op: 'contains', value: 'enter' }, resolve)).toBe(true);
  });

  it('accepts a valid tree', () => {
    expect(validateCondition(redAndSteepDrop, catalog)).toEqual([]);
    expect(validateCondition({ all: [{ field: 'account.traits.segment', op: 'eq', value: 'smb' }] }, catalog)).toEqual([]);
  });

  it('names the path of each problem in an invalid tree', () => {
    const problems = validateCondition({
      all: [
        { field: 'account.bnd', op: 'eq', value: 'red' },
        { field: 'event.changePct', op: 'below', value: -30 },
        { field: 'account.band', op: 'in', value: ['Red'] },
        { field: 'account.plan', op: 'lt', value: 3 },
        { field: 'event.changePct', op: 'lte', value: '-30' },
      ],
    }, catalog);
    expect(problems).toEqual([
      expect.stringMatching(/^conditions\.all\[0\]\.field: unknown field 'account\.bnd'/),
      expect.stringMatching(/^conditions\.all\[1\]\.op: must be one of eq, neq, in/),
      'conditions.all[2].value[0]: "Red" is not a value of account.band (red, yellow, green)',
      "conditions.all[3].value: 'lt' compares numbers, but account.plan is not a number",
      'conditions.all[4].value: \'lte\' needs a number, got "-30"',
    ]);
  });

  it('rejects mixed group keys, non-objects and over-deep nesting', () => {
    expect(validateCondition({ all: [], any: [] }, catalog)[0]).toMatch(/^conditions: 'all' must be the only key/);
    expect(validateCondition([1], catalog)[0]).toMatch(/^conditions: must be an object/);
    let deep: Condition = { field: 'event.kind', op: 'eq', value: 'drop' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(validateCondition(deep, catalog)[0]).toMatch(/nest deeper than/);
  });
});
