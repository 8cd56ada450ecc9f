/**
 * Playbooks every workspace starts with (issue 4: usage drop, champion left, detractor,
 * renewal at risk, onboarding stalled). Each has a stable key, so seeding twice never creates
 * two, and a default a workspace deleted is only restored on explicit request.
 */
export interface DefaultPlaybook {
  key: string;
  /** The defaults generation that introduced it: existing workspaces receive newer ones once. */
  since: number;
  definition: Record<string, unknown>;
}

const red = { field: 'account.band', op: 'eq', value: 'red' };

export const DEFAULT_PLAYBOOKS: DefaultPlaybook[] = [
  {
    key: 'usage-drop',
    since: 1,
    definition: {
      name: 'Usage drop',
      description: 'Usage fell well below the account\'s own baseline (or stopped): find out why while it is fresh.',
      trigger: 'usage.dropped',
      conditions: { all: [] },
      cooldownHours: 72,
      actions: [
        {
          type: 'createTask',
          title: 'Usage dropped at {{account.name}}',
          description: '{{event.reason}}\n\nReach out to understand what changed: {{event.currentDailyAvg}} events/day now against a baseline of {{event.baselineDailyAvg}} ({{event.changePct}}%).',
          priority: 'normal',
          dueInDays: 3,
          assignee: 'owner',
          escalations: [{
            when: { any: [{ field: 'event.changePct', op: 'lte', value: -50 }, { field: 'event.kind', op: 'eq', value: 'silence' }, red] },
            priority: 'high',
          }],
        },
        { type: 'raiseAlert', severity: 'warning', title: 'Usage drop at {{account.name}}', recipient: 'owner' },
      ],
    },
  },
  {
    key: 'champion-left',
    since: 1,
    definition: {
      name: 'Champion left',
      description: 'A champion or decision maker left the account: find a new sponsor before it shows in usage.',
      trigger: 'directory.contact-departed',
      conditions: { all: [{ field: 'event.role', op: 'in', value: ['champion', 'decision_maker'] }] },
      cooldownHours: 0,
      actions: [
        {
          type: 'createTask',
          title: 'Re-establish a champion at {{account.name}}',
          description: '{{event.reason}}\n\nIdentify and engage a new sponsor; check who else uses the product.',
          priority: 'high',
          dueInDays: 2,
          assignee: 'owner',
        },
        { type: 'raiseAlert', severity: 'critical', title: 'Key contact left {{account.name}} ({{event.role}})', recipient: 'owner' },
      ],
    },
  },
  {
    key: 'detractor',
    since: 1,
    definition: {
      name: 'Detractor',
      description: 'An NPS detractor answered: close the loop quickly.',
      trigger: 'survey.response-recorded',
      conditions: { all: [{ field: 'event.category', op: 'eq', value: 'detractor' }] },
      cooldownHours: 24,
      actions: [
        {
          type: 'createTask',
          title: 'Follow up on a detractor at {{account.name}}',
          description: '{{event.reason}}\n\nCall the respondent, understand the score, and record what you learn.',
          priority: 'normal',
          dueInDays: 2,
          assignee: 'owner',
          escalations: [{ when: red, priority: 'high' }],
        },
        { type: 'raiseAlert', severity: 'warning', title: 'Detractor response at {{account.name}}', recipient: 'owner' },
      ],
    },
  },
  {
    key: 'renewal-at-risk',
    since: 1,
    definition: {
      name: 'Renewal at risk',
      description: 'A renewal is coming up while the account is red or yellow.',
      trigger: 'renewal.upcoming',
      conditions: {
        any: [
          { field: 'event.healthBand', op: 'in', value: ['red', 'yellow'] },
          { field: 'account.band', op: 'in', value: ['red', 'yellow'] },
        ],
      },
      cooldownHours: 0,
      actions: [
        {
          type: 'createTask',
          title: 'Renewal at risk: {{account.name}}',
          description: '{{event.reason}}\n\nBuild a save plan before {{event.endDate}}.',
          priority: 'high',
          dueInDays: 7,
          assignee: 'owner',
          escalations: [{ when: { any: [{ field: 'event.healthBand', op: 'eq', value: 'red' }, red] }, priority: 'urgent' }],
        },
        {
          type: 'raiseAlert', severity: 'warning', title: 'Renewal at risk: {{account.name}} in {{event.daysToRenewal}} days', recipient: 'owner',
          escalations: [{ when: { any: [{ field: 'event.healthBand', op: 'eq', value: 'red' }, red] }, severity: 'critical' }],
        },
      ],
    },
  },
  {
    key: 'onboarding-stalled',
    since: 2,
    definition: {
      name: 'Onboarding stalled',
      description: 'No value event within the onboarding window after the account\'s first event: help it reach first value.',
      trigger: 'onboarding.stalled',
      conditions: { all: [] },
      cooldownHours: 0,
      actions: [
        {
          type: 'createTask',
          title: 'Onboarding stalled at {{account.name}}',
          description: '{{event.reason}}\n\nBook an onboarding session: find out what blocks the first success and who can unblock it.',
          priority: 'high',
          dueInDays: 3,
          assignee: 'owner',
        },
        { type: 'raiseAlert', severity: 'warning', title: 'Onboarding stalled at {{account.name}}', recipient: 'owner' },
      ],
    },
  },
];

/** The newest defaults generation; a workspace below it receives the defaults added since. */
export const DEFAULTS_VERSION = Math.max(...DEFAULT_PLAYBOOKS.map((d) => d.since));
