import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Where the suites find Kafka and PostgreSQL; set by scripts/test.js (or by you, to reuse your own). */
export interface TestInfra {
  brokers: string[];
  /** Server URL without a database name, e.g. postgres://postgres@127.0.0.1:5432 */
  postgresServerUrl: string;
  authSecret: string;
}

export function testInfra(): TestInfra {
  const brokers = process.env.CAIRN_TEST_KAFKA_BROKERS;
  const pg = process.env.CAIRN_TEST_PG_URL;
  if (!brokers || !pg) {
    throw new Error('integration suites need a real broker and database: run them with `npm test` '
      + '(which starts both), or set CAIRN_TEST_KAFKA_BROKERS and CAIRN_TEST_PG_URL yourself');
  }
  return {
    brokers: brokers.split(','),
    postgresServerUrl: pg.replace(/\/+$/, ''),
    authSecret: process.env.CAIRN_TEST_AUTH_SECRET ?? 'test-secret-'.padEnd(40, 'x'),
  };
}

/** A database of its own for one test file, so suites never see each other's rows. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const { postgresServerUrl } = testInfra();
  const name = `${testDatabasePrefix()}${label.replace(/[^a-z0-9]/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: `${postgresServerUrl}/postgres` });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: `${postgresServerUrl}/${name}`,
    drop: async () => {
      const c = new Client({ connectionString: `${postgresServerUrl}/postgres` });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Test databases start with this; a second checkout running its suites on the same server sets its own. */
export function testDatabasePrefix(): string {
  return process.env.CAIRN_TEST_DB_PREFIX ?? 'cairn_t_';
}

/** A unique id for this test run, to keep workspaces, groups and keys apart. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
