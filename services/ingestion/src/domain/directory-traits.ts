import { ContactRole } from '@cairn/contracts';
import { normalizeDomain, parseContactRole } from './champion-departure';

/** What a `group` call's traits say about an account; absent fields are left unchanged. */
export interface AccountFields {
  name?: string;
  domain?: string;
  plan?: string;
  arr?: number;
  seats?: number;
  csmOwner?: string;
  lifecycleStage?: string;
}

/** Traits that steer membership, not account facts: never merged into the account's traits. */
export const MEMBERSHIP_TRAITS = ['removed', 'action'];

function text(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function amount(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

function first(traits: Record<string, unknown>, names: string[], read: (v: unknown) => unknown) {
  for (const n of names) {
    const v = read(traits[n]);
    if (v !== undefined) return v;
  }
  return undefined;
}

export function accountFieldsFromTraits(traits: Record<string, unknown> = {}): AccountFields {
  const f: AccountFields = {};
  const name = first(traits, ['name', 'company', 'companyName'], text) as string | undefined;
  const domain = first(traits, ['domain', 'website', 'url'], normalizeDomain) as string | undefined;
  const plan = first(traits, ['plan', 'tier'], text) as string | undefined;
  const arr = first(traits, ['arr', 'ARR', 'annualRecurringRevenue'], amount) as number | undefined;
  const seats = first(traits, ['seats', 'licensedSeats', 'licenses'], amount) as number | undefined;
  const csmOwner = first(traits, ['csmOwner', 'csm_owner', 'csmEmail', 'csm_email', 'csm'], text) as string | undefined;
  const lifecycleStage = first(traits, ['lifecycleStage', 'lifecycle_stage', 'stage'], text) as string | undefined;
  if (name !== undefined) f.name = name;
  if (domain !== undefined) f.domain = domain;
  if (plan !== undefined) f.plan = plan;
  if (arr !== undefined) f.arr = arr;
  if (seats !== undefined) f.seats = Math.round(seats);
  if (csmOwner !== undefined) f.csmOwner = csmOwner;
  if (lifecycleStage !== undefined) f.lifecycleStage = lifecycleStage;
  return f;
}

/** A group call that takes the user out of the account rather than into it. */
export function isRemoval(traits: Record<string, unknown> = {}): boolean {
  return traits.removed === true || traits.action === 'remove' || traits.action === 'removed';
}

export function accountTraits(traits: Record<string, unknown> = {}): Record<string, unknown> {
  return Object.fromEntries(Object.entries(traits).filter(([k]) => !MEMBERSHIP_TRAITS.includes(k)));
}

export interface ContactFields {
  email?: string;
  name?: string;
  title?: string;
  role?: ContactRole;
}

export function contactFieldsFromTraits(traits: Record<string, unknown> = {}): ContactFields {
  const f: ContactFields = {};
  const email = text(traits.email);
  const fullName = text(traits.name)
    ?? ([text(traits.firstName) ?? text(traits.first_name), text(traits.lastName) ?? text(traits.last_name)].filter(Boolean).join(' ') || undefined);
  const title = text(traits.title) ?? text(traits.jobTitle);
  const role = parseContactRole(traits.role);
  if (email !== undefined) f.email = email.toLowerCase();
  if (fullName !== undefined) f.name = fullName;
  if (title !== undefined) f.title = title;
  if (role !== undefined) f.role = role;
  return f;
}
