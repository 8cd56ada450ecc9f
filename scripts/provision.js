#!/usr/bin/env node
'use strict';
// One-shot platform preparation, run before the services (the compose `provision` job, the
// Kubernetes Job): creates every registry topic and its .dlq with the configured partitions, then
// runs each service's migrations in its own schema (the same advisory-locked runner the services
// use at start-up, so running both is harmless). Any directory under services/ with compiled
// migrations counts. Reads KAFKA_BROKERS, DATABASE_URL, KAFKA_TOPIC_PARTITIONS,
// KAFKA_REPLICATION_FACTOR, KAFKA_TOPIC_NAMESPACE.
const { readdirSync, existsSync } = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

function migrationsOf(service) {
  const dir = path.join(REPO, 'services', service, 'dist', 'migrations');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.js')).sort()
    .flatMap((f) => Object.values(require(path.join(dir, f))))
    .filter((m) => typeof m === 'function' && typeof m.prototype?.up === 'function');
}

async function provision(env = process.env, log = (m) => process.stdout.write(`[provision] ${m}\n`)) {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  require('reflect-metadata');
  const { ALL_TOPICS, wireTopicName } = require('../libs/contracts/dist');
  const { createKafka, provisionTopics } = require('../libs/messaging/dist');
  const { serviceDataSourceOptions, initializeServiceDataSource } = require('../libs/persistence/dist');
  const { DataSource } = require('typeorm');

  const brokers = (env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const partitions = Number(env.KAFKA_TOPIC_PARTITIONS ?? 6);
  const replicationFactor = Number(env.KAFKA_REPLICATION_FACTOR ?? 1);
  const url = env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cairn';
  const t0 = Date.now();
  const topics = ALL_TOPICS.map((t) => wireTopicName(t.name, env.KAFKA_TOPIC_NAMESPACE || undefined));
  await provisionTopics(createKafka({ brokers, clientId: 'cairn-provision' }), topics, { partitions, replicationFactor });
  log(`${topics.length} topics (+ .dlq) with ${partitions} partitions, replication ${replicationFactor}`);
  const services = readdirSync(path.join(REPO, 'services'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const service of services) {
    const migrations = migrationsOf(service);
    if (!migrations.length) continue;
    const ds = new DataSource(serviceDataSourceOptions({ url, schema: service, entities: [], migrations, poolSize: 2, applicationName: 'cairn-provision' }));
    try {
      await initializeServiceDataSource(ds, service);
      log(`schema ${service}: ${migrations.length} migrations applied or already there`);
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  }
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

module.exports = { provision };

if (require.main === module) {
  provision().then(() => process.exit(0), (e) => {
    process.stderr.write(`[provision] failed: ${e.stack ?? e}\n`);
    process.exit(1);
  });
}
