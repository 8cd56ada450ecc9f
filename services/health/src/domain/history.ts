import { AccountSignals, ContractSignal, Observation, SurveyAnswer, UsageEpisode } from './signals';

/**
 * Point-in-time history: what health knew of an account, fact by fact, each with the event time
 * it became true. Kept per (account, kind, subject, event-time day): the latest fact of a day wins
 * (ties broken by event id, so arrival order never matters). The score as of day D is computed
 * from facts of days before D only (`signalsAsOf`), so an event dated D or later cannot move it.
 */
export const FACT_KINDS = [
  'usage', 'usageEpisode', 'account', 'contact', 'departure', 'nps', 'csat', 'ces', 'contract', 'outcome', 'override',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export interface UsageFact {
  activeUsers7d: number;
  activeUsers30d: number;
  featuresUsed30d: number;
  lastActivityAt?: string;
  usageTrendPct?: number;
}

export interface AccountFact {
  name?: string;
  plan?: string;
  lifecycleStage?: string;
  seats?: number;
  csmOwner?: string;
}

export interface ContactFact {
  role?: string;
  name?: string;
}

export interface DepartureFact {
  role: string;
  name?: string;
  reason: string;
}

export interface ContractFact {
  endDate: string;
}

export type OutcomeKind = 'renewed' | 'expanded' | 'contracted' | 'churned';

export interface OutcomeFact {
  outcome: OutcomeKind;
  closedAt: string;
  arrBefore?: number;
  arrAfter?: number;
  reason?: string;
}

export interface OverrideFact {
  overrideId: string;
  /** 'set' opens an override, 'lapsed' or 'cleared' ends it. */
  state: 'set' | 'lapsed' | 'cleared';
  band?: 'red' | 'yellow' | 'green';
  score?: number | null;
  reason?: string;
  by?: string;
  expiresAt?: string;
}

export interface SignalFact {
  kind: FactKind;
  /** Contact id, contract id, response id, override id; '' for account-wide kinds. */
  subject: string;
  /** Event time at which the fact became true (ISO 8601). */
  at: string;
  eventId: string;
  value: unknown;
}

export const DAY_MS = 86_400_000;

/** YYYY-MM-DD of an instant (UTC). */
export function utcDay(at: string | Date | number): string {
  return new Date(typeof at === 'string' ? Date.parse(at) : at).toISOString().slice(0, 10);
}

export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

export function addDays(day: string, n: number): string {
  return utcDay(dayStart(day).getTime() + n * DAY_MS);
}

/** The last instant of a day: a summary "as of" a day describes it up to its end. */
export function endOfDay(day: string): string {
  return new Date(dayStart(day.slice(0, 10)).getTime() + DAY_MS - 1).toISOString();
}

/** Orders facts the way they happened: event time, then event id (a total order independent of arrival). */
export function byEventTime(a: SignalFact, b: SignalFact): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

/**
 * Folds facts into signals, one fact at a time in event-time order. Feed it facts in that order
 * (`byEventTime`) and read `signals(asOf)` between them: a backtest sweeps an account's days
 * once instead of refolding per day.
 */
export class PointInTimeAccount {
  private usage?: Observation<UsageFact>;
  private episode?: Observation<UsageEpisode>;
  private account?: Observation<AccountFact>;
  private readonly contacts = new Map<string, Observation<ContactFact>>();
  private readonly departures = new Map<string, Observation<DepartureFact>>();
  private readonly answers: Record<'nps' | 'csat' | 'ces', Map<string, Observation<SurveyAnswer>>> = { nps: new Map(), csat: new Map(), ces: new Map() };
  private readonly contracts = new Map<string, Observation<ContractFact>>();
  private readonly overrides = new Map<string, Observation<OverrideFact>>();
  /** Last champion flip, for the note. */
  private championWas?: boolean;
  private championNote?: Observation<string>;
  private championSince?: Observation<boolean>;

  apply(f: SignalFact): void {
    const obs = <T>(value: T): Observation<T> => ({ value, eventId: f.eventId, observedAt: f.at });
    switch (f.kind) {
      case 'usage': this.usage = obs(f.value as UsageFact); break;
      case 'usageEpisode': this.episode = obs(f.value as UsageEpisode); break;
      case 'account': this.account = obs({ ...(this.account?.value ?? {}), ...(f.value as AccountFact) }); break;
      case 'contact': this.contacts.set(f.subject, obs(f.value as ContactFact)); break;
      case 'departure': this.departures.set(f.subject, obs(f.value as DepartureFact)); break;
      case 'nps': case 'csat': case 'ces': this.answers[f.kind].set(f.subject, obs(f.value as SurveyAnswer)); break;
      case 'contract': this.contracts.set(f.subject, obs(f.value as ContractFact)); break;
      // Keyed by the override, not the row: its start and its end are rows of their own.
      case 'override': this.overrides.set((f.value as OverrideFact).overrideId ?? f.subject, obs(f.value as OverrideFact)); break;
      case 'outcome': break; // outcomes label a backtest; they are not a signal of the score
    }
    if (f.kind === 'contact' || f.kind === 'departure') this.refreshChampion(f);
  }

  private refreshChampion(f: SignalFact): void {
    if (this.contacts.size === 0) return;
    const champions = [...this.contacts].filter(([id, c]) => c.value.role === 'champion' && !this.departures.has(id));
    const present = champions.length > 0;
    if (present !== this.championWas || !this.championSince) {
      this.championSince = { value: present, eventId: f.eventId, observedAt: f.at };
      let note: string;
      if (present) note = `${champions.map(([id, c]) => c.value.name ?? id).join(', ')} ${champions.length === 1 ? 'is champion' : 'are champions'}`;
      else {
        const d = f.kind === 'departure' ? (f.value as DepartureFact) : undefined;
        note = d ? `${d.name ?? f.subject} (${d.role.replace('_', ' ')}) left: ${d.reason}` : 'no contact has the champion role';
      }
      this.championNote = { value: note, eventId: f.eventId, observedAt: f.at };
      this.championWas = present;
    }
  }

  /** The override in force at `asOf`, if any (set, not ended by then, not expired). */
  overrideAt(asOf: Date): OverrideFact | undefined {
    let found: OverrideFact | undefined;
    for (const o of this.overrides.values()) {
      const v = o.value;
      if (v.state !== 'set') continue;
      if (v.expiresAt && Date.parse(v.expiresAt) <= asOf.getTime()) continue;
      found = v;
    }
    return found;
  }

  accountFacts(): AccountFact {
    return this.account?.value ?? {};
  }

  /** The signals as they stood after the facts applied so far; `asOf` only filters contracts that ended. */
  signals(): AccountSignals {
    const s: AccountSignals = {};
    const u = this.usage;
    if (u) {
      const at = { eventId: u.eventId, observedAt: u.observedAt };
      s.activeUsers7d = { value: u.value.activeUsers7d, ...at };
      s.activeUsers30d = { value: u.value.activeUsers30d, ...at };
      s.featuresUsed30d = { value: u.value.featuresUsed30d, ...at };
      if (u.value.lastActivityAt) s.lastActivityAt = { value: u.value.lastActivityAt, ...at };
      if (u.value.usageTrendPct !== undefined) s.usageTrendPct = { value: u.value.usageTrendPct, ...at };
    }
    if (this.episode) s.usageEpisode = this.episode;
    const a = this.account;
    if (a) {
      const at = { eventId: a.eventId, observedAt: a.observedAt };
      if (a.value.name !== undefined) s.name = { value: a.value.name, ...at };
      if (a.value.plan !== undefined) s.plan = { value: a.value.plan, ...at };
      if (a.value.lifecycleStage !== undefined) s.lifecycleStage = { value: a.value.lifecycleStage, ...at };
      if (a.value.seats !== undefined) s.seats = { value: a.value.seats, ...at };
      if (a.value.csmOwner !== undefined) s.csmOwner = { value: a.value.csmOwner, ...at };
    }
    if (this.championSince) s.championPresent = this.championSince;
    if (this.championNote) s.championNote = this.championNote;
    for (const kind of ['nps', 'csat', 'ces'] as const) {
      const sorted = [...this.answers[kind].values()].sort((x, y) => (x.observedAt < y.observedAt ? 1 : x.observedAt > y.observedAt ? -1 : 0));
      if (sorted[0]) s[kind] = sorted[0];
      if (kind === 'nps' && sorted[1]) s.npsPrevious = sorted[1];
    }
    if (this.contracts.size) {
      s.contracts = [...this.contracts].map(([contractId, c]): ContractSignal => ({ contractId, endDate: c.value.endDate, eventId: c.eventId }));
    }
    return s;
  }
}

/** The signals of an account as of the start of `day`: only facts dated before it count. */
export function signalsAsOf(facts: readonly SignalFact[], day: string): AccountSignals {
  const cutoff = dayStart(day).toISOString();
  const account = new PointInTimeAccount();
  for (const f of [...facts].sort(byEventTime)) {
    if (f.at >= cutoff) break;
    account.apply(f);
  }
  return account.signals();
}
