#!/usr/bin/env node
'use strict';
// `npm run test:faults`: the fault suite (faults/). Installs what is missing, builds, needs
// PostgreSQL; the suite starts a Kafka broker of its own (CAIRN_FAULTS_KAFKA_PORT, default 30492,
// controller +1) and the five services on 3501-3505 (CAIRN_FAULTS_PORT_OFFSET=500), then SIGKILLs,
// cuts and poisons them under load and prints one table of figures. Extra arguments go to jest.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const infra = require('./infra');

async function main() {
  const started = Date.now();
  infra.ensureDependencies();
  infra.build();
  await infra.ensurePostgres();
  const pgUrl = process.env.CAIRN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  // Its databases are named cairn_faults_<the test prefix without cairn_>…, so that an `npm test`
  // of the same checkout (which drops <prefix>…) running meanwhile leaves them alone.
  const prefix = (process.env.CAIRN_TEST_DB_PREFIX ?? 'cairn_t_').replace(/^cairn_/, 'cairn_faults_');
  await infra.dropDatabasesLike(pgUrl, infra.startsWith(prefix));
  const env = { ...process.env, CAIRN_TEST_PG_URL: pgUrl, CAIRN_FAULTS_DB_PREFIX: prefix, KAFKAJS_NO_PARTITIONER_WARNING: '1' };
  const jest = path.join(infra.REPO, 'node_modules', 'jest', 'bin', 'jest.js');
  const status = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'faults', '--runInBand', ...process.argv.slice(2)],
    { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
  infra.log(`fault suite ${status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exit(status);
}

main().catch((e) => {
  process.stderr.write(`[cairn] ${e.stack ?? e}\n`);
  process.exit(1);
});
