#!/usr/bin/env node
'use strict';
// `npm run bench:ingest [-- --json]`: how fast product telemetry gets into Cairn, against what the
// same machine's Kafka takes from a bare kafkajs producer.
//
//   1. raw kafkajs producer (baseline): batches of 100 ~1 KB messages, acks = all, a few in flight
//   2. rollup consumer: N usage events produced straight to cairn.usage.event.v1, then the rate at
//      which ingestion's consumer gets them into the Postgres rollups (sum of usage_daily.events),
//      from the first rolled-up event until the group has committed the whole topic
//   3. POST /v1/batch: several keep-alive HTTP clients posting 100-call batches as fast as they are
//      answered (each answer comes after Kafka's ack) → accepted events/s
//   4. the same at ~70 % of that peak from a fixed-rate sender → p50 / p99 response time
//
// Starts its own broker (name "bench", port 29292, fresh) and database (cairn_bench, recreated),
// and the ingestion service from services/ingestion/dist (run `npm run build` first). Phase 2 runs
// one ingestion process; phases 3–4 a second one with INGESTION_CONSUME=false (an API-only
// instance, as one would scale the HTTP intake apart from the consumers), so the two figures do
// not share the box's two cores with each other.
//
// Options: --json (last line: one JSON object), --rollup-events N (default 200000),
// --seconds S (per HTTP phase, default 10), --clients C (default 8), --consumers N (ingestion
// processes in the consumer group for phase 2, default 1), --phases raw,rollup,http, --profile, --keep-broker.
const { spawn } = require('node:child_process');
const { createWriteStream, existsSync, mkdirSync } = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const { randomBytes, randomUUID } = require('node:crypto');
const infra = require('../scripts/infra');
const { cpuSnapshot, cpuSpent, loadAverage } = require('./cpu');
const LOAD_BEFORE = loadAverage();

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const JSON_OUT = args.includes('--json');
const ROLLUP_EVENTS = opt('rollup-events', 200_000);
const HTTP_SECONDS = opt('seconds', 10);
const CLIENTS = opt('clients', 8);
const CONSUMERS = opt('consumers', 1);
// --with-consumers: phases 3–4 against a full instance that also consumes what it accepts (one process for everything).
const HTTP_WITH_CONSUMERS = args.includes('--with-consumers');
const PHASES = (args.includes('--phases') ? args[args.indexOf('--phases') + 1] : 'raw,rollup,http').split(',');
const PROFILE = args.includes('--profile'); // ingestion runs with --cpu-prof (profiles in .cache/bench/ingest/)
const RAW_SECONDS = 8;
const RAW_IN_FLIGHT = 4;
const BATCH = 100;
const BROKER_PORT = 29292;
const HTTP_PORT = 39301;
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench';
const ACCOUNTS = 1000;
const USERS_PER_ACCOUNT = 10;
const FEATURES = ['Dashboard Viewed', 'Report Exported', 'Search Performed', 'Filter Applied', 'Alert Created',
  'Integration Connected', 'Comment Added', 'File Uploaded', 'Invite Sent', 'Settings Changed'];

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.env.LOG_LEVEL ??= 'warn'; // the libs' own log lines (topic provisioning)
const say = (msg) => process.stdout.write(`${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/** A Segment track call of about 900 bytes (its usage-event envelope on the wire is ~1 KB). */
function trackCall(i, timestamp) {
  const account = i % ACCOUNTS;
  return {
    type: 'track',
    messageId: `${RUN}-${i}`,
    userId: `user-${account}-${(i >> 3) % USERS_PER_ACCOUNT}`,
    event: FEATURES[i % FEATURES.length],
    timestamp,
    context: { groupId: `acct-${account}`, library: { name: 'analytics-node', version: '3.1.0' }, ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' },
    properties: { plan: 'growth', path: `/reports/${i % 97}`, durationMs: i % 5000, rows: i % 1000,
      filters: { region: 'emea', segment: 'enterprise', period: 'last-30-days' }, note: 'x'.repeat(300) },
  };
}
const RUN = randomBytes(4).toString('hex');

// ------------------------------------------------------------------------------------------ 1. raw

async function rawProducer(kafka) {
  const topic = 'bench.raw-baseline';
  await require('../libs/messaging/dist').provisionTopics(kafka, [topic], { partitions: 6, replicationFactor: 1 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const now = new Date().toISOString();
  const values = Array.from({ length: 1000 }, (_, i) => JSON.stringify({
    id: randomUUID(), type: 'usage.event', version: 1, time: now, workspaceId: 'bench', accountId: `acct-${i % ACCOUNTS}`,
    source: 'bench', data: trackCall(i, now),
  }));
  const bytes = values.reduce((n, v) => n + v.length, 0) / values.length;
  let sent = 0;
  let counting = false;
  let stop = false;
  const worker = async (w) => {
    for (let b = w; !stop; b += RAW_IN_FLIGHT) {
      const messages = [];
      for (let k = 0; k < BATCH; k++) {
        const i = (b * BATCH + k) % values.length;
        messages.push({ key: `bench:acct-${i % ACCOUNTS}`, value: values[i] });
      }
      await producer.send({ topic, acks: -1, messages });
      if (counting) sent += BATCH;
    }
  };
  const workers = Array.from({ length: RAW_IN_FLIGHT }, (_, w) => worker(w));
  await sleep(1000); // warm-up
  counting = true;
  const t0 = Date.now();
  await sleep(RAW_SECONDS * 1000);
  const eps = sent / ((Date.now() - t0) / 1000);
  stop = true;
  await Promise.all(workers);
  await producer.disconnect();
  return { eps, bytes };
}

// ------------------------------------------------------------------------------------- ingestion

function startIngestion(env, logFile) {
  const main = path.join(infra.REPO, 'services', 'ingestion', 'dist', 'main.js');
  const out = createWriteStream(logFile, { flags: 'a' });
  const child = spawn(process.execPath, [...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${path.dirname(logFile)}`] : []), main], { cwd: infra.REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return child;
}

