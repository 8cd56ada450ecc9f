/**
 * Task and alert texts: `{{account.name}}`, `{{event.reason}}`, … filled from the same facts
 * conditions see. Placeholders are checked when a playbook is saved; at run time a missing
 * value renders as an empty string, never as "undefined".
 */
const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_.]+)\s*\}\}/g;

export function placeholders(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Problems with a template: unknown placeholders and stray braces. */
export function validateTemplate(template: unknown, isKnown: (field: string) => boolean, path: string, maxLength: number): string[] {
  if (typeof template !== 'string' || template.trim().length === 0) return [`${path}: must be a non-empty string`];
  if (template.length > maxLength) return [`${path}: must be at most ${maxLength} characters`];
  const problems = placeholders(template).filter((f) => !isKnown(f))
    .map((f) => `${path}: unknown placeholder {{${f}}}`);
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) problems.push(`${path}: unbalanced '{{' / '}}' (placeholders look like {{account.name}})`);
  return problems;
}

export function renderTemplate(template: string, resolve: (field: string) => unknown, maxLength = 4000): string {
  const out = template.replace(PLACEHOLDER, (_, field: string) => format(resolve(field)));
  return out.length > maxLength ? `${out.slice(0, maxLength - 1)}…` : out;
}

function format(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(format).join(', ');
  return JSON.stringify(value);
}
