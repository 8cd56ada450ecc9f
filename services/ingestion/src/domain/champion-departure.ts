import { CONTACT_ROLES, ContactRole, DepartureRule } from '@cairn/contracts';

/** Roles whose departure puts an account at risk. */
export const KEY_CONTACT_ROLES: readonly ContactRole[] = ['champion', 'decision_maker'];

export function isKeyContact(role: string | null | undefined): role is ContactRole {
  return (KEY_CONTACT_ROLES as readonly (string | null | undefined)[]).includes(role);
}

/** Accepts the spellings people send in traits: "Champion", "decision maker", "decision-maker". */
export function parseContactRole(value: unknown): ContactRole | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase().replace(/[\s-]+/g, '_');
  const aliases: Record<string, ContactRole> = { dm: 'decision_maker', decisionmaker: 'decision_maker', user: 'end_user', enduser: 'end_user' };
  const role = (CONTACT_ROLES as readonly string[]).includes(v) ? (v as ContactRole) : aliases[v];
  return role;
}

export interface DepartureSignal {
  rule: DepartureRule;
  evidence: Record<string, unknown>;
  /** What happened, completing "<who> (<role> at <account>) …". */
  summary: string;
}

const LEFT_STATUSES = ['left', 'departed', 'deactivated', 'inactive', 'churned'];
const ACTIVE_STATUSES = ['active', 'enabled'];

/** An identify whose traits say the person left or was deactivated. */
export function departureFromTraits(traits: Record<string, unknown> | undefined): DepartureSignal | null {
  if (!traits) return null;
  const status = typeof traits.status === 'string' ? traits.status.trim().toLowerCase() : undefined;
  if (status && LEFT_STATUSES.includes(status)) {
    return { rule: 'traits', evidence: { trait: 'status', value: traits.status }, summary: `is gone: identify traits say status = '${traits.status}'` };
  }
  for (const trait of ['departed', 'deactivated'] as const) {
    if (traits[trait] === true) {
      return { rule: 'traits', evidence: { trait, value: true }, summary: `is gone: identify traits say ${trait} = true` };
    }
  }
  if (traits.active === false) {
    return { rule: 'traits', evidence: { trait: 'active', value: false }, summary: 'is gone: identify traits say active = false' };
  }
  return null;
}

/** Traits that say a person who was reported gone is back. */
export function returnedPerTraits(traits: Record<string, unknown> | undefined): boolean {
  if (!traits) return false;
  const status = typeof traits.status === 'string' ? traits.status.trim().toLowerCase() : undefined;
  return (status !== undefined && ACTIVE_STATUSES.includes(status)) || traits.active === true
    || traits.departed === false || traits.deactivated === false;
}

/** 'https://www.Acme.com/about' → 'acme.com'. */
export function normalizeDomain(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let v = value.trim().toLowerCase();
  v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  v = v.split(/[/?#]/)[0].split('@').pop()!.replace(/:\d+$/, '').replace(/^www\./, '').replace(/\.$/, '');
  return /^[a-z0-9.-]+\.[a-z0-9-]+$/.test(v) ? v : undefined;
}

export function emailDomain(email: string | null | undefined): string | undefined {
  if (!email) return undefined;
  const at = email.lastIndexOf('@');
  return at < 0 ? undefined : normalizeDomain(email.slice(at + 1));
}

/** On the account's domain or one of its subdomains (eu.acme.com counts for acme.com). */
export function onDomain(email: string | null | undefined, domain: string | null | undefined): boolean {
  const d = emailDomain(email);
  const account = normalizeDomain(domain);
  return !!d && !!account && (d === account || d.endsWith(`.${account}`));
}

/** The person's email moved from the account's domain to another one. */
export function departureFromEmailDomain(previousEmail: string | null | undefined, email: string | null | undefined,
  accountDomain: string | null | undefined): DepartureSignal | null {
  if (!email || !previousEmail || email.toLowerCase() === previousEmail.toLowerCase()) return null;
  if (!onDomain(previousEmail, accountDomain) || onDomain(email, accountDomain)) return null;
  return {
    rule: 'email-domain',
    evidence: { previousEmail, email, accountDomain: normalizeDomain(accountDomain) },
    summary: `is gone: their email moved from ${emailDomain(previousEmail)} to ${emailDomain(email) ?? email}, away from the account's domain`,
  };
}

export function departureFromRemoval(how: 'group-call' | 'api', detail: Record<string, unknown> = {}): DepartureSignal {
  return {
    rule: 'removed',
    evidence: { removedBy: how, ...detail },
    summary: how === 'api' ? 'was removed from the account in Cairn' : 'was removed from the account (group call)',
  };
}

/** No product activity from the person for `inactiveDays` (wall clock). */
export function departureFromInactivity(lastSeenAt: Date, now: Date, inactiveDays: number): DepartureSignal | null {
  const days = Math.floor((now.getTime() - lastSeenAt.getTime()) / 86_400_000);
  if (days < inactiveDays) return null;
  return {
    rule: 'inactive',
    evidence: { lastSeenAt: lastSeenAt.toISOString(), inactiveDays: days, thresholdDays: inactiveDays },
    summary: `has not used the product for ${days} days (last seen ${lastSeenAt.toISOString().slice(0, 10)}; threshold ${inactiveDays} days)`,
  };
}

const ROLE_LABEL: Record<ContactRole, string> = {
  champion: 'champion', decision_maker: 'decision maker', admin: 'admin', end_user: 'end user',
};

/** "Dana Reyes <dana@acme.com> (champion at Acme Corp) is gone: identify traits say status = 'left'". */
export function departureReason(person: { id: string; name?: string | null; email?: string | null }, role: ContactRole,
  account: { id: string; name?: string | null }, signal: DepartureSignal): string {
  const who = person.name ? (person.email ? `${person.name} <${person.email}>` : person.name) : person.email ?? person.id;
  return `${who} (${ROLE_LABEL[role]} at ${account.name ?? account.id}) ${signal.summary}`;
}