async function waitHealthy(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`ingestion exited (${child.exitCode ?? child.signalCode})`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch { /* not listening yet */ }
    await sleep(250);
  }
  throw new Error('ingestion did not become healthy');
}

function stopProcess(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

// -------------------------------------------------------------------------------------- 2. rollup

/** Envelopes as the HTTP API would publish them: half dated yesterday, half today, so every account's day advances once. */
async function produceUsageEvents(kafka, workspaceId, n) {
  const { buildEnvelope, partitionKey, Topics } = require('../libs/contracts/dist');
  const { usageEventId } = require('../services/ingestion/dist/domain/ids');
  // One send at a time on an idempotent producer (SerialProducer): overlapping sends duplicated and lost records here.
  const producer = new (require('../libs/messaging/dist').SerialProducer)(kafka);
  await producer.connect();
  const receivedAt = new Date().toISOString();
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  const today = new Date().toISOString();
  const pending = [];
  for (let from = 0; from < n; from += 1000) {
    const messages = [];
    for (let i = from; i < Math.min(n, from + 1000); i++) {
      const call = trackCall(i, i < n / 2 ? yesterday : today);
      const data = { messageId: call.messageId, callType: 'track', event: call.event, userId: call.userId, groupId: call.context.groupId,
        timestamp: call.timestamp, receivedAt, properties: call.properties, context: call.context };
      const envelope = buildEnvelope(Topics.usageEvent, 'ingestion', {
        id: usageEventId(workspaceId, data.messageId), workspaceId, accountId: data.groupId, data, time: receivedAt,
      });
      messages.push({ key: partitionKey(envelope), value: JSON.stringify(envelope) });
    }
    // Queued in order: the yesterday half is on the broker before the today half.
    pending.push(producer.send({ topic: Topics.usageEvent.name, acks: -1, messages }));
    if (pending.length >= 4) await pending.shift();
  }
  await Promise.all(pending);
  await producer.disconnect();
}

async function rolledUp(pg) {
  const r = await pg.query('SELECT COALESCE(sum(events), 0)::bigint AS n FROM ingestion.usage_daily').catch(() => ({ rows: [{ n: 0 }] }));
  return Number(r.rows[0].n);
}

/** Messages the consumer group has not committed yet (the topic may hold a few producer-retry duplicates; the inbox drops them). */
async function consumerLag(admin, topic) {
  const [ends, committed] = await Promise.all([admin.fetchTopicOffsets(topic), admin.fetchOffsets({ groupId: 'cairn-ingestion', topics: [topic] })]);
  const done = new Map(committed[0].partitions.map((p) => [p.partition, Math.max(0, Number(p.offset))]));
  return ends.reduce((n, p) => n + Number(p.high) - (done.get(p.partition) ?? 0), 0);
}

/** CPU seconds of the ingestion processes and of the Postgres backends serving the benchmark database. */
const cpuOf = (pg, children) => cpuSnapshot(pg, DATABASE, Object.fromEntries(children.map((c, i) => [`ingestion-${i + 1}`, c.pid])));

/** From the first rolled-up event until the group has committed everything (or the time limit): events/s into Postgres. */
async function measureDrain(pg, admin, topic, children, timeoutMs = 120_000) {
  let first;
  let last = { t: Date.now(), n: 0 };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const child of children) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`ingestion exited (${child.exitCode ?? child.signalCode})`);
    }
    const count = await rolledUp(pg);
    const t = Date.now();
    if (count > 0 && !first) first = { t, n: count, cpu: await cpuOf(pg, children) };
    last = { t, n: count };
    if (first && (await consumerLag(admin, topic)) === 0 && (await rolledUp(pg)) === count) break;
    await sleep(100);
  }
  if (!first || last.t === first.t) return { eps: 0, done: last.n };
  const spent = cpuSpent(first.cpu, await cpuOf(pg, children));
  const cpu = { pg: spent.postgres, node: Object.entries(spent).reduce((sum, [k, v]) => (k === 'postgres' ? sum : sum + v), 0) };
  const n = last.n - first.n;
  return { eps: n / ((last.t - first.t) / 1000), done: last.n, seconds: (last.t - first.t) / 1000,
    nodeUsPerEvent: (cpu.node * 1e6) / n, pgUsPerEvent: (cpu.pg * 1e6) / n };
}

