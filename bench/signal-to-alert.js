#!/usr/bin/env node
'use strict';
// `node bench/signal-to-alert.js [--json]`: how long a risk signal takes to become an alert a CSM
// receives, through the whole platform.
//
//   1. starts its own broker (name "benchr", port 29492, fresh), database (cairn_bench_risk,
//      recreated) and all five services from their dist/ (run `npm run build` first) on ports
//      3401–3405 (portOffset 400, clear of `npm start`), and a webhook receiver;
//   2. creates a write key and a webhook channel, and onboards N accounts (default 1000), each with
//      a CSM owner and a champion, through ingestion's Segment HTTP API (group + identify);
//   3. for each account, at a steady pace (default 20/s: the CPU line shows how busy the box is;
//      at 50/s its two cores are saturated and the figure is mostly queueing), sends `identify` with traits.status = 'left' for its champion, and measures from
//      the moment ingestion answered 200 to the moment the webhook received that account's alert
//      (HTTP → usage.event → ingestion's directory → contact-departed via the outbox → playbooks
//      → alert + delivery → webhook POST).
//
// Prints p50 / p90 / p99 / max and the count, split at the alert's creation (signal → alert
// created in playbooks, alert created → webhook received). Target: p99 ≤ 2 s.
// Options: --accounts N, --rate R (signals per second), --json (last line: one JSON object),
// --keep-broker (leave the broker running for the next run).
const http = require('node:http');
const path = require('node:path');
const { existsSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const infra = require('../scripts/infra');
const { cpuSnapshot, cpuSpent } = require('./cpu');
const { SERVICES, provisionAll, startServices, stopServices } = require('../scripts/platform');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const JSON_OUT = args.includes('--json');
const ACCOUNTS = opt('accounts', 1000);
const RATE = opt('rate', 20);
const PARTITIONS = opt('partitions', 6);
const WARMUP = 10;
const BROKER = { name: 'benchr', port: 29492 };
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench_risk';
const PORT_OFFSET = 400;
const WORKSPACE = `bench-${randomBytes(3).toString('hex')}`;
const DRAIN_TIMEOUT_MS = 60_000;

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.env.LOG_LEVEL ??= 'warn';
const say = (msg) => process.stdout.write(`${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Receives the alerts; remembers when each account's first one arrived. */
function startWebhook() {
  const received = new Map();
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = Date.now();
      res.writeHead(200).end();
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        const accountId = body?.alert?.accountId;
        if (accountId && !received.has(accountId)) received.set(accountId, { at, createdAt: Date.parse(body.alert.createdAt), type: body.alert.cause?.type });
      } catch { /* not an alert */ }
    });
  });
  server.keepAliveTimeout = 30_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, received, url: `http://127.0.0.1:${server.address().port}/alerts` })));
}

function client(base, headers) {
  return async (method, url, body) => {
    const r = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: r.status, json, text };
  };
}

const account = (i) => `acct-${i}`;
const champion = (i) => `champ-${i}`;

async function onboard(segment, ids) {
  const calls = [];
  for (const i of ids) {
    calls.push({ type: 'group', userId: champion(i), groupId: account(i), traits: { name: `Account ${i}`, plan: 'growth', seats: 20, csmOwner: `csm-${i % 25}@vendor.example` } });
    calls.push({ type: 'identify', userId: champion(i), context: { groupId: account(i) }, traits: { email: `${champion(i)}@acct${i}.example`, name: `Champion ${i}`, role: 'champion' } });
  }
  for (let k = 0; k < calls.length; k += 200) {
    const r = await segment('POST', '/v1/batch', { batch: calls.slice(k, k + 200) });
    if (r.status !== 200 || (r.json?.rejected ?? []).length) throw new Error(`/v1/batch → ${r.status} ${r.text.slice(0, 300)}`);
  }
}

/** Sends the departures at a fixed rate without waiting for answers; resolves with when each was answered. */
async function depart(segment, ids, rate) {
  const answered = new Map();
  const failures = [];
  const pending = [];
  const start = Date.now();
  for (let n = 0; n < ids.length; n++) {
    const wait = start + (n * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const i = ids[n];
    pending.push(segment('POST', '/v1/identify', { userId: champion(i), context: { groupId: account(i) }, traits: { status: 'left' } })
      .then((r) => { if (r.status === 200) answered.set(account(i), Date.now()); else failures.push(`${account(i)}: ${r.status}`); },
        (e) => failures.push(`${account(i)}: ${e.message}`)));
  }
  await Promise.all(pending);
  return { answered, failures, sendSeconds: (Date.now() - start) / 1000 };
}

/** CPU seconds so far of each service, the broker, this load generator and the database's Postgres backends. */
const cpuOf = (running, brokerPid, pg) => cpuSnapshot(pg, DATABASE,
  { loadgen: process.pid, broker: brokerPid, ...Object.fromEntries(running.map((r) => [r.name, r.child.pid])) });

function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return { count: 0 };
  return { count: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s[s.length - 1], mean: Math.round(s.reduce((a, b) => a + b, 0) / s.length) };
}

