import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_TOPICS } from './topics';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const catalog = require('../../../scripts/event-catalog.js');
const repo = join(__dirname, '..', '..', '..');

describe('the README event catalog', () => {
  it('lists every topic of the registry, its producer and the services that consume it, as the code has them', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(catalog.registry().map((t: { name: string }) => t.name)).toEqual(ALL_TOPICS.map((t) => t.name));
    // Regenerate with: node scripts/event-catalog.js --write
    expect(readme).toBe(catalog.readmeWithCatalog(readme));
    for (const t of ALL_TOPICS) expect(readme).toContain(`\`${t.name}\``);
  });
});
