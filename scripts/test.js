#!/usr/bin/env node
'use strict';
// `npm test`: installs what is missing, builds, brings up a real Kafka broker (its own, fresh,
// on port 29092) and PostgreSQL, then runs the unit, integration, end-to-end and browser suites.
// Extra arguments go to jest, e.g. `npm test -- --selectProjects unit`.
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync } = require('node:fs');
const infra = require('./infra');

const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';

/** The browser suite drives Debian's Chromium; a fresh machine gets it here (Playwright downloads nothing). */
function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  infra.log('installing chromium for the browser suite (apt-get)…');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => spawnSync(sudo[0] ?? 'apt-get', [...(sudo.length ? ['apt-get'] : []), ...args], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (apt(['update']).status !== 0 || apt(['install', '-y', '--no-install-recommends', 'chromium']).status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`could not install chromium (${CHROMIUM}); the browser suite needs it`);
  }
}

async function main() {
  const started = Date.now();
  infra.ensureDependencies();
  infra.build();
  infra.ensureKubectl();
  await infra.ensurePostgres();
  const pgUrl = process.env.CAIRN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
  // Leftovers of an interrupted run; CAIRN_TEST_DB_PREFIX keeps checkouts sharing one server apart
  // (matched literally: as a bare LIKE pattern, cairn_t_% also matched cairn_tflt_… and cairn_tx…).
  await infra.dropDatabasesLike(pgUrl, infra.startsWith(process.env.CAIRN_TEST_DB_PREFIX ?? 'cairn_t_'));
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
    // The compatibility suite freezes the broker (SIGSTOP) to show what clients see during an outage.
    ...(broker?.pid ? { CAIRN_TEST_KAFKA_PID: String(broker.pid) } : {}),
    // Playwright drives Debian's Chromium; it never downloads a browser of its own.
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  };
  const jest = path.join(infra.REPO, 'node_modules', 'jest', 'bin', 'jest.js');
  const args = process.argv.slice(2);
  let status = 0;
  try {
    if (args.length) {
      if (args.join(' ').includes('browser')) ensureChromium();
      status = spawnSync(process.execPath, [jest, '--ci', ...args], { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
    } else {
      // Unit and integration suites share the two cores; end-to-end suites run alone, since
      // each starts all five services as processes.
      status = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'unit', 'integration', '--maxWorkers=2'],
        { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
      const e2e = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'e2e', '--runInBand'],
        { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
      ensureChromium();
      const browser = spawnSync(process.execPath, [jest, '--ci', '--selectProjects', 'browser', '--runInBand'],
        { cwd: infra.REPO, env, stdio: 'inherit' }).status ?? 1;
      status = status || e2e || browser;
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
