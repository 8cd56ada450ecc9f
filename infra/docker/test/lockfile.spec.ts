import { readFileSync } from 'node:fs';
import path from 'node:path';

// `npm ci` refuses a lock in which a locked package's optional dependency (another platform's
// native build, e.g. @swc/core-darwin-arm64) has no entry of its own: the Docker build and CI use
// `npm ci`, so a lock written from one machine's node_modules must not drop them.
describe('package-lock.json', () => {
  const lock = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package-lock.json'), 'utf8'));
  const packages: Record<string, { optionalDependencies?: Record<string, string>; dev?: boolean }> = lock.packages;

  /** Where node resolves `name` from the package at `at` (nested node_modules up to the root). */
  function resolves(at: string, name: string): boolean {
    let dir = at;
    for (;;) {
      if (packages[`${dir ? `${dir}/` : ''}node_modules/${name}`]) return true;
      if (!dir) return false;
      const i = dir.lastIndexOf('/node_modules/');
      dir = i >= 0 ? dir.slice(0, i) : '';
    }
  }

  it('is a version 3 lock', () => {
    expect(lock.lockfileVersion).toBe(3);
  });

  it('has an entry for every optional dependency of every locked package', () => {
    const missing = Object.entries(packages).flatMap(([at, p]) => Object.keys(p.optionalDependencies ?? {})
      .filter((name) => !resolves(at, name)).map((name) => `${at || '(root)'} → ${name}`));
    expect(missing).toEqual([]);
    expect(Object.keys(packages).filter((k) => k.startsWith('node_modules/@swc/core-')).length).toBeGreaterThan(5);
  });
});
