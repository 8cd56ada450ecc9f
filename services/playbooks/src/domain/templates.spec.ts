import { placeholders, renderTemplate, validateTemplate } from './templates';

describe('task and alert templates', () => {
  const values: Record<string, unknown> = { 'account.name': 'Acme', 'event.reason': 'Usage fell 62%', 'event.changePct': -62.5, 'account.csmOwner': null };

  it('fills placeholders with the facts, tolerating spaces inside the braces', () => {
    expect(renderTemplate('Usage dropped at {{account.name}}: {{ event.reason }} ({{event.changePct}}%)', (f) => values[f]))
      .toBe('Usage dropped at Acme: Usage fell 62% (-62.5%)');
  });

  it('renders a missing value as an empty string, not "undefined"', () => {
    expect(renderTemplate('Owner: {{account.csmOwner}}|{{account.plan}}', (f) => values[f])).toBe('Owner: |');
  });

  it('cuts a rendered text to its maximum length', () => {
    expect(renderTemplate('{{event.reason}}', () => 'x'.repeat(50), 10)).toHaveLength(10);
  });

  it('lists placeholders and rejects unknown ones and stray braces', () => {
    expect(placeholders('{{account.name}} {{event.reason}}')).toEqual(['account.name', 'event.reason']);
    const known = (f: string) => f === 'account.name';
    expect(validateTemplate('Hi {{account.name}}', known, 'title', 300)).toEqual([]);
    expect(validateTemplate('Hi {{acount.name}}', known, 'title', 300)).toEqual(['title: unknown placeholder {{acount.name}}']);
    expect(validateTemplate('Hi {{account.name}', known, 'title', 300)[0]).toMatch(/^title: unbalanced/);
    expect(validateTemplate('', known, 'title', 300)).toEqual(['title: must be a non-empty string']);
  });
});
