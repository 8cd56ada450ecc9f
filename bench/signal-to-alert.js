#!/usr/bin/env node
'use strict';
// `node bench/signal-to-alert.js [--json]`: how long a risk signal takes to become an alert a CSM
// receives, through the whole platform, what it costs, and the same for the chain's floor.
//
//   1. starts its own broker (name "benchr", port 29492, fresh), database (cairn_bench_risk,
//      recreated) and a webhook receiver;
//   2. the floor (bench/floor-chain.js, a process of its own): the same hops with no logic —
//      HTTP → Kafka → consumer + PostgreSQL transaction → Kafka → consumer + transaction →
//      webhook; its idle CPU, then departures at rising rates (5, 10, 20, 40, … per second, each
//      step ~STEP seconds) until the p99 from HTTP answer to webhook exceeds 2 s;
//   3. the platform: all five services from their dist/ (run `npm run build` first) on ports
//      3401–3405; onboards the accounts (a CSM owner and a champion each) through ingestion's
//      Segment HTTP API, measures the idle platform over --idle-seconds (default 60), then the
//      same rising rates of champion departures (`identify` with traits.status = 'left'),
//      measured from the moment ingestion answered 200 to the moment the webhook received that
//      account's alert (HTTP → usage.event → directory → contact-departed via the outbox →
//      playbooks → alert + delivery → webhook POST).
//
// For both: the highest rate whose p99 stays ≤ 2 s (the step above failed, or the accounts ran
// out: then "≥"), the p99 at 5/s, and CPU per departure above idle (every process of the chain,
// the broker and the database's PostgreSQL backends, less their idle CPU over the same time) at
// the highest rate both sustained, and the ratios platform / floor.
// Options: --accounts N (platform departures available, default 1300), --step-seconds S
// (default 8), --max-rate R (default 640), --idle-seconds S, --json (last line: one JSON
// object), --keep-broker, --verbose (each service's consumer busy time per topic at the end).
const http = require('node:http');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { createWriteStream, existsSync, mkdirSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const infra = require('../scripts/infra');
const { cpuSnapshot, cpuSpent, idleCpu, quiesce, formatIdle, loadAverage } = require('./cpu');
const { SERVICES, provisionAll, startServices, stopServices } = require('../scripts/platform');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const JSON_OUT = args.includes('--json');
const ACCOUNTS = opt('accounts', 1300);
const STEP_SECONDS = opt('step-seconds', 8);
const MAX_RATE = opt('max-rate', 640);
const IDLE_SECONDS = opt('idle-seconds', 60);
const RATES = [5, 10, 20, 40, 80, 160, 320, 640, 1280].filter((r) => r <= MAX_RATE);
const P99_LIMIT_MS = 2000;
const PARTITIONS = opt('partitions', 6);
const WARMUP = 10;
const BROKER = { name: 'benchr', port: 29492 };
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench_risk';
const PORT_OFFSET = 400;
const FLOOR_PORT = 39390;
const WORKSPACE = `bench-${randomBytes(3).toString('hex')}`;
/** After the last departure of a step: how long its alerts may take before the step counts as failed. */
const DRAIN_MS = 20_000;

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.env.LOG_LEVEL ??= 'warn';
const say = (msg) => process.stdout.write(`${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const LOAD_BEFORE = loadAverage();

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

/** Sends one departure per id at a fixed rate without waiting for answers; resolves with when each was answered. */
async function depart(send, ids, rate) {
  const answered = new Map();
  const failures = [];
  const pending = [];
  const start = Date.now();
  for (let n = 0; n < ids.length; n++) {
    const wait = start + (n * 1000) / rate - Date.now();
    if (wait > 0) await sleep(wait);
    const i = ids[n];
    pending.push(send(i).then((r) => { if (r.status === 200) answered.set(account(i), Date.now()); else failures.push(`${account(i)}: ${r.status}`); },
      (e) => failures.push(`${account(i)}: ${e.message}`)));
  }
  await Promise.all(pending);
  return { answered, failures, sendSeconds: (Date.now() - start) / 1000 };
}

function summary(values) {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return { count: 0 };
  return { count: s.length, p50: pct(s, 50), p90: pct(s, 90), p99: pct(s, 99), max: s[s.length - 1] };
}

/**
 * Departures at rising rates until a step's p99 exceeds the limit (or alerts go missing, or the
 * ids run out). Each step's CPU is every process in `pids` plus the database's backends, less
 * what the same processes spent idle (`idlePct`, % of one core) over the step's time.
 */
async function stepRates({ name, send, ids, webhook, pids, pg, idlePct }) {
  const steps = [];
  let next = 0;
  for (const rate of RATES) {
    const n = Math.max(30, Math.round(rate * STEP_SECONDS));
    if (next + n > ids.length) { steps.exhausted = true; break; }
    const batch = ids.slice(next, next + n);
    next += n;
    const before = await cpuSnapshot(pg, DATABASE, pids);
    const t0 = Date.now();
    const { answered, failures } = await depart(send, batch, rate);
    const deadline = Date.now() + DRAIN_MS;
    while (batch.some((i) => answered.has(account(i)) && !webhook.received.has(account(i))) && Date.now() < deadline) await sleep(50);
    const wall = (Date.now() - t0) / 1000;
    const spent = cpuSpent(before, await cpuSnapshot(pg, DATABASE, pids));
    const cpuTotal = Object.values(spent).reduce((a, b) => a + b, 0);
    const latencies = batch.filter((i) => answered.has(account(i)) && webhook.received.has(account(i)))
      .map((i) => webhook.received.get(account(i)).at - answered.get(account(i)));
    const missing = batch.filter((i) => !webhook.received.has(account(i))).length;
    const lat = summary(latencies);
    const cpuMsAboveIdle = ((cpuTotal - (idlePct / 100) * wall) * 1000) / n;
    const ok = missing === 0 && failures.length === 0 && lat.p99 <= P99_LIMIT_MS;
    steps.push({ rate, n, ...lat, missing, failures: failures.length, cpuPct: (cpuTotal / wall) * 100, cpuMsAboveIdle, spent, ok });
    say(`  ${name.padEnd(8)} ${String(rate).padStart(4)}/s × ${String(n).padStart(4)}: p50 ${String(lat.p50 ?? '-').padStart(5)} ms, p99 ${String(lat.p99 ?? '-').padStart(5)} ms, `
      + `max ${String(lat.max ?? '-').padStart(5)} ms${missing ? `, ${missing} missing` : ''}${failures.length ? `, ${failures.length} failed` : ''}; `
      + `CPU ${((cpuTotal / wall) * 100).toFixed(0)} % of a core, ${cpuMsAboveIdle.toFixed(1)} ms per departure above idle${ok ? '' : '  ← over the limit'}`);
    if (!ok) break;
  }
  const passed = steps.filter((s) => s.ok);
  return { steps, sustainable: passed.length ? passed[passed.length - 1].rate : 0, exhausted: Boolean(steps.exhausted) && steps.every((s) => s.ok) };
}

function startFloor(env, logFile) {
  const out = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, [path.join(__dirname, 'floor-chain.js')], { cwd: infra.REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.pipe(out);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the floor chain did not start (log: ${path.relative(infra.REPO, logFile)})`)), 90_000);
    child.stdout.on('data', (d) => { if (String(d).includes('ready')) { clearTimeout(timer); resolve(child); } });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the floor chain exited (${code}; log: ${path.relative(infra.REPO, logFile)})`)); });
  });
}

function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

async function warmUp(send, ids, webhook, what) {
  const { answered } = await depart(send, ids, 10);
  const deadline = Date.now() + 60_000;
  while (ids.some((i) => !webhook.received.has(account(i))) && Date.now() < deadline) await sleep(100);
  if (ids.some((i) => !webhook.received.has(account(i)))) throw new Error(`${what}: warm-up alerts did not arrive within 60 s (${answered.size} answered)`);
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
  const { Kafka, logLevel } = require('kafkajs');
  const quietKafka = new Kafka({ brokers: brokers.split(','), clientId: 'bench-signal-to-alert', logLevel: logLevel.NOTHING });
  const webhook = await startWebhook();
  const logDir = path.join(infra.REPO, '.cache', 'bench', 'signal-to-alert');
  mkdirSync(logDir, { recursive: true });
  const pg = new (require('pg').Client)({ connectionString: `${PG_SERVER}/${DATABASE}` });
  await pg.connect();
  const result = {};
  let running = [];
  let floor;
  try {
    // ---- the floor chain
    const floorPrefix = `bench-floor-${WORKSPACE}`;
    const { provisionTopics } = require('../libs/messaging/dist');
    await provisionTopics(quietKafka, [`${floorPrefix}.departed`, `${floorPrefix}.alert`], { partitions: PARTITIONS, replicationFactor: 1 });
    floor = await startFloor({ FLOOR_BROKERS: brokers, FLOOR_DATABASE_URL: `${PG_SERVER}/${DATABASE}`, FLOOR_PORT: String(FLOOR_PORT),
      FLOOR_WEBHOOK_URL: webhook.url, FLOOR_TOPIC_PREFIX: floorPrefix }, path.join(logDir, 'floor-chain.log'));
    const floorApi = client(`http://127.0.0.1:${FLOOR_PORT}`, {});
    const floorSend = (i) => floorApi('POST', '/depart', { accountId: account(i) });
    const floorIds = Array.from({ length: RATES.reduce((n, r) => n + Math.max(30, Math.round(r * STEP_SECONDS)), 0) }, (_, i) => i);
    const fAccount = (ids) => ids.map((i) => `f${i}`);
    await warmUp(floorSend, fAccount(Array.from({ length: WARMUP }, (_, i) => `w${i}`)), webhook, 'floor');
    const floorPids = { floor: floor.pid, broker: broker.pid };
    const floorIdle = await idleCpu(pg, DATABASE, floorPids, Math.min(IDLE_SECONDS, 10));
    say(`floor chain idle: ${floorIdle.total.toFixed(2)} % of one core (${formatIdle(floorIdle)})`);
    result.floor = await stepRates({ name: 'floor', send: floorSend, ids: fAccount(floorIds), webhook, pids: floorPids, pg, idlePct: floorIdle.total });
    await stopChild(floor);
    floor = undefined;

    // ---- the platform
    const secret = randomBytes(32).toString('base64url');
    const env = {
      DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, LOG_LEVEL: 'warn',
      KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_TOPIC_NAMESPACE: '', KAFKA_TOPIC_PARTITIONS: String(PARTITIONS),
      PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true', // the receiver is on 127.0.0.1
    };
    say(`starting the platform (ports ${3001 + PORT_OFFSET}–${3005 + PORT_OFFSET}; logs in ${path.relative(infra.REPO, logDir)})…`);
    running = await startServices({ env, logDir, portOffset: PORT_OFFSET, quiet: true, healthyTimeoutMs: 300_000 }); // a busy box starts five services slowly
    const url = Object.fromEntries(running.map((r) => [r.name, r.url]));
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
      const last = await playbooks('GET', `/accounts/${account(all.length - 1)}`);
      if (last.status === 200 && last.json?.csmOwner) break;
      if (Date.now() - t1 > 300_000) throw new Error('onboarding did not settle in 300 s');
      await sleep(500);
    }
    say(`onboarded ${all.length} accounts with a champion and a CSM owner in ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    const platformSend = (i) => segment('POST', '/v1/identify', { userId: champion(i), context: { groupId: account(i) }, traits: { status: 'left' } });
    await warmUp(platformSend, all.slice(ACCOUNTS), webhook, 'platform');
    // Onboarding and the warm-up leave work behind (summaries, scores, read models): idle means none is left.
    await quiesce({ kafka: quietKafka, pg,
      groups: SERVICES.map((s) => `cairn-${s.name}`), schemas: SERVICES.map((s) => s.name) });
    await sleep(3000);
    const platformPids = { broker: broker.pid, ...Object.fromEntries(running.map((r) => [r.name, r.child.pid])) };
    say(`measuring the idle platform for ${IDLE_SECONDS} s…`);
    const idle = await idleCpu(pg, DATABASE, platformPids, IDLE_SECONDS);
    result.idle = idle;
    say(`idle platform: ${idle.total.toFixed(2)} % of one core in all (${formatIdle(idle)})`);
    result.platform = await stepRates({ name: 'platform', send: platformSend, ids: all.slice(0, ACCOUNTS), webhook, pids: platformPids, pg, idlePct: idle.total });
    if (args.includes('--verbose')) {
      for (const r of running) {
        const metrics = await (await fetch(`${r.url}/metrics`)).text();
        for (const l of metrics.split('\n')) {
          if (/^cairn_consumer_handler_seconds_(sum|count)\{|^cairn_consumer_messages_total\{/.test(l)) say(`  ${r.name}: ${l}`);
        }
      }
    }
  } finally {
    if (floor) await stopChild(floor);
    await pg.end().catch(() => undefined);
    await stopServices(running);
    await new Promise((r) => webhook.server.close(() => r()));
    if (!args.includes('--keep-broker') && broker.started) await broker.stop();
  }

  const { floor: f, platform: p, idle } = result;
  const at = (r, rate) => r.steps.find((s) => s.rate === rate);
  const common = Math.min(p.sustainable || RATES[0], f.sustainable || RATES[0]);
  const pAt = at(p, common);
  const fAt = at(f, common);
  const services = SERVICES.reduce((n, s) => n + idle.pctOfCore[s.name], 0);
  const sustainedText = (r) => `${r.exhausted ? '≥ ' : ''}${r.sustainable}/s`;
  const ratio = (a, b) => (a && b ? Math.round((a / b) * 100) / 100 : null);
  const figures = {
    idleCpuPctOfCore: Math.round(idle.total * 100) / 100, idleServicesCpuPctOfCore: Math.round(services * 100) / 100,
    idleBrokerCpuPctOfCore: Math.round(idle.pctOfCore.broker * 100) / 100, idlePostgresCpuPctOfCore: Math.round(idle.pctOfCore.postgres * 100) / 100,
    signalToAlertP50MsAt5: at(p, 5)?.p50 ?? null, signalToAlertP99MsAt5: at(p, 5)?.p99 ?? null,
    floorP99MsAt5: at(f, 5)?.p99 ?? null,
    sustainableRatePerSecond: p.sustainable, sustainableRateAtLeast: p.exhausted, floorSustainableRatePerSecond: f.sustainable, floorSustainableRateAtLeast: f.exhausted,
    sustainableRateVsFloor: ratio(p.sustainable, f.sustainable),
    cpuRatePerSecond: common, cpuMsPerDepartureAboveIdle: pAt ? Math.round(pAt.cpuMsAboveIdle * 10) / 10 : null,
    floorCpuMsPerDepartureAboveIdle: fAt ? Math.round(fAt.cpuMsAboveIdle * 10) / 10 : null,
    cpuPerDepartureVsFloor: pAt && fAt ? ratio(pAt.cpuMsAboveIdle, fAt.cpuMsAboveIdle) : null,
    loadAverageBefore: LOAD_BEFORE, loadAverageAfter: loadAverage(),
  };
  say('');
  say(`idle platform (${idle.seconds.toFixed(0)} s): ${idle.total.toFixed(2)} % of one core in all — five services ${services.toFixed(2)} %, `
    + `broker ${idle.pctOfCore.broker.toFixed(2)} %, PostgreSQL ${idle.pctOfCore.postgres.toFixed(2)} % (target ≤ 3 %: ${idle.total <= 3 ? 'met' : 'MISSED'})`);
  say(`signal → alert at 5/s: p50 ${figures.signalToAlertP50MsAt5} ms, p99 ${figures.signalToAlertP99MsAt5} ms (floor p99 ${figures.floorP99MsAt5} ms; target ≤ 250 ms: ${figures.signalToAlertP99MsAt5 <= 250 ? 'met' : 'MISSED'})`);
  say(`highest rate with p99 ≤ 2 s: platform ${sustainedText(p)}, floor ${sustainedText(f)} → ${figures.sustainableRateVsFloor ?? '-'} × floor (target ≥ 0.5)`);
  if (pAt && fAt) {
    say(`CPU per departure above idle at ${common}/s: platform ${pAt.cpuMsAboveIdle.toFixed(1)} ms, floor ${fAt.cpuMsAboveIdle.toFixed(1)} ms → ${figures.cpuPerDepartureVsFloor} × floor`);
    say(`  platform split: ${Object.entries(pAt.spent).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((v * 1000) / pAt.n).toFixed(1)} ms`).join(', ')} (per departure, idle included)`);
  }
  say(`load average before ${LOAD_BEFORE.join(' ')}, after ${figures.loadAverageAfter.join(' ')}; whole run ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (JSON_OUT) say(JSON.stringify(figures));
  if (!p.steps.length || !at(p, 5)?.ok) process.exitCode = 1;
}

main().catch((e) => {
  process.stderr.write(`bench/signal-to-alert: ${e.stack ?? e}\n`);
  process.exit(1);
});
