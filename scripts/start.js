#!/usr/bin/env node
'use strict';
// `npm start`: installs what is missing, builds, brings up PostgreSQL and Kafka (the local broker
// in infra/kafka, or KAFKA_BROKERS if you have your own), starts all five services, loads the demo
// workspace and prints where to look. Ctrl-C stops the services and the broker it started.
const { existsSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const infra = require('./infra');
const { provisionAll, startServices, stopServices } = require('./platform');

function devSecret() {
  if (process.env.CAIRN_AUTH_SECRET) return process.env.CAIRN_AUTH_SECRET;
  const file = path.join(infra.REPO, '.cache', 'dev-auth-secret');
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

/** The demo users' password: random on the first run, then kept in .cache/ (never in the code). */
function demoPassword() {
  const file = path.join(infra.REPO, '.cache', 'demo-password');
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) writeFileSync(file, `demo-${randomBytes(9).toString('base64url')}`, { mode: 0o600 });
  return readFileSync(file, 'utf8').trim();
}

async function main() {
  const t0 = Date.now();
  infra.ensureDependencies();
  infra.build();
  await infra.ensurePostgres();
  const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn';
  const m = /^(postgres(?:ql)?:\/\/[^/]+)\/([^?]+)/.exec(databaseUrl);
  if (m) await infra.ensureDatabase(m[1], m[2]);
  let broker;
  let services = [];
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    infra.log(`${signal}: stopping services…`);
    await stopServices(services);
    for (const b of [broker]) if (b?.started) { infra.log('stopping kafka…'); await b.stop(); }
    infra.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
  // `npm start` runs this script as its child: if npm itself dies (SIGKILL, a closed terminal),
  // the launcher is re-parented; it then stops what it started instead of leaving orphans.
  const parent = process.ppid;
  setInterval(() => { if (process.ppid !== parent) void stop('launcher parent exited'); }, 1000).unref();
  let brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    const t = Date.now();
    // CAIRN_KAFKA_PORT: where the broker it starts listens (controller on port+1); 9092 by default.
    const port = Number(process.env.CAIRN_KAFKA_PORT ?? 9092);
    broker = await infra.ensureKafka({ port, name: port === 9092 ? 'dev' : `dev-${port}` });
    brokers = broker.brokers.join(',');
    infra.log(`kafka ready at ${brokers} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const secret = devSecret();
  // A local platform may post alerts to a receiver on this machine (refused by default in production).
  const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, KAFKAJS_NO_PARTITIONER_WARNING: '1',
    PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: process.env.PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true' };
  await provisionAll({ brokers, partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6), namespace: process.env.KAFKA_TOPIC_NAMESPACE });
  const t1 = Date.now();
  // CAIRN_PORT_OFFSET: added to the services' ports (3001-3007), for a second platform on one machine.
  await startServices({ env, logDir: path.join(infra.REPO, '.cache', 'logs'), running: services, portOffset: Number(process.env.CAIRN_PORT_OFFSET ?? 0) });
  infra.log(`all services healthy in ${((Date.now() - t1) / 1000).toFixed(1)} s (whole start-up ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  for (const s of services) s.child.on('exit', (code) => { if (!stopping) infra.log(`${s.name} exited (${code}); see ${path.relative(infra.REPO, s.logFile)}`); });

  const password = demoPassword();
  const demo = await require('./demo').loadDemo({ secret, services: Object.fromEntries(services.map((s) => [s.name, s.url])), databaseUrl, demoPassword: password });
  const consoleUrl = services.find((s) => s.name === 'console').url;
  const line = '─'.repeat(72);
  process.stdout.write(`\n${line}\nCairn is running — demo workspace "${demo.workspaceId}"\n\n`);
  process.stdout.write(`  Open the console: ${consoleUrl}\n`);
  process.stdout.write(`    workspace ${demo.workspaceId}, password ${password}, e-mail one of:\n`);
  for (const u of demo.users) process.stdout.write(`      ${u.email.padEnd(28)} ${u.role}\n`);
  process.stdout.write('\n');
  for (const s of services) process.stdout.write(`  ${s.name.padEnd(10)} ${s.url}   API docs ${s.url}/docs   health ${s.url}/health\n`);
  process.stdout.write(`\n  API token (workspace ${demo.workspaceId}):\n    ${demo.token}\n  Segment write key: ${demo.writeKey}\n\n`);
  process.stdout.write(`  Try:\n`);
  process.stdout.write(`    curl -s -H "Authorization: Bearer $TOKEN" ${services.find((s) => s.name === 'playbooks').url}/tasks\n`);
  process.stdout.write(`    curl -s -H "Authorization: Bearer $TOKEN" ${services.find((s) => s.name === 'playbooks').url}/alerts\n`);
  process.stdout.write(`    curl -s -H "Authorization: Bearer $TOKEN" ${services.find((s) => s.name === 'health').url}/accounts/globex/health\n`);
  process.stdout.write(`  (export TOKEN=<the token above>; logs in .cache/logs/; Ctrl-C stops everything)\n${line}\n\n`);
  for (const note of demo.notes) infra.log(note);
}

main().catch((e) => {
  process.stderr.write(`[cairn] ${e.stack ?? e}\n`);
  process.exit(1);
});