// ------------------------------------------------------------------------------------------ 3. http

function poster(url, writeKey, sockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const { hostname, port } = new URL(url);
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
  // The load generator shares the two cores: bodies are spliced from calls serialized once, only the messageId differs.
  const now = new Date().toISOString();
  const tails = Array.from({ length: 1000 }, (_, i) => {
    const { messageId: _m, ...rest } = trackCall(i, now);
    return JSON.stringify(rest).slice(1);
  });
  const prefix = `{"sentAt":"${now}","batch":[`;
  let n = 0;
  return function post() {
    const parts = [];
    for (let k = 0; k < BATCH; k++, n++) parts.push(`{"messageId":"${RUN}-http-${n}",${tails[n % tails.length]}`);
    const body = `${prefix}${parts.join(',')}]}`;
    const t0 = process.hrtime.bigint();
    return new Promise((resolve, reject) => {
      const req = http.request({ agent, hostname, port, path: '/v1/batch', method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          if (res.statusCode !== 200) return reject(new Error(`/v1/batch answered ${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`));
          resolve({ ms, accepted: JSON.parse(Buffer.concat(chunks).toString()).accepted });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}

async function httpPeak(post) {
  let accepted = 0;
  let counting = false;
  let stop = false;
  const client = async () => {
    while (!stop) {
      const r = await post();
      if (counting) accepted += r.accepted;
    }
  };
  const clients = Array.from({ length: CLIENTS }, client);
  await sleep(2000); // warm-up: JIT, producer batching, connection pool
  counting = true;
  const t0 = Date.now();
  await sleep(HTTP_SECONDS * 1000);
  const eps = accepted / ((Date.now() - t0) / 1000);
  stop = true;
  await Promise.all(clients);
  return eps;
}

/** Open loop: a request every 1/rate s whether or not the last one was answered; latency per request. */
async function httpAtRate(post, eventsPerSecond) {
  const intervalMs = (1000 * BATCH) / eventsPerSecond;
  const latencies = [];
  const inFlight = new Set();
  let behind = 0;
  const t0 = Date.now();
  const end = t0 + HTTP_SECONDS * 1000;
  for (let k = 0; ; k++) {
    const due = t0 + k * intervalMs;
    if (due >= end) break;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    if (inFlight.size >= 256) { behind++; continue; }
    const p = post().then((r) => { latencies.push(r.ms); }).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return { p50: pct(latencies, 50), p99: pct(latencies, 99), requests: latencies.length, skipped: behind,
    achievedEps: (latencies.length * BATCH) / (HTTP_SECONDS) };
}

// ----------------------------------------------------------------------------------------- phases

/** Phase 2: N events on the topic, then CONSUMERS ingestion processes drain them into the rollups. */
async function rollupPhase({ kafka, pg, env, logDir, raw, figures }) {
  await produceUsageEvents(kafka, 'bench', ROLLUP_EVENTS);
  const consumers = Array.from({ length: CONSUMERS }, (_, i) =>
    startIngestion({ ...env, PORT: String(HTTP_PORT + 1 + i) }, path.join(logDir, `ingestion-consumer-${i + 1}.log`)));
  const admin = kafka.admin();
  await admin.connect();
  try {
    const drain = await measureDrain(pg, admin, require('../libs/contracts/dist').Topics.usageEvent.name, consumers);
    figures.rollupEps = Math.round(drain.eps);
    say(`2. rollup consumer        ${fmt(drain.eps)} events/s into Postgres (${fmt(drain.done)} distinct of ${fmt(ROLLUP_EVENTS)} produced events`
      + `${drain.seconds ? ` in ${drain.seconds.toFixed(1)} s` : ''}; ${ACCOUNTS} accounts, each advancing one day;`
      + ` ${CONSUMERS} ingestion process${CONSUMERS > 1 ? 'es' : ''})${ratio(drain.eps, raw)}`);
    if (drain.nodeUsPerEvent !== undefined) {
      say(`                           CPU per event: ingestion ${drain.nodeUsPerEvent.toFixed(0)} µs, Postgres ${drain.pgUsPerEvent.toFixed(0)} µs`);
    }
  } finally {
    await admin.disconnect().catch(() => {});
    await Promise.all(consumers.map(stopProcess));
  }
}

/**
 * The rollups' floor, on the same topic and box: a bare kafkajs consumer (same fetch settings as
 * the service) that parses each usage event and writes one row per event — account, day, user,
 * feature — with one multi-row INSERT per fetched batch into a table without any index, key or
 * conflict handling. Events/s from the first inserted batch to the last, like phase 2.
 */
async function rollupFloorPhase({ kafka, pg, figures, raw }) {
  const { Topics } = require('../libs/contracts/dist');
  const topic = Topics.usageEvent.name;
  await pg.query('DROP TABLE IF EXISTS public.bench_rollup_floor');
  await pg.query('CREATE UNLOGGED TABLE public.bench_rollup_floor (workspace_id text, account_id text, day date, user_id text, feature text)');
  const admin = kafka.admin();
  await admin.connect();
  const total = (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
  await admin.disconnect();
  const writer = new (require('pg').Client)({ connectionString: `${PG_SERVER}/${DATABASE}` });
  await writer.connect();
  const consumer = kafka.consumer({ groupId: `bench-rollup-floor-${RUN}`, maxWaitTimeInMs: 1000, maxBytesPerPartition: 4 * 1024 * 1024 });
  let first;
  let done = 0;
  let finished;
  const allIn = new Promise((resolve) => { finished = resolve; });
  const cpu0 = process.cpuUsage();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const cols = [[], [], [], [], []];
      for (const m of batch.messages) {
        const e = JSON.parse(m.value.toString('utf8'));
        cols[0].push(e.workspaceId); cols[1].push(e.accountId); cols[2].push(e.data.timestamp.slice(0, 10));
        cols[3].push(e.data.userId); cols[4].push(e.data.event);
      }
      await writer.query(`INSERT INTO public.bench_rollup_floor SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[], $5::text[])`, cols);
      done += batch.messages.length;
      if (!first) first = { t: Date.now(), n: done };
      if (done >= total) finished();
    },
  });
  await Promise.race([allIn, sleep(120_000)]);
  const last = { t: Date.now(), n: done };
  const used = process.cpuUsage(cpu0);
  await consumer.disconnect();
  await writer.end();
  const eps = first && last.t > first.t ? (last.n - first.n) / ((last.t - first.t) / 1000) : 0;
  figures.rollupFloorEps = Math.round(eps);
  say(`2b. rollup floor          ${fmt(eps)} events/s (a bare consumer, one multi-row INSERT per batch into an unindexed table; ${fmt(done)} of ${fmt(total)} events`
    + `, ${(((used.user + used.system) / 1e6) * 1e6 / Math.max(1, done)).toFixed(0)} µs of its CPU per event)${ratio(eps, raw)}`);
}

/** Phases 3 and 4: peak accepted events/s, then latency at 70 % of it. */
async function httpPhase({ url, child, secret, raw, figures }) {
  const { issueApiToken } = require('../libs/auth/dist');
  await waitHealthy(url, child);
  const token = issueApiToken({ workspaceId: 'bench', subject: 'bench' }, secret);
  const created = await fetch(`${url}/write-keys`, {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'bench' }),
  });
  if (created.status !== 201) throw new Error(`POST /write-keys answered ${created.status}`);
  const post = poster(url, (await created.json()).writeKey, CLIENTS);
  const peak = await httpPeak(post);
  figures.httpIngestEps = Math.round(peak);
  say(`3. POST /v1/batch         ${fmt(peak)} events/s accepted (${CLIENTS} clients, ${BATCH} calls per request, answered after Kafka's ack;`
    + ` ${HTTP_WITH_CONSUMERS ? 'the instance also consumes them' : 'API-only instance'})${ratio(peak, raw)}`);
  const rate = 0.7 * peak;
  const lat = await httpAtRate(post, rate);
  figures.httpP50Ms = Math.round(lat.p50 * 10) / 10;
  figures.httpP99Ms = Math.round(lat.p99 * 10) / 10;
  say(`4. at 70 % of peak        ${fmt(rate)} events/s offered, ${fmt(lat.achievedEps)} answered: p50 ${lat.p50.toFixed(1)} ms, p99 ${lat.p99.toFixed(1)} ms`
    + ` per 100-call request${lat.skipped ? ` (${lat.skipped} sends skipped: 256 already in flight)` : ''}`);
}

const ratio = (eps, raw) => (Number.isFinite(raw.eps) ? ` — ${(eps / raw.eps).toFixed(2)} × raw` : '');

// ------------------------------------------------------------------------------------------- main

async function main() {
  const mainJs = path.join(infra.REPO, 'services', 'ingestion', 'dist', 'main.js');
  if (!existsSync(mainJs)) throw new Error('services/ingestion/dist/main.js is missing: run `npm run build` first');
  require('reflect-metadata');
  const { Kafka, logLevel } = require('kafkajs');
  const { Client } = require('pg');
  const { provisionAll } = require('../scripts/platform');
  const logDir = path.join(infra.REPO, '.cache', 'bench', 'ingest');
  mkdirSync(logDir, { recursive: true });

  await infra.ensurePostgres();
  await infra.dropDatabasesLike(PG_SERVER, DATABASE);
  await infra.ensureDatabase(PG_SERVER, DATABASE);
  const broker = await infra.ensureKafka({ port: BROKER_PORT, name: 'bench', fresh: true });
  const brokers = Array.isArray(broker.brokers) ? broker.brokers.join(',') : String(broker.brokers);
  const kafka = new Kafka({ clientId: 'cairn-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  await provisionAll({ brokers, partitions: 6 });
  const secret = randomBytes(32).toString('hex');
  const env = {
    DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, PORT: String(HTTP_PORT),
    LOG_LEVEL: 'warn', INGESTION_SCAN_INTERVAL_MS: '0',
  };
  const url = `http://127.0.0.1:${HTTP_PORT}`;
  const pg = new Client({ connectionString: `${PG_SERVER}/${DATABASE}` });
  let child;
  const figures = {};
  try {
    say(`cairn ingest benchmark — ${require('node:os').cpus().length} cores, broker ${brokers}, database ${DATABASE}, run ${RUN}`);

    const raw = PHASES.includes('raw') ? await rawProducer(kafka) : { eps: NaN, bytes: NaN };
    figures.rawProducerEps = Math.round(raw.eps);
    if (PHASES.includes('raw')) say(`1. raw kafkajs producer   ${fmt(raw.eps)} msgs/s (100 × ${fmt(raw.bytes)} B per batch, acks=all, ${RAW_IN_FLIGHT} batches in flight)`);

    if (PHASES.includes('rollup')) {
      await pg.connect();
      await rollupPhase({ kafka, pg, env, logDir, raw, figures });
      await rollupFloorPhase({ kafka, pg, figures, raw });
      if (figures.rollupFloorEps) say(`    rollups ${(figures.rollupEps / figures.rollupFloorEps).toFixed(2)} × their floor`);
    }
    if (PHASES.includes('http')) {
      child = startIngestion({ ...env, INGESTION_CONSUME: HTTP_WITH_CONSUMERS ? 'true' : 'false' }, path.join(logDir, 'ingestion-api.log'));
      await httpPhase({ url, child, secret, raw, figures });
    }
    say(`targets: HTTP ≥ 0.8 × raw producer; rollups ≥ 1.0 × raw producer (load average before ${LOAD_BEFORE.join(' ')}, now ${loadAverage().join(' ')})`);
  } finally {
    await stopProcess(child);
    await pg.end().catch(() => {});
    if (!args.includes('--keep-broker') && broker.started && broker.stop) await broker.stop();
  }
  if (JSON_OUT) {
    const r = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
    say(JSON.stringify({ rawProducerEps: figures.rawProducerEps, httpIngestEps: figures.httpIngestEps, httpP99Ms: figures.httpP99Ms,
      rollupEps: figures.rollupEps, httpP50Ms: figures.httpP50Ms, rollupFloorEps: figures.rollupFloorEps ?? null,
      httpVsRaw: r(figures.httpIngestEps, figures.rawProducerEps), rollupVsRaw: r(figures.rollupEps, figures.rawProducerEps),
      rollupVsFloor: r(figures.rollupEps, figures.rollupFloorEps), loadAverageBefore: LOAD_BEFORE, loadAverageAfter: loadAverage() }));
  }
}

main().catch((e) => {
  process.stderr.write(`bench/ingest.js failed: ${e.stack ?? e}\n`);
  process.exit(1);
});
