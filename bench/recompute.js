#!/usr/bin/env node
'use strict';
// `node bench/recompute.js [--json] [--accounts N]`: time of a full health recompute
// (POST /scorecards/recompute) of 100,000 accounts, each with a full set of signals.
//
// Starts what it needs: its own Kafka broker (name "benchh", port 29392), a fresh database
// cairn_bench_health, the health service as a process (built dist/). Seeds the accounts' signals
// straight into health's schema with SQL — what health keeps after 30 days of usage summaries
// (active users 7d/30d, features used, last activity, trend vs baseline; some accounts inside a
// drop episode), account details, a champion contact (one in eight has left), the latest
// NPS/CSAT/CES answers and a contract with its end date — then times two full recomputes through
// the API: the first scores every account for the first time (a score, a history row and a
// health.changed event each: the worst case), the second finds nothing changed.
// --accounts N seeds another number of accounts; --keep keeps the database for inspection.
// Then the floor: one SQL statement reading every account's signals and writing one score row each.
// With --json the last line is {"recompute100kMs":…,"recomputeFloorMs":…,"recomputeVsFloor":…,"healthChangedPublished100kMs":…,"steadyRecompute100kMs":…}.
const { spawn } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { createWriteStream, existsSync, mkdirSync } = require('node:fs');
const path = require('node:path');
const { REPO, ensurePostgres, ensureKafka } = require('../scripts/infra');

const args = process.argv.slice(2);
const json = args.includes('--json');
const accountsArg = args.indexOf('--accounts');
const ACCOUNTS = accountsArg >= 0 ? Number(args[accountsArg + 1]) : 100_000;
const BROKER = { name: 'benchh', port: 29392 };
const PG_SERVER = process.env.CAIRN_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench_health';
const PORT = 29395; // 29393 is the broker's controller port
const WORKSPACE = 'bench-health';
const LOG_DIR = path.join(REPO, '.cache', 'bench', 'recompute');
const HEALTH_MAIN = path.join(REPO, 'services', 'health', 'dist', 'main.js');
const KEEP = args.includes('--keep');

const say = (msg) => process.stdout.write(`[bench:recompute] ${msg}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function database(action) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: `${PG_SERVER}/postgres` });
  await c.connect();
  try {
    await c.query(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
    if (action === 'fresh') await c.query(`CREATE DATABASE "${DATABASE}"`);
  } finally {
    await c.end();
  }
}

async function startHealth(env) {
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, 'health.log');
  const out = createWriteStream(logFile, { flags: 'w' });
  const child = spawn(process.execPath, [HEALTH_MAIN], {
    cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const url = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`)).status === 200) return { url, child, logFile };
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill('SIGKILL');
  throw new Error(`health did not become healthy (log: ${path.relative(REPO, logFile)})`);
}

function stop(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}

/**
 * Every account gets the signals the consumers would have stored, with values spread by simple
 * modular arithmetic so that scores cover the three bands.
 */
