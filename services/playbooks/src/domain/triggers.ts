import {
  CONTACT_ROLES, DEPARTURE_RULES, HEALTH_BANDS, RESPONSE_CATEGORIES, SURVEY_KINDS, TICKET_CHANGES, TICKET_PRIORITIES,
  TICKET_SOURCES, TICKET_STATUSES, Topics,
} from '@cairn/contracts';
import { ANY, FieldType, NUMBER, oneOf, STRING } from './fields';
import { ONBOARDING_STALLED } from './scheduled-signals';

/** The parts of an incoming event a playbook looks at. */
export interface TriggerEvent {
  id: string;
  type: string;
  time: string;
  workspaceId: string;
  accountId: string;
  data: Record<string, unknown>;
}

export interface TriggerDefinition {
  /** Envelope type, which is what a playbook's `trigger` names. */
  type: string;
  /** Kafka topic it arrives on; null for signals the service's own scheduled scan raises. */
  topic: string | null;
  description: string;
  /** Payload fields conditions and templates may use, as `event.<field>`. */
  eventFields: Record<string, FieldType>;
  /**
   * What "the same cause" means for this signal: redelivery of an event, a second event for the
   * same drop episode, the same contact departing again. One task and one alert per playbook and cause.
   */
  causeKey(event: TriggerEvent): string;
  /** One sentence a CSM reads: the event's own `reason` where it has one. */
  summary(event: TriggerEvent): string;
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

const usageWindow = { 'baselineWindow.from': STRING, 'baselineWindow.to': STRING, 'currentWindow.from': STRING, 'currentWindow.to': STRING };

export const TRIGGERS: Record<string, TriggerDefinition> = {
  'usage.dropped': {
    type: Topics.usageDropped.type,
    topic: Topics.usageDropped.name,
    description: 'usage fell below the account\'s own baseline, or went silent',
    eventFields: {
      changePct: NUMBER, thresholdPct: NUMBER, baselineDailyAvg: NUMBER, currentDailyAvg: NUMBER,
      kind: oneOf(['drop', 'silence']), episodeId: STRING, reason: STRING, ...usageWindow,
    },
    causeKey: (e) => `usage-drop:${e.accountId}:${str(e.data.episodeId)}`,
    summary: (e) => str(e.data.reason) || `Usage changed ${str(e.data.changePct)}% against its baseline`,
  },
  'directory.contact-departed': {
    type: Topics.contactDeparted.type,
    topic: Topics.contactDeparted.name,
    description: 'a champion or decision maker left the account',
    eventFields: {
      contactId: STRING, email: STRING, name: STRING, role: oneOf(CONTACT_ROLES), rule: oneOf(DEPARTURE_RULES),
      departedAt: STRING, reason: STRING,
    },
    causeKey: (e) => `contact-departed:${e.accountId}:${str(e.data.contactId)}`,
    summary: (e) => str(e.data.reason) || `${str(e.data.name ?? e.data.email ?? e.data.contactId)} (${str(e.data.role)}) left the account`,
  },
  'survey.response-recorded': {
    type: Topics.surveyResponseRecorded.type,
    topic: Topics.surveyResponseRecorded.name,
    description: 'a person answered an NPS, CSAT or CES survey',
    eventFields: {
      surveyId: STRING, responseId: STRING, contactId: STRING, kind: oneOf(SURVEY_KINDS), score: NUMBER,
      category: oneOf(RESPONSE_CATEGORIES), comment: STRING, respondedAt: STRING, reason: STRING,
    },
    // A changed answer is a new event for the same response: still one cause.
    causeKey: (e) => `survey-response:${str(e.data.surveyId)}:${str(e.data.responseId)}`,
    summary: (e) => {
      const who = e.data.contactId ? ` from ${str(e.data.contactId)}` : '';
      const comment = e.data.comment ? `: "${str(e.data.comment)}"` : '';
      return `${str(e.data.kind).toUpperCase()} ${str(e.data.score)} (${str(e.data.category)})${who}${comment}`;
    },
  },
  'renewal.upcoming': {
    type: Topics.renewalUpcoming.type,
    topic: Topics.renewalUpcoming.name,
    description: 'a contract came within a renewal horizon',
    eventFields: {
      contractId: STRING, endDate: STRING, horizonDays: NUMBER, daysToRenewal: NUMBER, arr: NUMBER, currency: STRING,
      healthBand: oneOf(HEALTH_BANDS), owner: STRING, reason: STRING,
    },
    // Once per contract renewal, not once per horizon (120/90/60/30 days): one task is enough.
    causeKey: (e) => `renewal:${str(e.data.contractId)}:${str(e.data.endDate).slice(0, 10)}`,
    summary: (e) => {
      const band = e.data.healthBand ? `, health ${str(e.data.healthBand)}` : '';
      return `Contract ${str(e.data.contractId)} renews in ${str(e.data.daysToRenewal)} days `
        + `(${str(e.data.endDate).slice(0, 10)}), ARR ${str(e.data.arr)} ${str(e.data.currency)}${band}`;
    },
  },
  'health.changed': {
    type: Topics.healthChanged.type,
    topic: Topics.healthChanged.name,
    description: 'an account\'s health score or band changed',
    eventFields: {
      scorecardId: STRING, 'current.score': NUMBER, 'current.band': oneOf(HEALTH_BANDS),
      'previous.score': NUMBER, 'previous.band': oneOf(HEALTH_BANDS), 'cause.type': STRING, summary: STRING, reason: STRING,
    },
    causeKey: (e) => `event:${e.id}`,
    summary: (e) => str(e.data.summary) || `Health is now ${str((e.data.current as { band?: string })?.band)}`,
  },
  'support.ticket-changed': {
    type: Topics.ticketChanged.type,
    topic: Topics.ticketChanged.name,
    description: 'a help-desk ticket of the account was opened, changed or solved (escalation: event.escalated eq true; '
      + 'a bad rating: event.satisfaction eq bad; a slow one: event.resolutionMinutes gte N)',
    eventFields: {
      ticketId: STRING, externalId: STRING, source: oneOf(TICKET_SOURCES), sourceId: STRING, change: oneOf(TICKET_CHANGES),
      status: oneOf(TICKET_STATUSES), priority: oneOf(TICKET_PRIORITIES), escalated: ANY, subject: STRING, openedAt: STRING,
      updatedAt: STRING, solvedAt: STRING, firstResponseMinutes: NUMBER, resolutionMinutes: NUMBER,
      satisfaction: oneOf(['good', 'bad', 'neutral']), satisfactionScore: NUMBER, reason: STRING,
    },
    // One cause per ticket: an escalation playbook acts once per ticket however often it changes
    // afterwards, and a bad-rating playbook once per rated ticket.
    causeKey: (e) => `ticket:${str(e.data.ticketId)}`,
    summary: (e) => {
      const what = e.data.change === 'opened' ? 'opened' : e.data.change === 'solved' ? 'solved' : `is ${str(e.data.status)}`;
      const facts = [e.data.priority && `${str(e.data.priority)} priority`, e.data.escalated === true && 'escalated',
        e.data.satisfaction && `rated ${str(e.data.satisfaction)}`].filter(Boolean).join(', ');
      return `${str(e.data.source)} ticket ${str(e.data.externalId)}${e.data.subject ? ` "${str(e.data.subject)}"` : ''} ${what}${facts ? ` (${facts})` : ''}`;
    },
  },
  [ONBOARDING_STALLED]: {
    type: ONBOARDING_STALLED,
    topic: null,
    description: 'no value event within PLAYBOOKS_ONBOARDING_STALL_DAYS (default 14) of the account\'s first event, in a workspace '
      + 'where some account reached its value event; raised by the scheduled scan',
    eventFields: {
      firstActivityAt: STRING, stallDays: NUMBER, daysSinceFirstActivity: NUMBER, lastActivityAt: STRING, daysSinceLastActivity: NUMBER,
      reason: STRING,
    },
    // Once per account (per onboarding: its first activity).
    causeKey: (e) => `onboarding-stalled:${e.accountId}:${str(e.data.firstActivityAt)}`,
    summary: (e) => str(e.data.reason) || `No value event within ${str(e.data.stallDays)} days of the first activity`,
  },
};

export const TRIGGER_TYPES = Object.keys(TRIGGERS);

export function triggerFor(type: string): TriggerDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(TRIGGERS, type) ? TRIGGERS[type] : undefined;
}

/** What conditions and templates see as `event`: the payload, plus `reason` for every trigger. */
export function eventFacts(trigger: TriggerDefinition, event: TriggerEvent): Record<string, unknown> {
  return { ...event.data, reason: trigger.summary(event) };
}
