/** Who a wave is sent to: any mix of accounts, contacts, an account segment or plan, and contact roles. */
export interface AudienceRule {
  accountIds?: string[];
  contactIds?: string[];
  segment?: string;
  plan?: string;
  /** Only contacts with one of these roles (champion, decision_maker, admin, end_user). */
  roles?: string[];
}

export interface AudienceContact {
  contactId: string;
  email: string | null;
  role: string | null;
  accountIds: string[];
}

export interface AudienceAccount {
  accountId: string;
  segment: string | null;
  plan: string | null;
}

export interface Invitee {
  contactId: string;
  accountId: string;
  email: string | null;
}

export interface AudienceSelection {
  invitees: Invitee[];
  skipped: Array<{ contactId: string; reason: string }>;
}

/**
 * Picks the contacts a wave goes to. A contact is in when it is named, or belongs to a named
 * account or to an account of the segment/plan — and has one of the roles, when roles are given.
 * Its answer counts for the first of its accounts that matched. Email waves skip contacts
 * without an email address, saying so.
 */
export function selectAudience(
  rule: AudienceRule, contacts: AudienceContact[], accounts: AudienceAccount[], channel: 'email' | 'in_app',
): AudienceSelection {
  const accountIds = new Set(rule.accountIds ?? []);
  for (const a of accounts) {
    if ((rule.segment && a.segment === rule.segment) || (rule.plan && a.plan === rule.plan)) accountIds.add(a.accountId);
  }
  const named = new Set(rule.contactIds ?? []);
  const roles = rule.roles?.length ? new Set(rule.roles) : null;
  const invitees: Invitee[] = [];
  const skipped: AudienceSelection['skipped'] = [];
  for (const c of [...contacts].sort((x, y) => x.contactId.localeCompare(y.contactId))) {
    const viaAccount = c.accountIds.find((id) => accountIds.has(id));
    if (!named.has(c.contactId) && !viaAccount) continue;
    if (roles && !(c.role && roles.has(c.role))) continue;
    const accountId = viaAccount ?? c.accountIds[0];
    if (!accountId) { skipped.push({ contactId: c.contactId, reason: 'belongs to no account' }); continue; }
    if (channel === 'email' && !c.email) { skipped.push({ contactId: c.contactId, reason: 'has no email address' }); continue; }
    invitees.push({ contactId: c.contactId, accountId, email: c.email });
  }
  for (const id of named) {
    if (!contacts.some((c) => c.contactId === id)) skipped.push({ contactId: id, reason: 'is not a known contact (no directory event yet)' });
  }
  return { invitees, skipped };
}
