import { AccountUpsertedV1, ContactDepartedV1, ContactUpsertedV1 } from './events/directory';
import { HealthChangedV1 } from './events/health';
import { AlertAcknowledgedV1, AlertRaisedV1, TaskCreatedV1, TaskOverdueV1, TaskStatusChangedV1 } from './events/playbooks';
import { ContractUpsertedV1, RenewalClosedV1, RenewalUpcomingV1 } from './events/renewals';
import { SurveyResponseRecordedV1 } from './events/surveys';
import { TicketChangedV1 } from './events/support';
import { UsageDroppedV1, UsageEventV1, UsageRecoveredV1, UsageSummaryV1 } from './events/usage';

/** Every Cairn service, in start order. */
export const SERVICE_NAMES = ['ingestion', 'surveys', 'health', 'playbooks', 'renewals', 'relationships', 'console'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export interface TopicDefinition<T = unknown> {
  /** Kafka topic name: cairn.<domain>.<event>.v<N>. */
  name: string;
  /** Envelope `type`: <domain>.<event>. */
  type: string;
  version: number;
  /** Payload class (class-validator decorators); null for topics that do not carry envelopes. */
  payload: (new () => T) | null;
  producer: ServiceName | 'external';
  description: string;
}

function topic<T>(
  type: string, version: number, payload: (new () => T) | null, producer: TopicDefinition['producer'], description: string,
): TopicDefinition<T> {
  return { name: `cairn.${type}.v${version}`, type, version, payload, producer, description };
}

/** Every topic of the platform, in one place. Each also has a dead-letter topic `<name>.dlq`. */
export const Topics = {
  ingestRaw: topic('ingest.raw', 1, null, 'external',
    'Raw Segment calls (JSON, one per message, with writeKey) produced straight to Kafka by high-volume sources'),
  usageEvent: topic('usage.event', 1, UsageEventV1, 'ingestion',
    'One validated, deduplicated, clock-skew-corrected Segment call'),
  usageDropped: topic('usage.dropped', 1, UsageDroppedV1, 'ingestion',
    'An account\'s usage fell below its own baseline (or went silent), with the numbers'),
  usageRecovered: topic('usage.recovered', 1, UsageRecoveredV1, 'ingestion',
    'An account\'s usage came back after a drop episode'),
  usageSummary: topic('usage.summary', 1, UsageSummaryV1, 'ingestion',
    'An account\'s usage summary (active users, adoption, last activity) after its rollups moved'),
  accountUpserted: topic('directory.account-upserted', 1, AccountUpsertedV1, 'ingestion',
    'An account was created or its traits changed'),
  contactUpserted: topic('directory.contact-upserted', 1, ContactUpsertedV1, 'ingestion',
    'A contact was created or changed (role, email, accounts)'),
  contactDeparted: topic('directory.contact-departed', 1, ContactDepartedV1, 'ingestion',
    'A champion or decision maker left the account; names the rule and evidence'),
  surveyResponseRecorded: topic('survey.response-recorded', 1, SurveyResponseRecordedV1, 'surveys',
    'A survey answer (NPS/CSAT/CES), classified'),
  healthChanged: topic('health.changed', 1, HealthChangedV1, 'health',
    'An account\'s health score or band changed, with old/new and the explanation'),
  taskCreated: topic('playbook.task-created', 1, TaskCreatedV1, 'playbooks',
    'A playbook created a CSM task'),
  alertRaised: topic('playbook.alert-raised', 1, AlertRaisedV1, 'playbooks',
    'A playbook raised a risk alert'),
  taskStatusChanged: topic('playbook.task-status-changed', 1, TaskStatusChangedV1, 'playbooks',
    'A CSM task moved (open, in progress, done, dismissed with a reason), with who moved it'),
  alertAcknowledged: topic('playbook.alert-acknowledged', 1, AlertAcknowledgedV1, 'playbooks',
    'A risk alert was acknowledged (once per alert), with who acknowledged it'),
  taskOverdue: topic('playbook.task-overdue', 1, TaskOverdueV1, 'playbooks',
    'An open or in-progress CSM task passed its due date (once per task, found by a scheduled scan)'),
  contractUpserted: topic('renewal.contract-upserted', 1, ContractUpsertedV1, 'renewals',
    'A contract was created or changed'),
  renewalUpcoming: topic('renewal.upcoming', 1, RenewalUpcomingV1, 'renewals',
    'A contract reached a renewal horizon (once per contract and horizon)'),
  renewalClosed: topic('renewal.closed', 1, RenewalClosedV1, 'renewals',
    'A renewal outcome was recorded'),
  ticketChanged: topic('support.ticket-changed', 1, TicketChangedV1, 'relationships',
    'A help-desk ticket (Zendesk, Intercom, ticket API) of a known account was opened, changed or solved, with its state'),
} as const;

export type TopicKey = keyof typeof Topics;
export const ALL_TOPICS: TopicDefinition[] = Object.values(Topics);

const byName = new Map<string, TopicDefinition>(ALL_TOPICS.map((t) => [t.name, t]));

export function topicByName(name: string): TopicDefinition | undefined {
  return byName.get(name);
}

export function deadLetterTopic(name: string): string {
  return `${name}.dlq`;
}

/**
 * Several environments (or test runs) can share one Kafka cluster: with a namespace, every
 * topic on the wire is `<namespace>.<name>`. Code names topics by their registry name; only
 * the Kafka edge (consumer, relay, provisioning) translates.
 */
export function wireTopicName(name: string, namespace?: string): string {
  return namespace ? `${namespace}.${name}` : name;
}

export function registryTopicName(wireName: string, namespace?: string): string {
  return namespace && wireName.startsWith(`${namespace}.`) ? wireName.slice(namespace.length + 1) : wireName;
}
