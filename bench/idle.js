#!/usr/bin/env node
'use strict';
// `node bench/idle.js [--json] [--seconds S]`: CPU of the whole platform doing nothing.
//
// Starts its own broker (name "benchi", port 29442, fresh), database (cairn_bench_idle,
// recreated) and all five services from their dist/ (ports 3401–3405), waits for them to settle,
// then measures over S seconds (default 60) what each service, the broker and the services'
// PostgreSQL backends spend, as % of one core, and each process's main-thread wake-ups a second.
// Target: ≤ 3 % of one core in all.
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const infra = require('../scripts/infra');
const { idleCpu, quiesce, formatIdle, loadAverage } = require('./cpu');
const { SERVICES, startServices, stopServices, provisionAll } = require('../scripts/platform');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const JSON_OUT = args.includes('--json');
const SECONDS = opt('seconds', 60);
const SETTLE_SECONDS = opt('settle', 15);
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench_idle';
const say = (msg) => process.stdout.write(`${msg}\n`);

async function main() {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  process.env.LOG_LEVEL ??= 'warn';
  const load0 = loadAverage();
  await infra.ensurePostgres();
  await infra.dropDatabasesLike(PG_SERVER, DATABASE);
  await infra.ensureDatabase(PG_SERVER, DATABASE);
  const broker = await infra.ensureKafka({ port: 29442, name: 'benchi', fresh: true, log: (m) => say(m.replace(/^\[kafka\] /, 'kafka: ')) });
  const brokers = broker.brokers.join(',');
  await provisionAll({ brokers, partitions: 6 });
  const env = {
    DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_TOPIC_NAMESPACE: '', KAFKA_TOPIC_PARTITIONS: '6',
  };
  const running = await startServices({ env, logDir: path.join(infra.REPO, '.cache', 'bench', 'idle'), portOffset: 400, quiet: true, healthyTimeoutMs: 300_000 }); // a busy box starts five services slowly
  const pg = new (require('pg').Client)({ connectionString: `${PG_SERVER}/${DATABASE}` });
  let idle;
  try {
    await pg.connect();
    const { Kafka, logLevel } = require('kafkajs');
    await quiesce({ kafka: new Kafka({ brokers: brokers.split(','), clientId: 'bench-quiesce', logLevel: logLevel.NOTHING }), pg,
      groups: SERVICES.map((s) => `cairn-${s.name}`), schemas: SERVICES.map((s) => s.name) });
    await new Promise((r) => setTimeout(r, SETTLE_SECONDS * 1000)); // start-up work (first scans, joins) done
    say(`measuring the idle platform for ${SECONDS} s…`);
    idle = await idleCpu(pg, DATABASE, { broker: broker.pid, ...Object.fromEntries(running.map((r) => [r.name, r.child.pid])) }, SECONDS);
  } finally {
    await pg.end().catch(() => undefined);
    await stopServices(running);
    if (broker.started) await broker.stop();
  }
  const services = running.reduce((n, r) => n + idle.pctOfCore[r.name], 0);
  const load1 = loadAverage();
  say(`idle platform over ${idle.seconds.toFixed(0)} s: ${idle.total.toFixed(2)} % of one core in all `
    + `(five services ${services.toFixed(2)} %, broker ${idle.pctOfCore.broker.toFixed(2)} %, PostgreSQL ${idle.pctOfCore.postgres.toFixed(2)} %); target ≤ 3 %: ${idle.total <= 3 ? 'met' : 'MISSED'}`);
  say(`  ${formatIdle(idle)}`);
  say(`  load average before ${load0.join(' ')}, after ${load1.join(' ')}`);
  if (JSON_OUT) {
    say(JSON.stringify({ idleCpuPctOfCore: Math.round(idle.total * 100) / 100, idleServicesCpuPctOfCore: Math.round(services * 100) / 100,
      idleBrokerCpuPctOfCore: Math.round(idle.pctOfCore.broker * 100) / 100, idlePostgresCpuPctOfCore: Math.round(idle.pctOfCore.postgres * 100) / 100,
      idleWakeUpsPerSecond: Object.fromEntries(Object.entries(idle.wakesPerSecond).map(([k, v]) => [k, Math.round(v)])), loadAverageBefore: load0, loadAverageAfter: load1 }));
  }
}

main().catch((e) => {
  process.stderr.write(`bench/idle: ${e.stack ?? e}\n`);
  process.exit(1);
});
