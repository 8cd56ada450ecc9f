import { Threshold } from './interpolation';
import { AccountSignals, Observation, TicketSignal } from './signals';

export const MEASURE_NAMES = [
  'usageTrend', 'activeUsersVsSeats', 'featureAdoption', 'daysSinceLastActivity', 'championPresent',
  'npsLatest', 'npsTrend', 'csat', 'ces', 'daysToRenewal',
  'openTickets', 'escalatedOpenTickets', 'ticketVolumeTrend', 'medianTimeToResolve', 'ticketCsat',
] as const;
export type MeasureName = (typeof MEASURE_NAMES)[number];

/** What a measure read from an account's signals: the number its thresholds apply to. */
export interface MeasureReading {
  /** The number the thresholds are applied to. */
  input: number;
  /** What is shown as the raw value (e.g. true/false for champion present). */
  raw: number | string | boolean;
  detail: string;
  lastEventId?: string;
}

export interface MeasureDefinition {
  name: MeasureName;
  label: string;
  /** What the raw value is, with its unit. */
  unit: string;
  group: 'adoption' | 'relationship' | 'sentiment' | 'commercial' | 'support';
  defaultThresholds: Threshold[];
  read(signals: AccountSignals, asOf: Date): MeasureReading | null;
}

const DAY_MS = 86_400_000;
/** Without a drop verdict, a summary's trend is not allowed below this (the detector's default). */
const DEFAULT_DROP_THRESHOLD_PCT = 50;

function latest(...observations: (Observation<unknown> | undefined)[]): string | undefined {
  const present = observations.filter((o): o is Observation<unknown> => o !== undefined);
  present.sort((a, b) => Date.parse(b.observedAt) - Date.parse(a.observedAt));
  return present[0]?.eventId;
}

const pct = (n: number) => `${n > 0 ? '+' : ''}${Number(n.toFixed(1))}%`;
const wholeDaysBetween = (from: number, to: number) => Math.max(0, Math.floor((to - from) / DAY_MS));

/**
 * Usage trend. The drop detector (ingestion) owns the definition of a drop: while a drop
 * episode is open its numbers and reason are used and summaries do not override them; outside an
 * episode, a summary's trend counts but is capped at the drop threshold, so a sharp fall is
 * scored — with its reason — when the detector confirms it, whichever event arrives first.
 */
function readUsageTrend(s: AccountSignals): MeasureReading | null {
  const episode = s.usageEpisode;
  const summary = s.usageTrendPct;
  if (episode?.value.state === 'dropped') {
    const e = episode.value;
    const what = e.kind === 'silence' ? 'account went silent' : `usage ${pct(e.changePct)} vs baseline`;
    return { input: e.changePct, raw: e.changePct, detail: `${what} (drop detected): ${e.reason}`, lastEventId: episode.eventId };
  }
  if (summary && (!episode || Date.parse(summary.observedAt) > Date.parse(episode.observedAt))) {
    const floor = -(episode?.value.thresholdPct ?? DEFAULT_DROP_THRESHOLD_PCT);
    const capped = summary.value < floor;
    return {
      input: capped ? floor : summary.value,
      raw: summary.value,
      detail: capped
        ? `usage ${pct(summary.value)} vs baseline (usage summary); counted as ${pct(floor)} until the drop detector confirms a drop`
        : `usage ${pct(summary.value)} vs baseline (usage summary)`,
      lastEventId: summary.eventId,
    };
  }
  if (episode) {
    const e = episode.value;
    return { input: e.changePct, raw: e.changePct, detail: `usage recovered, ${pct(e.changePct)} vs baseline: ${e.reason}`, lastEventId: episode.eventId };
  }
  return null;
}

const SOLVED = ['solved', 'closed'];
/** Tickets open at `asOf` (opened by then and not solved by then): event time, so replays agree. */
function openAt(tickets: TicketSignal[], asOf: Date): TicketSignal[] {
  const t = asOf.getTime();
  return tickets.filter((k) => Date.parse(k.openedAt) <= t && !(SOLVED.includes(k.status) && k.solvedAt && Date.parse(k.solvedAt) <= t));
}
const newest = (tickets: TicketSignal[]) =>
  [...tickets].sort((a, b) => Date.parse(b.solvedAt ?? b.openedAt) - Date.parse(a.solvedAt ?? a.openedAt))[0]?.eventId;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Days of the recent window and of the baseline before it, for the ticket volume trend. */
export const TICKET_RECENT_DAYS = 7;
export const TICKET_BASELINE_DAYS = 56;
/** Window of the resolution and ticket-CSAT measures. */
export const TICKET_WINDOW_DAYS = 90;

