#!/usr/bin/env node
'use strict';
// `npm test`: installs what is missing, builds, brings up a real Kafka broker (its own, fresh,
// on port 29092) and PostgreSQL, then runs the unit, integration and end-to-end suites.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const infra = require('./infra');

async function main() {
  const started = Date.now();
  infra.ensureDependencies();
  infra.build();
  infra.ensureKubectl();
  await infra.ensurePostgres();
  const pgUrl = process.env.CAIRN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  // Leftovers of an interrupted run; CAIRN_TEST_DB_PREFIX keeps checkouts sharing one server apart.
  await infra.dropDatabasesLike(pgUrl, `${process.env.CAIRN_TEST_DB_PREFIX ?? 'cairn_t_'}%`);
  let broker;
  let brokers = process.env.CAIRN_TEST_KAFKA_BROKERS;
  if (!brokers) {
    const t = Date.now();
    broker = await infra.ensureKafka({ port: Number(process.env.CAIRN_TEST_KAFKA_PORT ?? 29092), name: 'test', fresh: true });
    brokers = broker.brokers.join(',');
    infra.log(`kafka for tests at ${brokers} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
  const env = {
    ...process.env,
    CAIRN_TEST_KAFKA_BROKERS: brokers,
    CAIRN_TEST_PG_URL: pgUrl,
    CAIRN_TEST_AUTH_SECRET: randomBytes(32).toString('base64url'),
    KAFKAJS_NO_PARTITIONER_WARNING: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const jest = path.join(infra.REPO, 'node_modules', 'jest', 'bin', 'jest.js');
  const args = process.argv.slice(2);
  let status = 0;
  try {
    if (args.length) {
      status = spawnSync(process.execPath, [jest, '--ci', ...args], { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
    } else {
      // Unit and integration suites share the two cores; end-to-end suites run alone, since
      // each starts all five services as processes.
      status = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'unit', 'integration', '--maxWorkers=2'],
        { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
      const e2e = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'e2e', '--runInBand'],
        { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
      status = status || e2e;
    }
  } finally {
    if (broker?.started) await broker.stop();
  }
  infra.log(`tests ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(status);
}

main().catch((e) => {
  process.stderr.write(`[cairn] ${e.stack ?? e}\n`);
  process.exit(1);
});
