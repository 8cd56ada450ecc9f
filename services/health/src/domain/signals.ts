/**
 * What the health service knows about one account, learnt from other services' events.
 * Each value remembers the event that last moved it, so an explanation can point at it.
 */
export interface Observation<T> {
  value: T;
  /** Id of the event that last changed the value (not merely repeated it). */
  eventId: string;
  /** Type of that event (kept in the store; scoring does not need it). */
  eventType?: string;
  /** Event time of the latest event that reported this value. */
  observedAt: string;
}

/** The drop detector's latest verdict (usage.dropped / usage.recovered). */
export interface UsageEpisode {
  state: 'dropped' | 'recovered';
  changePct: number;
  reason: string;
  episodeId: string;
  kind?: 'drop' | 'silence';
  thresholdPct?: number;
}

/** A contract of the account, as far as renewal timing goes. */
export interface ContractSignal {
  contractId: string;
  /** YYYY-MM-DD */
  endDate: string;
  eventId: string;
}

export interface SurveyAnswer {
  score: number;
  category: string;
  surveyId: string;
  /** The response it came from: a corrected answer (same response) is not a new data point for a trend. */
  responseId?: string;
}

/** A support ticket of the account (support.ticket-changed), its latest state. */
export interface TicketSignal {
  ticketId: string;
  status: string;
  priority?: string;
  escalated: boolean;
  /** ISO timestamps */
  openedAt: string;
  solvedAt?: string;
  resolutionMinutes?: number;
  satisfaction?: 'good' | 'bad' | 'neutral';
  eventId: string;
}

/** Keys of the per-account signal store (one row per key). */
export interface AccountSignals {
  // usage.summary
  activeUsers7d?: Observation<number>;
  activeUsers30d?: Observation<number>;
  featuresUsed30d?: Observation<number>;
  lastActivityAt?: Observation<string>;
  usageTrendPct?: Observation<number>;
  // usage.dropped / usage.recovered
  usageEpisode?: Observation<UsageEpisode>;
  // directory.account-upserted
  name?: Observation<string>;
  plan?: Observation<string>;
  lifecycleStage?: Observation<string>;
  seats?: Observation<number>;
  csmOwner?: Observation<string>;
  // directory.contact-* (derived from the contact table)
  championPresent?: Observation<boolean>;
  /** Why championPresent last flipped, in words. */
  championNote?: Observation<string>;
  // survey.response-recorded
  nps?: Observation<SurveyAnswer>;
  /** The NPS answer before the latest one (for the NPS trend). */
  npsPrevious?: Observation<SurveyAnswer>;
  csat?: Observation<SurveyAnswer>;
  ces?: Observation<SurveyAnswer>;
  // renewal.contract-upserted / renewal.upcoming (from the contract table)
  contracts?: ContractSignal[];
  // support.ticket-changed (from the support_ticket table: open tickets and those of the last 90 days)
  tickets?: TicketSignal[];
}

export type SignalKey = Exclude<keyof AccountSignals, 'contracts' | 'tickets'>;

export const SIGNAL_KEYS: readonly SignalKey[] = [
  'activeUsers7d', 'activeUsers30d', 'featuresUsed30d', 'lastActivityAt', 'usageTrendPct', 'usageEpisode',
  'name', 'plan', 'lifecycleStage', 'seats', 'csmOwner', 'championPresent', 'championNote', 'nps', 'npsPrevious', 'csat', 'ces',
];