/**
 * Ticket volume: tickets opened in the last 7 days against the account's own weekly average over
 * the 8 weeks before. With no baseline ticket, each recent ticket counts as +100%.
 */
export function ticketVolumeTrend(tickets: TicketSignal[], asOf: Date): { recent: number; weeklyBaseline: number; changePct: number } | null {
  const t = asOf.getTime();
  const opened = tickets.map((k) => Date.parse(k.openedAt)).filter((o) => o <= t);
  if (opened.length === 0) return null;
  const recent = opened.filter((o) => o > t - TICKET_RECENT_DAYS * DAY_MS).length;
  const baselineCount = opened.filter((o) => o <= t - TICKET_RECENT_DAYS * DAY_MS && o > t - (TICKET_RECENT_DAYS + TICKET_BASELINE_DAYS) * DAY_MS).length;
  const weeklyBaseline = baselineCount / (TICKET_BASELINE_DAYS / 7);
  const changePct = weeklyBaseline > 0 ? ((recent - weeklyBaseline) / weeklyBaseline) * 100 : recent * 100;
  return { recent, weeklyBaseline, changePct };
}

function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/**
 * The measures Cairn knows. Default thresholds are the built-in scorecard's; a custom scorecard
 * may give its own per measure.
 */
export const MEASURES: Record<MeasureName, MeasureDefinition> = {
  usageTrend: {
    name: 'usageTrend', label: 'Usage trend vs baseline', unit: 'percent change of daily usage vs the account\'s own baseline',
    group: 'adoption',
    defaultThresholds: [{ value: -100, points: 0 }, { value: -50, points: 20 }, { value: -25, points: 50 }, { value: 0, points: 80 }, { value: 20, points: 100 }],
    read: (s) => readUsageTrend(s),
  },
  activeUsersVsSeats: {
    name: 'activeUsersVsSeats', label: 'Active users vs seats', unit: 'percent of paid seats active in the last 30 days',
    group: 'adoption',
    defaultThresholds: [{ value: 0, points: 0 }, { value: 20, points: 40 }, { value: 60, points: 80 }, { value: 100, points: 100 }],
    read: (s) => {
      const active = s.activeUsers30d;
      const seats = s.seats;
      if (!active || !seats || !(seats.value > 0)) return null;
      const share = (active.value / seats.value) * 100;
      return {
        input: share, raw: Number(share.toFixed(1)),
        detail: `${active.value} of ${seats.value} seats active in the last 30 days (${Number(share.toFixed(1))}%)`,
        lastEventId: latest(active, seats),
      };
    },
  },
  featureAdoption: {
    name: 'featureAdoption', label: 'Feature adoption breadth', unit: 'distinct features used in the last 30 days',
    group: 'adoption',
    defaultThresholds: [{ value: 0, points: 0 }, { value: 1, points: 20 }, { value: 3, points: 50 }, { value: 5, points: 75 }, { value: 10, points: 100 }],
    read: (s) => s.featuresUsed30d
      ? { input: s.featuresUsed30d.value, raw: s.featuresUsed30d.value, detail: `${s.featuresUsed30d.value} distinct features used in the last 30 days`, lastEventId: s.featuresUsed30d.eventId }
      : null,
  },
  daysSinceLastActivity: {
    name: 'daysSinceLastActivity', label: 'Days since last activity', unit: 'whole days between the last product activity and the time of scoring',
    group: 'adoption',
    defaultThresholds: [{ value: 0, points: 100 }, { value: 3, points: 90 }, { value: 7, points: 60 }, { value: 14, points: 30 }, { value: 30, points: 0 }],
    read: (s, asOf) => {
      const last = s.lastActivityAt;
      if (!last) return null;
      const days = wholeDaysBetween(Date.parse(last.value), asOf.getTime());
      return { input: days, raw: days, detail: `last activity ${last.value} (${days} day${days === 1 ? '' : 's'} before ${asOf.toISOString()})`, lastEventId: last.eventId };
    },
  },
  championPresent: {
    name: 'championPresent', label: 'Champion present', unit: 'at least one contact with role champion who has not left (yes 100 / no 0)',
    group: 'relationship',
    defaultThresholds: [{ value: 0, points: 0 }, { value: 1, points: 100 }],
    read: (s) => {
      const c = s.championPresent;
      if (!c) return null;
      const note = s.championNote?.value;
      return {
        input: c.value ? 1 : 0, raw: c.value,
        detail: (c.value ? 'a champion is in place' : 'no champion') + (note ? `: ${note}` : ''),
        lastEventId: c.eventId,
      };
    },
  },
  npsLatest: {
    name: 'npsLatest', label: 'NPS (latest response)', unit: 'the latest NPS answer, 0–10',
    group: 'sentiment',
    defaultThresholds: [{ value: 0, points: 0 }, { value: 6, points: 40 }, { value: 7, points: 60 }, { value: 8, points: 75 }, { value: 9, points: 90 }, { value: 10, points: 100 }],
    read: (s) => s.nps
      ? { input: s.nps.value.score, raw: s.nps.value.score, detail: `latest NPS answer ${s.nps.value.score} (${s.nps.value.category})`, lastEventId: s.nps.eventId }
      : null,
  },
  npsTrend: {
    name: 'npsTrend', label: 'NPS trend (latest vs previous answer)', unit: 'the account\'s latest NPS answer minus the one before it, −10 to +10',
    group: 'sentiment',
    defaultThresholds: [{ value: -6, points: 0 }, { value: -3, points: 30 }, { value: 0, points: 70 }, { value: 3, points: 100 }],
    read: (s) => {
      const latest = s.nps;
      const previous = s.npsPrevious;
      if (!latest || !previous) return null;
      const delta = latest.value.score - previous.value.score;
      return {
        input: delta, raw: delta,
        detail: `NPS answers ${previous.value.score} (${previous.value.category}) → ${latest.value.score} (${latest.value.category}): ${delta > 0 ? '+' : ''}${delta}`,
        lastEventId: latest.eventId,
      };
    },
  },
  csat: {
    name: 'csat', label: 'CSAT (latest response)', unit: 'the latest CSAT answer, 1–5',
    group: 'sentiment',
    defaultThresholds: [{ value: 1, points: 0 }, { value: 2, points: 25 }, { value: 3, points: 50 }, { value: 4, points: 80 }, { value: 5, points: 100 }],
    read: (s) => s.csat
      ? { input: s.csat.value.score, raw: s.csat.value.score, detail: `latest CSAT answer ${s.csat.value.score} of 5 (${s.csat.value.category})`, lastEventId: s.csat.eventId }
      : null,
  },
  ces: {
    name: 'ces', label: 'Customer effort (latest response)', unit: 'the latest CES answer, 1–7 (1 = least effort)',
    group: 'sentiment',
    defaultThresholds: [{ value: 1, points: 100 }, { value: 3, points: 80 }, { value: 4, points: 50 }, { value: 5, points: 30 }, { value: 7, points: 0 }],
    read: (s) => s.ces
      ? { input: s.ces.value.score, raw: s.ces.value.score, detail: `latest CES answer ${s.ces.value.score} of 7 (${s.ces.value.category})`, lastEventId: s.ces.eventId }
      : null,
  },
  daysToRenewal: {
    name: 'daysToRenewal', label: 'Days to renewal', unit: 'days from the time of scoring to the end of the nearest contract',
    group: 'commercial',
    defaultThresholds: [{ value: 0, points: 40 }, { value: 30, points: 50 }, { value: 90, points: 80 }, { value: 180, points: 100 }],
    read: (s, asOf) => {
      const today = Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth(), asOf.getUTCDate());
      const upcoming = (s.contracts ?? [])
        .map((c) => ({ ...c, end: Date.parse(`${c.endDate.slice(0, 10)}T00:00:00Z`) }))
        .filter((c) => c.end >= today)
        .sort((a, b) => a.end - b.end)[0];
      if (!upcoming) return null;
      const days = Math.round((upcoming.end - today) / DAY_MS);
      return { input: days, raw: days, detail: `contract ${upcoming.contractId} ends ${upcoming.endDate.slice(0, 10)} (${days} days away)`, lastEventId: upcoming.eventId };
    },
  },
  openTickets: {
    name: 'openTickets', label: 'Open support tickets (per 100 seats)', unit: 'open tickets per 100 paid seats (the count itself when seats are unknown)',
    group: 'support',
    defaultThresholds: [{ value: 0, points: 100 }, { value: 2, points: 80 }, { value: 5, points: 50 }, { value: 10, points: 20 }, { value: 20, points: 0 }],
    read: (s, asOf) => {
      if (!s.tickets?.length) return null;
      const open = openAt(s.tickets, asOf);
      const seats = s.seats?.value;
      const per100 = seats && seats > 0 ? (open.length / seats) * 100 : open.length;
      return {
        input: per100, raw: open.length,
        detail: seats && seats > 0
          ? `${plural(open.length, 'open ticket')} for ${seats} seats (${Number(per100.toFixed(1))} per 100 seats)`
          : `${plural(open.length, 'open ticket')} (seats unknown: counted as is)`,
        lastEventId: newest(s.tickets),
      };
    },
  },
  escalatedOpenTickets: {
    name: 'escalatedOpenTickets', label: 'Urgent or escalated open tickets', unit: 'open tickets that are urgent or escalated',
    group: 'support',
    defaultThresholds: [{ value: 0, points: 100 }, { value: 1, points: 50 }, { value: 3, points: 0 }],
    read: (s, asOf) => {
      if (!s.tickets?.length) return null;
      const hot = openAt(s.tickets, asOf).filter((k) => k.escalated || k.priority === 'urgent');
      return {
        input: hot.length, raw: hot.length,
        detail: hot.length ? `${plural(hot.length, 'urgent or escalated ticket')} open: ${hot.slice(0, 3).map((k) => k.ticketId).join(', ')}${hot.length > 3 ? '…' : ''}` : 'no urgent or escalated ticket open',
        lastEventId: newest(hot.length ? hot : s.tickets),
      };
    },
  },
  ticketVolumeTrend: {
    name: 'ticketVolumeTrend', label: 'Ticket volume vs baseline', unit: 'percent change of tickets opened in the last 7 days vs the account\'s weekly average of the 8 weeks before',
    group: 'support',
    defaultThresholds: [{ value: 0, points: 100 }, { value: 50, points: 70 }, { value: 100, points: 40 }, { value: 200, points: 10 }, { value: 300, points: 0 }],
    read: (s, asOf) => {
      const v = s.tickets ? ticketVolumeTrend(s.tickets, asOf) : null;
      if (!v) return null;
      return {
        input: v.changePct, raw: Number(v.changePct.toFixed(1)),
        detail: `${plural(v.recent, 'ticket')} opened in the last ${TICKET_RECENT_DAYS} days vs ${Number(v.weeklyBaseline.toFixed(2))} a week before (${pct(v.changePct)})`,
        lastEventId: newest(s.tickets!),
      };
    },
  },
  medianTimeToResolve: {
    name: 'medianTimeToResolve', label: 'Median time to resolve', unit: `hours, median over tickets solved in the last ${TICKET_WINDOW_DAYS} days`,
    group: 'support',
    defaultThresholds: [{ value: 4, points: 100 }, { value: 24, points: 80 }, { value: 72, points: 40 }, { value: 168, points: 0 }],
    read: (s, asOf) => {
      const t = asOf.getTime();
      const solved = (s.tickets ?? []).filter((k) => k.solvedAt && k.resolutionMinutes !== undefined
        && Date.parse(k.solvedAt) <= t && Date.parse(k.solvedAt) > t - TICKET_WINDOW_DAYS * DAY_MS);
      if (solved.length === 0) return null;
      const hours = median(solved.map((k) => k.resolutionMinutes! / 60));
      return {
        input: hours, raw: Number(hours.toFixed(1)),
        detail: `median ${Number(hours.toFixed(1))} h to resolve over ${plural(solved.length, 'ticket')} solved in the last ${TICKET_WINDOW_DAYS} days`,
        lastEventId: newest(solved),
      };
    },
  },
  ticketCsat: {
    name: 'ticketCsat', label: 'Ticket satisfaction', unit: `percent of rated tickets of the last ${TICKET_WINDOW_DAYS} days rated good`,
    group: 'support',
    defaultThresholds: [{ value: 0, points: 0 }, { value: 50, points: 30 }, { value: 80, points: 80 }, { value: 95, points: 100 }],
    read: (s, asOf) => {
      const t = asOf.getTime();
      const rated = (s.tickets ?? []).filter((k) => k.satisfaction && Date.parse(k.openedAt) <= t && Date.parse(k.openedAt) > t - TICKET_WINDOW_DAYS * DAY_MS);
      if (rated.length === 0) return null;
      const good = rated.filter((k) => k.satisfaction === 'good').length;
      const share = (good / rated.length) * 100;
      return {
        input: share, raw: Number(share.toFixed(1)),
        detail: `${good} of ${plural(rated.length, 'rated ticket')} rated good (${Number(share.toFixed(1))}%), last ${TICKET_WINDOW_DAYS} days`,
        lastEventId: newest(rated),
      };
    },
  },
};

export function isMeasureName(name: string): name is MeasureName {
  return (MEASURE_NAMES as readonly string[]).includes(name);
}
