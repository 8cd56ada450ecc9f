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
    broker = await infra.ensureKafka({ port: 9092, name: 'dev' });
    brokers = broker.brokers.join(',');
    infra.log(`kafka ready at ${brokers} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const secret = devSecret();
  // A local platform may post alerts to a receiver on this machine (refused by default in production).
  const env = { DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, KAFKAJS_NO_PARTITIONER_WARNING: '1',
    PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: process.env.PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS ?? 'true' };
  await provisionAll({ brokers, partitions: Number(process.env.KAFKA_TOPIC_PARTITIONS ?? 6), namespace: process.env.KAFKA_TOPIC_NAMESPACE });
  const t1 = Date.now();
  await startServices({ env, logDir: path.join(infra.REPO, '.cache', 'logs'), running: services });
  infra.log(`all five services healthy in ${((Date.now() - t1) / 1000).toFixed(1)} s (whole start-up ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  for (const s of services) s.child.on('exit', (code) => { if (!stopping) infra.log(`${s.name} exited (${code}); see ${path.relative(infra.REPO, s.logFile)}`); });

  const { loadDemo, printDemo } = require('./demo');
  const urls = Object.fromEntries(services.map((s) => [s.name, s.url]));
  printDemo(await loadDemo({ secret, services: urls }), urls, { stopHint: 'logs in .cache/logs/; Ctrl-C stops everything' });
}

main().catch((e) => {
  process.stderr.write(`[cairn] ${e.stack ?? e}\n`);
  process.exit(1);
});
