import { DEFAULT_PLAYBOOKS, DEFAULTS_VERSION } from './defaults';
import { parsePlaybookDefinition } from './playbook-definition';

const valid = {
  name: 'Big drop on red accounts',
  trigger: 'usage.dropped',
  conditions: { all: [{ field: 'account.band', op: 'in', value: ['red', 'yellow'] }, { field: 'event.changePct', op: 'lte', value: -30 }] },
  actions: [
    { type: 'createTask', title: 'Call {{account.name}}', description: '{{event.reason}}', priority: 'high', dueInDays: 1, assignee: 'owner' },
    { type: 'raiseAlert', severity: 'critical', title: 'Drop at {{account.name}}' },
  ],
  cooldownHours: 48,
};

describe('playbook definitions', () => {
  it('accepts a valid playbook and fills in defaults', () => {
    const r = parsePlaybookDefinition({ ...valid, cooldownHours: undefined });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.definition.cooldownHours).toBe(24);
    expect(r.definition.enabled).toBe(true);
    expect(r.definition.actions[1]).toEqual({ type: 'raiseAlert', severity: 'critical', title: 'Drop at {{account.name}}', recipient: 'owner', escalations: [] });
  });

  it('ships defaults that pass its own validation', () => {
    for (const d of DEFAULT_PLAYBOOKS) {
      const r = parsePlaybookDefinition(d.definition);
      expect(r.ok ? [] : r.problems).toEqual([]);
    }
    expect(DEFAULT_PLAYBOOKS.map((d) => d.definition.trigger)).toEqual(
      ['usage.dropped', 'directory.contact-departed', 'survey.response-recorded', 'renewal.upcoming', 'onboarding.stalled']);
    expect(DEFAULTS_VERSION).toBe(2);
    expect(DEFAULT_PLAYBOOKS.filter((d) => d.since > 1).map((d) => d.key)).toEqual(['onboarding-stalled']);
  });

  it('names every bad field of an invalid playbook', () => {
    const r = parsePlaybookDefinition({
      ...valid,
      trigger: 'usage.fell',
      cooldownHours: -1,
      actions: [{ type: 'createTask', title: 'Call {{account.nme}}', priority: 'asap', dueInDays: 1.5 }, { type: 'sendFax' }],
      colour: 'blue',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual(expect.arrayContaining([
      'colour: unknown property (allowed: name, description, trigger, conditions, actions, cooldownHours, enabled)',
      expect.stringMatching(/^trigger: must be one of usage\.dropped, directory\.contact-departed, .*got "usage\.fell"$/),
      'cooldownHours: must be a number from 0 to 8760',
      'actions[0].title: unknown placeholder {{account.nme}}',
      'actions[0].priority: must be one of low, normal, high, urgent, got "asap"',
      'actions[0].dueInDays: must be a whole number of days from 0 to 365',
      'actions[1].type: must be \'createTask\' or \'raiseAlert\', got "sendFax"',
    ]));
  });

  it('checks event fields against the trigger: a usage field is unknown on a survey playbook', () => {
    const r = parsePlaybookDefinition({ ...valid, trigger: 'survey.response-recorded' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0]).toMatch(/^conditions\.all\[1\]\.field: unknown field 'event\.changePct' for this trigger/);
  });

  it('refuses two actions of one type and a playbook without actions', () => {
    const two = parsePlaybookDefinition({ ...valid, actions: [valid.actions[1], valid.actions[1]] });
    expect(two.ok ? [] : two.problems).toEqual(['actions[1].type: only one raiseAlert action per playbook']);
    const none = parsePlaybookDefinition({ ...valid, actions: [] });
    expect(none.ok ? [] : none.problems).toEqual(['actions: must be an array with a createTask and/or a raiseAlert action']);
  });
});
