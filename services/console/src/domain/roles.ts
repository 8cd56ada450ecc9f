/**
 * Console roles. admin: users, write keys, channels, settings (and everything below);
 * cs-ops: scorecards, playbooks, surveys, personas, detection settings (and csm's work);
 * csm: works accounts, tasks, alerts; viewer: reads only.
 */
export const ROLES = ['admin', 'cs-ops', 'csm', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Who may do work on accounts (tasks, alerts, contacts, contracts). */
export const WORKERS: readonly Role[] = ['admin', 'cs-ops', 'csm'];
/** Who may configure how Cairn judges accounts. */
export const CONFIGURERS: readonly Role[] = ['admin', 'cs-ops'];
export const ADMINS: readonly Role[] = ['admin'];
