import { describeRule, matchesPersona, PersonaRule, validatePersonaRule } from './persona-rule';
import { UserAttributes } from './user-lifecycle';

const user = (over: Partial<UserAttributes> = {}): UserAttributes => ({
  lifecycleStage: 'adopted', engagementLevel: 'high', activeDays30d: 14, activeDaysTotal: 30, satisfaction: 'detractor', npsScore: 4,
  keyFeaturesUsed: 2, role: 'admin', accountId: 'acme', traits: { department: 'finance', seats: 12 }, departed: false, ...over,
});

describe('validatePersonaRule', () => {
  it('accepts a rule over known attributes, traits included', () => {
    expect(validatePersonaRule({
      all: [{ attribute: 'lifecycleStage', op: 'in', value: ['adopted', 'onboarding'] }, { attribute: 'traits.seats', op: 'gte', value: 10 }],
      any: [{ attribute: 'npsScore', op: 'lte', value: 6 }, { attribute: 'role', op: 'exists' }],
    })).toEqual([]);
  });

  it('names every bad field with what is wrong', () => {
    expect(validatePersonaRule({
      all: [
        { attribute: 'stage', op: 'eq', value: 'adopted' },
        { attribute: 'lifecycleStage', op: 'eq', value: 'adoptd' },
        { attribute: 'role', op: 'gt', value: 'admin' },
        { attribute: 'satisfaction', op: 'in', value: [] },
        { attribute: 'activeDays30d', op: 'gte', value: '10' },
        { attribute: 'role', op: 'exists', value: 'admin' },
        { attribute: 'traits.tier', op: 'lt', value: 'gold' },
      ],
      any: [],
      some: [],
    })).toEqual([
      'rule.some: unknown key (a rule has \'all\' and/or \'any\')',
      'rule.all[0].attribute: unknown attribute "stage" (known: lifecycleStage, engagementLevel, satisfaction, role, activeDays30d, activeDaysTotal, keyFeaturesUsed, npsScore, csatScore, cesScore, accountId, traits.<name>)',
      'rule.all[1].value: "adoptd" is not a lifecycleStage (new, onboarding, adopted, dormant)',
      'rule.all[2].op: "gt" does not apply to role (use one of eq, neq, in, notIn, exists, notExists)',
      "rule.all[3].value: 'in' needs a non-empty array",
      'rule.all[4].value: activeDays30d is a number (got "10")',
      "rule.all[5].value: 'exists' takes no value",
      "rule.all[6].value: 'lt' compares with a number (got \"gold\")",
      "rule.any: give at least one condition, or leave 'any' out",
    ]);
  });

  it('refuses a rule without any condition', () => {
    expect(validatePersonaRule({})).toEqual(["rule: at least one condition is needed in 'all' or 'any'"]);
    expect(validatePersonaRule([])).toEqual(["rule: must be an object with 'all' and/or 'any' conditions"]);
  });
});

describe('matchesPersona', () => {
  const rule: PersonaRule = {
    all: [{ attribute: 'lifecycleStage', op: 'eq', value: 'adopted' }, { attribute: 'role', op: 'in', value: ['admin', 'champion'] }],
    any: [{ attribute: 'satisfaction', op: 'in', value: ['detractor', 'unsatisfied'] }, { attribute: 'traits.department', op: 'eq', value: 'legal' }],
  };

  it('needs every "all" condition and one "any" condition', () => {
    expect(matchesPersona(rule, user())).toBe(true);
    expect(matchesPersona(rule, user({ role: 'end_user' }))).toBe(false);
    expect(matchesPersona(rule, user({ satisfaction: 'promoter' }))).toBe(false);
    expect(matchesPersona(rule, user({ satisfaction: 'promoter', traits: { department: 'legal' } }))).toBe(true);
  });

  it('treats an unknown value as failing every test but neq, notIn and notExists', () => {
    const noRole = user({ role: undefined });
    expect(matchesPersona({ all: [{ attribute: 'role', op: 'eq', value: 'admin' }] }, noRole)).toBe(false);
    expect(matchesPersona({ all: [{ attribute: 'role', op: 'neq', value: 'admin' }] }, noRole)).toBe(true);
    expect(matchesPersona({ all: [{ attribute: 'role', op: 'notIn', value: ['admin'] }] }, noRole)).toBe(true);
    expect(matchesPersona({ all: [{ attribute: 'role', op: 'notExists' }] }, noRole)).toBe(true);
    expect(matchesPersona({ all: [{ attribute: 'csatScore', op: 'lt', value: 3 }] }, user())).toBe(false);
    expect(matchesPersona({ all: [{ attribute: 'traits.seats', op: 'gt', value: 10 }] }, user())).toBe(true);
  });

  it('leaves users who left their account out of every persona', () => {
    expect(matchesPersona({ all: [{ attribute: 'role', op: 'exists' }] }, user({ departed: true }))).toBe(false);
  });
});

describe('describeRule', () => {
  it('says the rule in words', () => {
    expect(describeRule({
      all: [{ attribute: 'lifecycleStage', op: 'eq', value: 'adopted' }],
      any: [{ attribute: 'npsScore', op: 'lte', value: 6 }, { attribute: 'role', op: 'in', value: ['admin', 'champion'] }],
    })).toBe('lifecycleStage is adopted and (npsScore ≤ 6 or role is one of admin, champion)');
  });
});