async function seed(db) {
  await db.query('SET search_path TO health');
  await db.query(`
    CREATE TEMP TABLE bench_account AS
    SELECT i, 'acc-' || lpad(i::text, 6, '0') AS account_id, 10 + i % 91 AS seats,
           now() - ((i * 7) % 86400) * interval '1 second' AS observed_at
    FROM generate_series(1, $1) AS i`, [ACCOUNTS]);
  const iso = (expr) => `to_jsonb(to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`;
  await db.query(`
    INSERT INTO account_signal (workspace_id, account_id, signal, value, event_id, event_type, observed_at, changed_at)
    SELECT $1, a.account_id, s.signal, s.value, gen_random_uuid()::text, s.event_type, a.observed_at, a.observed_at
    FROM bench_account a CROSS JOIN LATERAL (VALUES
      ('name', to_jsonb('Account ' || a.i), 'directory.account-upserted'),
      ('plan', to_jsonb((ARRAY['starter', 'pro', 'enterprise'])[1 + a.i % 3]), 'directory.account-upserted'),
      ('seats', to_jsonb(a.seats), 'directory.account-upserted'),
      ('csmOwner', to_jsonb('csm' || a.i % 25 || '@vendor.example'), 'directory.account-upserted'),
      ('lifecycleStage', to_jsonb('adopted'::text), 'directory.account-upserted'),
      ('activeUsers7d', to_jsonb((a.i * 7) % (a.seats + 1)), 'usage.summary'),
      ('activeUsers30d', to_jsonb((a.i * 13) % (a.seats + 1)), 'usage.summary'),
      ('featuresUsed30d', to_jsonb((a.i * 11) % 15), 'usage.summary'),
      ('lastActivityAt', ${iso(`now() - ((a.i * 17) % 40) * interval '1 day'`)}, 'usage.summary'),
      ('usageTrendPct', to_jsonb((a.i * 29) % 120 - 80), 'usage.summary'),
      ('championPresent', to_jsonb(a.i % 8 <> 0), 'directory.contact-upserted'),
      ('championNote', to_jsonb(CASE WHEN a.i % 8 = 0 THEN 'champion-' || a.i || ' (champion) left: status changed to left'
                                     ELSE 'champion-' || a.i || ' is champion' END), 'directory.contact-upserted'),
      ('nps', jsonb_build_object('score', a.i % 11, 'surveyId', 'nps-q1',
         'category', CASE WHEN a.i % 11 >= 9 THEN 'promoter' WHEN a.i % 11 >= 7 THEN 'passive' ELSE 'detractor' END), 'survey.response-recorded'),
      ('csat', jsonb_build_object('score', 1 + a.i % 5, 'surveyId', 'csat-q1',
         'category', CASE WHEN 1 + a.i % 5 >= 4 THEN 'satisfied' ELSE 'unsatisfied' END), 'survey.response-recorded'),
      ('ces', jsonb_build_object('score', 1 + a.i % 7, 'surveyId', 'ces-q1',
         'category', CASE WHEN 1 + a.i % 7 <= 3 THEN 'low_effort' ELSE 'high_effort' END), 'survey.response-recorded')
    ) AS s(signal, value, event_type)`, [WORKSPACE]);
  // One account in ten is inside a drop episode the detector opened.
  await db.query(`
    INSERT INTO account_signal (workspace_id, account_id, signal, value, event_id, event_type, observed_at, changed_at)
    SELECT $1, a.account_id, 'usageEpisode', jsonb_build_object('state', 'dropped', 'changePct', -60 - a.i % 40, 'thresholdPct', 50,
             'kind', 'drop', 'episodeId', 'ep-' || a.i, 'reason', 'Weekly usage fell ' || (60 + a.i % 40) || '% vs the 28-day baseline'),
           gen_random_uuid()::text, 'usage.dropped', a.observed_at + interval '1 second', a.observed_at + interval '1 second'
    FROM bench_account a WHERE a.i % 10 = 0`, [WORKSPACE]);
  await db.query(`
    INSERT INTO contact (workspace_id, account_id, contact_id, role, name, email, departed_at, departure_reason, event_id, observed_at)
    SELECT $1, a.account_id, 'champion-' || a.i, 'champion', 'champion-' || a.i, 'champion-' || a.i || '@customer.example',
           CASE WHEN a.i % 8 = 0 THEN a.observed_at END, CASE WHEN a.i % 8 = 0 THEN 'status changed to left' END,
           gen_random_uuid()::text, a.observed_at
    FROM bench_account a`, [WORKSPACE]);
  await db.query(`
    INSERT INTO contract (workspace_id, contract_id, account_id, end_date, event_id, observed_at)
    SELECT $1, 'ctr-' || a.i, a.account_id, (now() + ((a.i * 37) % 400 - 20) * interval '1 day')::date, gen_random_uuid()::text, a.observed_at
    FROM bench_account a`, [WORKSPACE]);
  await db.query('ANALYZE');
  const [{ n }] = (await db.query('SELECT count(*)::int AS n FROM account_signal')).rows;
  return n;
}

async function sqlFloor(db) {
  await db.query('DROP TABLE IF EXISTS public.bench_score_floor');
  await db.query('CREATE TABLE public.bench_score_floor (workspace_id text, account_id text, score int, signals int, computed_at timestamptz)');
  const t = Date.now();
  await db.query(`
    INSERT INTO public.bench_score_floor
    SELECT workspace_id, account_id,
           (sum(CASE WHEN jsonb_typeof(value) = 'number' THEN (value #>> '{}')::numeric ELSE length(value::text) END) % 101)::int,
           count(*)::int, now()
      FROM health.account_signal WHERE workspace_id = $1 GROUP BY workspace_id, account_id`, [WORKSPACE]);
  return Date.now() - t;
}