async function main() {
  for (const s of SERVICES) {
    if (!existsSync(path.join(infra.REPO, 'services', s.name, 'dist', 'main.js'))) throw new Error(`services/${s.name}/dist is missing: run npm run build first`);
  }
  const { issueApiToken } = require('../libs/auth/dist');
  const t0 = Date.now();
  await infra.ensurePostgres();
  await infra.dropDatabasesLike(PG_SERVER, DATABASE);
  await infra.ensureDatabase(PG_SERVER, DATABASE);
  const broker = await infra.ensureKafka({ port: BROKER.port, name: BROKER.name, fresh: !args.includes('--keep-broker'), log: (m) => say(m.replace(/^\[kafka\] /, 'kafka: ')) });
  const brokers = broker.brokers.join(',');
  await provisionAll({ brokers, partitions: PARTITIONS });
  const webhook = await startWebhook();
  const secret = randomBytes(32).toString('base64url');
  const env = {
    DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_TOPIC_NAMESPACE: '', KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
    PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', // the receiver is on 127.0.0.1
  };
  const logDir = path.join(infra.REPO, '.cache', 'bench', 'signal-to-alert');
  say(`starting the platform (ports ${3001 + PORT_OFFSET}–${3005 + PORT_OFFSET}; logs in ${path.relative(infra.REPO, logDir)})…`);
  const running = await startServices({ env, logDir, portOffset: PORT_OFFSET, quiet: true });
  const url = Object.fromEntries(running.map((r) => [r.name, r.url]));
  say(`platform up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  let result;
  let tap;
  const sentToKafka = new Map();
  try {
    const token = issueApiToken({ workspaceId: WORKSPACE, subject: 'bench' }, secret);
    const ingestion = client(url.ingestion, { authorization: `Bearer ${token}` });
    const playbooks = client(url.playbooks, { authorization: `Bearer ${token}` });
    const key = await ingestion('POST', '/write-keys', { name: 'bench' });
    if (key.status !== 201) throw new Error(`POST /write-keys → ${key.status} ${key.text}`);
    const segment = client(url.ingestion, { authorization: `Basic ${Buffer.from(`${key.json.writeKey}:`).toString('base64')}` });
    const channel = await playbooks('POST', '/channels', { type: 'webhook', url: webhook.url, name: 'bench' });
    if (channel.status !== 201) throw new Error(`POST /channels → ${channel.status} ${channel.text}`);

    const all = Array.from({ length: ACCOUNTS + WARMUP }, (_, i) => i);
    const t1 = Date.now();
    await onboard(segment, all);
    // Settled when playbooks knows every account's owner (its read model is the last stop).
    for (;;) {
      const r = await playbooks('GET', '/accounts?limit=1000');
      const known = (r.json ?? []).filter((a) => a.csmOwner).length;
      if (known >= Math.min(1000, all.length) && (await playbooks('GET', `/accounts/${account(all.length - 1)}`)).status === 200) break;
      if (Date.now() - t1 > 120_000) throw new Error(`onboarding did not settle in 120 s (${known} accounts known to playbooks)`);
      await sleep(500);
    }
    await sleep(2000);
    say(`onboarded ${all.length} accounts with a champion and a CSM owner in ${((Date.now() - t1) / 1000).toFixed(1)} s`);

    const warm = all.slice(ACCOUNTS);
    await depart(segment, warm, 10);
    const warmDeadline = Date.now() + 30_000;
    while (warm.some((i) => !webhook.received.has(account(i))) && Date.now() < warmDeadline) await sleep(100);
    if (warm.some((i) => !webhook.received.has(account(i)))) throw new Error('warm-up alerts did not arrive within 30 s');

    // The relay's send time of each contact-departed message (its Kafka CreateTime), read by a consumer of our own.
    const { createKafka } = require('../libs/messaging/dist');
    const kafka = createKafka({ brokers: brokers.split(','), clientId: 'bench-signal-to-alert' });
    tap = kafka.consumer({ groupId: `bench-tap-${WORKSPACE}`, maxWaitTimeInMs: 100 });
    await tap.connect();
    await tap.subscribe({ topics: ['cairn.directory.contact-departed.v1'], fromBeginning: false });
    await tap.run({ eachMessage: async ({ message }) => { if (message.key) sentToKafka.set(message.key.toString().split(':').slice(1).join(':'), Number(message.timestamp)); } });
    await sleep(3000); // joined and positioned at the end before the departures start

    const measured = all.slice(0, ACCOUNTS);
    say(`sending ${measured.length} champion departures at ${RATE}/s…`);
    const pgClient = new (require('pg').Client)({ connectionString: `${PG_SERVER}/${DATABASE}` });
    await pgClient.connect();
    const cpuBefore = await cpuOf(running, broker.pid, pgClient);
    const tDepart = Date.now();
    const { answered, failures, sendSeconds } = await depart(segment, measured, RATE);
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (measured.some((i) => answered.has(account(i)) && !webhook.received.has(account(i))) && Date.now() < deadline) await sleep(100);
    const cpu = cpuSpent(cpuBefore, await cpuOf(running, broker.pid, pgClient));
    const cpuWall = (Date.now() - tDepart) / 1000;
    await pgClient.end();

    // Where the time goes: the contact-departed event's time is when ingestion's directory
    // published it; the signal's receivedAt is when playbooks' transaction began on it.
    const signals = new Map();
    for (const r of (await playbooks('GET', '/signals?type=directory.contact-departed&limit=1000')).json ?? []) {
      signals.set(r.accountId, { published: Date.parse(r.time), received: Date.parse(r.receivedAt) });
    }
    const stages = { total: [], fromKafka: [], ingestion: [], relay: [], kafkaToPlaybooks: [], playbooks: [], delivery: [] };
    for (const i of measured) {
      const a = answered.get(account(i));
      const got = webhook.received.get(account(i));
      if (a === undefined || !got) continue;
      stages.total.push(got.at - a);
      const onKafka = sentToKafka.get(account(i));
      if (onKafka !== undefined) stages.fromKafka.push(got.at - onKafka);
      const sig = signals.get(account(i));
      if (sig && Number.isFinite(got.createdAt)) {
        stages.ingestion.push(sig.published - a);
        const sent = sentToKafka.get(account(i));
        if (sent !== undefined) { stages.relay.push(sent - sig.published); stages.kafkaToPlaybooks.push(sig.received - sent); }
        stages.playbooks.push(got.createdAt - sig.received);
        stages.delivery.push(got.at - got.createdAt);
      }
    }
    const missing = measured.filter((i) => answered.has(account(i)) && !webhook.received.has(account(i))).length;
    result = { stages: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, summary(v)])), missing, failures, sendSeconds, cpu, cpuWall };
    if (args.includes('--verbose')) {
      // Busy time of each service's consumer per topic: handler seconds (chunks) and messages.
      for (const r of running) {
        const metrics = await (await fetch(`${r.url}/metrics`)).text();
        for (const l of metrics.split('\n')) {
          if (/^cairn_consumer_handler_seconds_(sum|count)\{|^cairn_consumer_messages_total\{/.test(l)) say(`  ${r.name}: ${l}`);
        }
      }
    }
  } finally {
    await tap?.disconnect().catch(() => undefined);
    await stopServices(running);
    await new Promise((r) => webhook.server.close(() => r()));
    if (!args.includes('--keep-broker') && broker.started) await broker.stop();
  }

  const { stages, missing, failures, sendSeconds, cpu, cpuWall } = result;
  const total = stages.total;
  const line = (name, s) => say(`  ${name.padEnd(34)} p50 ${String(s.p50).padStart(5)} ms   p90 ${String(s.p90).padStart(5)} ms   p99 ${String(s.p99).padStart(5)} ms   max ${String(s.max).padStart(5)} ms`);
  say('');
  say(`signal → alert, ${total.count} of ${ACCOUNTS} champion departures (${RATE}/s for ${sendSeconds.toFixed(1)} s):`);
  line('identify answered → webhook got alert', total);
  line('contact-departed on Kafka → webhook', stages.fromKafka);
  say('  where the time goes (samples on the /signals page):');
  line('  answered → ingestion published', stages.ingestion);
  line('  published → relay sent it', stages.relay);
  line('  relay sent it → playbooks began', stages.kafkaToPlaybooks);
  line('  playbooks began → alert created', stages.playbooks);
  line('  alert created → webhook got it', stages.delivery);
  say(`  target p99 ≤ 2000 ms: ${total.p99 <= 2000 ? 'met' : 'MISSED'}${missing ? `; ${missing} alerts never arrived within ${DRAIN_TIMEOUT_MS / 1000} s` : ''}${failures.length ? `; ${failures.length} identify calls failed (${failures.slice(0, 3).join(', ')})` : ''}`);
  const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);
  say(`  CPU while departing (${cpuWall.toFixed(1)} s wall, ${require('node:os').availableParallelism()} cores): `
    + `${Object.entries(cpu).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; `
    + `${(cpuTotal / cpuWall * 100).toFixed(0)} % of one core on average, ${((cpuTotal * 1000) / ACCOUNTS).toFixed(1)} ms of CPU per departure`);
  say(`  whole run ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (JSON_OUT) {
    say(JSON.stringify({
      signalToAlertP50Ms: total.p50, signalToAlertP99Ms: total.p99, signalToAlertMaxMs: total.max, signalToAlertCount: total.count,
      signalToAlertMissing: missing, signalToAlertRatePerSecond: RATE,
      departedOnKafkaToAlertP50Ms: stages.fromKafka.p50, departedOnKafkaToAlertP99Ms: stages.fromKafka.p99,
      cpuPercentOfOneCore: Math.round((cpuTotal / cpuWall) * 100), cpuMsPerDeparture: Math.round((cpuTotal * 1000) / ACCOUNTS),
    }));
  }
  if (total.count === 0 || missing > 0 || failures.length > 0) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench/signal-to-alert: ${e.stack ?? e}\n`);
  process.exit(1);
});