async function recompute(url, token) {
  const t = Date.now();
  const res = await fetch(`${url}/scorecards/recompute`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const ms = Date.now() - t;
  const body = await res.json();
  if (res.status !== 200) throw new Error(`POST /scorecards/recompute answered ${res.status}: ${JSON.stringify(body)}`);
  return { ms, report: body };
}

async function main() {
  const { Client } = require('pg');
  if (!existsSync(HEALTH_MAIN)) throw new Error(`${path.relative(REPO, HEALTH_MAIN)} is missing: build first (npx tsc -b tsconfig.build.json)`);
  await ensurePostgres();
  const broker = await ensureKafka({ name: BROKER.name, port: BROKER.port, fresh: true, log: (m) => say(m.replace(/^\[kafka\] /, 'kafka: ')) });
  let health;
  const db = new Client({ connectionString: `${PG_SERVER}/${DATABASE}` });
  try {
    await database('fresh');
    const secret = randomBytes(32).toString('hex');
    health = await startHealth({
      CAIRN_SERVICE: 'health', PORT: String(PORT), DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: broker.brokers.join(','),
      CAIRN_AUTH_SECRET: secret, LOG_LEVEL: 'warn', HEALTH_RECOMPUTE_INTERVAL_MINUTES: '0', KAFKAJS_NO_PARTITIONER_WARNING: '1',
    });
    const { issueApiToken } = require('../libs/auth/dist');
    const token = issueApiToken({ workspaceId: WORKSPACE, subject: 'bench' }, secret);

    await db.connect();
    let t = Date.now();
    const rows = await seed(db);
    say(`seeded ${ACCOUNTS.toLocaleString('en')} accounts (${rows.toLocaleString('en')} signal rows, a champion and a contract each) in ${seconds(Date.now() - t)}`);

    const first = await recompute(health.url, token);
    say(`full recompute, every account scored for the first time: ${seconds(first.ms)} ` +
      `(${first.report.accounts} accounts, ${first.report.scored} scored, ${first.report.changed} changed → as many history rows and health.changed events)`);
    const [counts] = (await db.query(`SELECT (SELECT count(*)::int FROM account_health) AS scores,
      (SELECT count(*)::int FROM health_history) AS history, (SELECT count(*)::int FROM outbox WHERE topic = 'cairn.health.changed.v1') AS events,
      (SELECT json_object_agg(band, n) FROM (SELECT band, count(*)::int AS n FROM account_health GROUP BY band) b) AS bands`)).rows;
    say(`stored: ${counts.scores} scores (${Object.entries(counts.bands ?? {}).map(([b, n]) => `${b} ${n}`).join(', ')}), ` +
      `${counts.history} history rows, ${counts.events} health.changed events in the outbox`);
    if (counts.scores !== ACCOUNTS || counts.events !== ACCOUNTS) throw new Error('the recompute did not score and publish every account');

    // The outbox relay publishes the 100k health.changed events while (and after) the recompute runs.
    t = Date.now();
    for (;;) {
      const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL`)).rows;
      if (n === 0) break;
      if (Date.now() - t > 300_000) throw new Error(`the outbox relay still has ${n} events to publish after 300 s`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainedMs = first.ms + (Date.now() - t);
    say(`every health.changed event on Kafka ${seconds(drainedMs)} after the recompute started`);

    const second = await recompute(health.url, token);
    say(`full recompute again, nothing changed: ${seconds(second.ms)} (${second.report.changed} changed)`);

    // The floor: one set-based pass over the same signals, one score row per account, no logic.
    const floorMs = await sqlFloor(db);
    say(`SQL floor (one pass reading every account's signals, writing one score row each): ${seconds(floorMs)}`
      + ` → the recompute is ${(first.ms / floorMs).toFixed(1)} × its floor (target ≤ 3 ×, and ≤ 15 s: ${first.ms <= 3 * floorMs && first.ms <= 15_000 ? 'met' : 'MISSED'})`);
    if (json) {
      process.stdout.write(`${JSON.stringify({ recompute100kMs: first.ms, recomputeFloorMs: floorMs, recomputeVsFloor: Math.round((first.ms / floorMs) * 100) / 100,
        healthChangedPublished100kMs: drainedMs, steadyRecompute100kMs: second.ms, accounts: ACCOUNTS })}\n`);
    }
  } finally {
    await db.end().catch(() => {});
    if (health) await stop(health.child);
    await broker.stop();
    // About 1 GB of seeded signals, scores and history: kept only on request.
    if (!KEEP) await database('drop').catch(() => {});
  }
}

main().catch((e) => {
  process.stderr.write(`[bench:recompute] failed: ${e.stack ?? e.message}\n`);
  process.exit(1);
});
