#!/usr/bin/env node
'use strict';
// `npm run bench:backtest [-- --json] [--accounts N] [--days D] [--seed S]`: does the health
// score predict churn, and how fast can Cairn say so?
//
//   1. starts its own broker ("benchbt", port 29896, controller 29897, fresh), database
//      (cairn_bench_backtest, recreated) and all five services from dist/ (run `npm run build`
//      first) on ports 3801–3805;
//   2. generates a workspace's history (bench/generator: default 2,000 accounts, 12 months, seed 14)
//      and replays it through the public APIs in event-time order, a day at a time: Segment calls
//      (POST /v1/batch on ingestion, real timestamps), contracts (PUT /contracts on renewals),
//      NPS answers (POST /surveys/:id/responses with respondedAt), renewal outcomes (POST
//      /contracts/:id/outcome with closedAt); waits until health has every outcome and the
//      last day's usage: the replay time;
//   3. the floor: one SQL pass reading every history row of the workspace into this process;
//   4. POST /backtests of the built-in scorecard over the year, horizons 30/60/90 days: the
//      backtest time (the job's own total) and its figures, and the ratio to the floor;
//   5. POST /scorecards/suggestions (fit on the earlier 70 % of the year, churn within 90 days),
//      then a side-by-side backtest of the fitted draft and the built-in scorecard on the held-out
//      days only: the AUCs of both at 30/60/90 days.
// Prints everything; with --json, the last line is one JSON object (backtestMs, defaultAuc30,
// suggestedAuc30, …). Targets: backtest ≤ 30,000 ms; default AUC ≥ 0.70; suggested ≥ 0.74.
const path = require('node:path');
const { existsSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const infra = require('../scripts/infra');
const { SERVICES, provisionAll, startServices, stopServices } = require('../scripts/platform');
const { generateWorkspace } = require('./generator/workspace');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : fallback; };
const JSON_OUT = args.includes('--json');
const ACCOUNTS = opt('accounts', 2000);
const DAYS = opt('days', 365);
const SEED = opt('seed', 14);
const BROKER = { name: 'benchbt', port: 29896 };
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = 'cairn_bench_backtest';
const PORT_OFFSET = 800;
const WORKSPACE = `bench-${randomBytes(3).toString('hex')}`;
const DAY = 86_400_000;

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.env.LOG_LEVEL ??= 'warn';
const say = (msg) => process.stdout.write(`${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const f = (x, d = 3) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));

function client(base, headers) {
  return async (method, url, body) => {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
        const text = await r.text();
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        if (r.status >= 500 && attempt < 3) { await sleep(200 * (attempt + 1)); continue; }
        return { status: r.status, json, text };
      } catch (e) {
        if (attempt >= 3) throw e;
        await sleep(200 * (attempt + 1));
      }
    }
  };
}

async function pool(items, concurrency, fn) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

const expect = (r, status, what) => { if (r.status !== status) throw new Error(`${what} → ${r.status} ${r.text.slice(0, 400)}`); return r; };

async function replay(world, api) {
  const { segment, renewals, surveys, surveyId } = api;
  const byDay = new Map();
  for (const op of world.operations) {
    const d = Math.floor(op.at / DAY);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push(op);
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  let sent = 0;
  const started = Date.now();
  for (const d of days) {
    const ops = byDay.get(d);
    // Contracts first (an outcome or a renewal of the day needs its contract), then the day's calls, then answers and outcomes.
    await pool(ops.filter((o) => o.kind === 'contract'), 8, async (o) => expect(await renewals('PUT', '/contracts', o.contract), 200, `PUT /contracts ${o.contract.id}`));
    const calls = ops.filter((o) => o.kind === 'segment').map((o) => o.call);
    for (let k = 0; k < calls.length; k += 500) {
      const r = expect(await segment('POST', '/v1/batch', { batch: calls.slice(k, k + 500), sentAt: new Date().toISOString() }), 200, 'POST /v1/batch');
      if ((r.json?.rejected ?? []).length) throw new Error(`rejected calls: ${JSON.stringify(r.json.rejected.slice(0, 3))}`);
    }
    sent += calls.length;
    await pool(ops.filter((o) => o.kind === 'nps'), 8, async (o) => expect(await surveys('POST', `/surveys/${surveyId}/responses`, o.answer), 201, 'POST response'));
    await pool(ops.filter((o) => o.kind === 'outcome'), 8, async (o) => {
      const r = await renewals('POST', `/contracts/${o.contractId}/outcome`, o.outcome);
      if (r.status !== 201 && r.status !== 200) throw new Error(`POST /contracts/${o.contractId}/outcome → ${r.status} ${r.text.slice(0, 300)}`);
    });
    if (d % 30 === 0) say(`  replayed up to ${isoDay(d * DAY)}: ${sent} Segment calls, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { sendMs: Date.now() - started, calls: sent };
}

async function main() {
  for (const s of SERVICES) {
    if (!existsSync(path.join(infra.REPO, 'services', s.name, 'dist', 'main.js'))) throw new Error(`services/${s.name}/dist is missing: run npm run build first`);
  }
  const { issueApiToken } = require('../libs/auth/dist');
  const pg = require('pg');
  const t0 = Date.now();
  const world = generateWorkspace({ seed: SEED, accounts: ACCOUNTS, days: DAYS });
  const outcomes = world.operations.filter((o) => o.kind === 'outcome').length;
  say(`generated ${ACCOUNTS} accounts over ${DAYS} days (seed ${SEED}) in ${((Date.now() - t0) / 1000).toFixed(1)} s: `
    + `${world.stats.calls} Segment activity calls, ${world.stats.contracts} contracts, ${world.stats.npsAnswers} NPS answers, `
    + `${world.stats.churned} churned (${world.stats.midContractChurn} mid-contract), ${world.stats.renewed} renewed, ${world.stats.championDepartures} champion departures`);

  await infra.ensurePostgres();
  await infra.dropDatabasesLike(PG_SERVER, DATABASE);
  await infra.ensureDatabase(PG_SERVER, DATABASE);
  const broker = await infra.ensureKafka({ port: BROKER.port, name: BROKER.name, fresh: !args.includes('--keep-broker'), log: (m) => say(m.replace(/^\[kafka\] /, 'kafka: ')) });
  const brokers = broker.brokers.join(',');
  await provisionAll({ brokers, partitions: 6 });
  const secret = randomBytes(32).toString('base64url');
  const env = {
    DATABASE_URL: `${PG_SERVER}/${DATABASE}`, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_TOPIC_NAMESPACE: '', KAFKA_TOPIC_PARTITIONS: '6',
    // Replayed history is in the past: the wall-clock scans would only add noise.
    INGESTION_SCAN_INTERVAL_MS: '0', HEALTH_RECOMPUTE_INTERVAL_MINUTES: '0',
  };
  const logDir = path.join(infra.REPO, '.cache', 'bench', 'backtest');
  say(`starting the platform (ports ${3001 + PORT_OFFSET}–${3005 + PORT_OFFSET}; logs in ${path.relative(infra.REPO, logDir)})…`);
  const running = await startServices({ env, logDir, portOffset: PORT_OFFSET, quiet: true });
  const url = Object.fromEntries(running.map((r) => [r.name, r.url]));
  const db = new pg.Client({ connectionString: `${PG_SERVER}/${DATABASE}` });
  await db.connect();
  let figures;
  try {
    const token = issueApiToken({ workspaceId: WORKSPACE, subject: 'bench' }, secret);
    const auth = { authorization: `Bearer ${token}` };
    const ingestion = client(url.ingestion, auth);
    const health = client(url.health, auth);
    const renewals = client(url.renewals, auth);
    const surveys = client(url.surveys, auth);
    const key = expect(await ingestion('POST', '/write-keys', { name: 'bench' }), 201, 'POST /write-keys');
    const segment = client(url.ingestion, { authorization: `Basic ${Buffer.from(`${key.json.writeKey}:`).toString('base64')}` });
    const survey = expect(await surveys('POST', '/surveys', { name: 'Quarterly NPS', kind: 'nps' }), 201, 'POST /surveys');

    say('replaying the history through the public APIs, in event-time order…');
    const tReplay = Date.now();
    const sent = await replay(world, { segment, renewals, surveys, surveyId: survey.json.id });
    say(`sent in ${(sent.sendMs / 1000).toFixed(1)} s; waiting for health to hold every outcome and the last day's usage…`);
    const lastDay = isoDay(world.end - 2 * DAY);
    let stableSince = Date.now(), last = -1;
    for (;;) {
      const { rows: [r] } = await db.query(`
        SELECT count(*) FILTER (WHERE kind = 'outcome')::int AS outcomes, count(*)::int AS facts, max(day) FILTER (WHERE kind = 'usage')::text AS usage_day
          FROM health.signal_fact WHERE workspace_id = $1`, [WORKSPACE]);
      if (r.facts !== last) { last = r.facts; stableSince = Date.now(); }
      if (r.outcomes >= outcomes && r.usage_day >= lastDay && Date.now() - stableSince > 5000) break;
      if (Date.now() - stableSince > 120_000) throw new Error(`health stopped moving: ${JSON.stringify(r)} (expected ${outcomes} outcomes, usage up to ${lastDay})`);
      await sleep(1000);
    }
    const replayMs = Date.now() - tReplay - 5000;
    const { rows: [{ n: facts }] } = await db.query(`SELECT count(*)::int AS n FROM health.signal_fact WHERE workspace_id = $1`, [WORKSPACE]);
    say(`replay: ${(replayMs / 1000).toFixed(1)} s for ${sent.calls} Segment calls and the rest; health holds ${facts} history rows`);

    // Floor: one pass reading every history row of the workspace (what the backtest reads), nothing computed.
    const tFloor = Date.now();
    const floorRows = await db.query(`SELECT account_id, kind, subject, at, event_id, value FROM health.signal_fact WHERE workspace_id = $1`, [WORKSPACE]);
    const floorMs = Date.now() - tFloor;
    say(`floor: one SQL pass reading ${floorRows.rowCount} history rows into Node: ${floorMs} ms`);

    const period = { from: isoDay(world.start), to: isoDay(world.end - 31 * DAY) };
    const runBacktest = async (body) => {
      const t = Date.now();
      const r = expect(await health('POST', '/backtests', body), 202, 'POST /backtests');
      for (;;) {
        const g = (await health('GET', `/backtests/${r.json.id}`)).json;
        if (g?.status === 'succeeded') return { ...g, wallMs: Date.now() - t };
        if (g?.status === 'failed') throw new Error(`backtest failed: ${g.error}`);
        await sleep(250);
      }
    };
    const main = await runBacktest({ scorecard: { id: 'default' }, period, horizons: [30, 60, 90], stepDays: 7 });
    const backtestMs = main.result.timings.totalMs;
    const def = main.result.scorecards[0];
    say(`\nbacktest of the built-in scorecard, ${main.result.accounts} accounts, ${main.result.asOfDays} weekly as-of days (${period.from} → ${period.to}), horizons 30/60/90:`);
    say(`  ${backtestMs} ms in the job (read ${main.result.timings.loadMs} ms, sweep ${main.result.timings.sweepMs} ms, metrics ${main.result.timings.metricsMs} ms; ${main.wallMs} ms POST → result) — ${(backtestMs / Math.max(1, floorMs)).toFixed(1)} × the floor (target ≤ 30000 ms)`);
    for (const h of def.horizons) {
      say(`  ${h.horizonDays} d: ROC AUC ${f(h.rocAuc)} [${f(h.rocAucCi?.low)}–${f(h.rocAucCi?.high)}], PR AUC ${f(h.prAuc)} (base rate ${f(h.baseRate)}), top-decile lift ${f(h.topDecileLift, 2)}, `
        + `red precision ${f(h.red.precision)} recall ${f(h.red.recall)}; ${h.pairs} account-days, ${h.churners} churners; green churners ${h.greenChurners.count}`);
      say(`        churn rate per band: ${h.bands.map((b) => `${b.band} ${f(b.churnRate)} (${b.churned}/${b.pairs})`).join(', ')}`);
    }

    const tSuggest = Date.now();
    // The fit learns churn within 90 days: its period ends where 90-day labels end, so its held-out part is all labelled.
    const fitPeriod = { from: period.from, to: isoDay(world.end - 91 * DAY) };
    const suggestion = expect(await health('POST', '/scorecards/suggestions', { period: fitPeriod, horizonDays: 90, stepDays: 7 }), 201, 'POST /scorecards/suggestions');
    const suggestMs = Date.now() - tSuggest;
    const s = suggestion.json;
    say(`\nsuggestion (${suggestMs} ms): draft ${s.draft.id} v${s.draft.version} (not active), weights ${s.draft.measures.map((m) => `${m.measure} ${m.weight}`).join(', ')}; `
      + `bands yellow from ${s.draft.bands.yellowFrom}, green from ${s.draft.bands.greenFrom}`);
    say(`  held-out ${s.heldOut.from} → ${s.heldOut.to} (churn within 90 d): draft AUC ${f(s.heldOut.draftAuc)} vs built-in ${f(s.heldOut.baselineAuc)}`);
    const cmp = await runBacktest({ scorecard: { id: s.draft.id, version: s.draft.version }, compareWith: { id: 'default' }, period: { from: s.heldOut.from, to: period.to }, horizons: [30, 60, 90], stepDays: 7 });
    const [sug, defHeld] = cmp.result.scorecards;
    say(`side by side on the held-out days (${s.heldOut.from} → ${period.to}):`);
    for (let i = 0; i < sug.horizons.length; i++) {
      const a = sug.horizons[i], b = defHeld.horizons[i];
      say(`  ${a.horizonDays} d: suggested ${f(a.rocAuc)} [${f(a.rocAucCi?.low)}–${f(a.rocAucCi?.high)}] vs built-in ${f(b.rocAuc)}; `
        + `suggested churn per band ${a.bands.map((x) => `${x.band} ${f(x.churnRate)}`).join(', ')}`);
    }
    const auc = (r, d) => r.horizons.find((h) => h.horizonDays === d)?.rocAuc ?? null;
    figures = {
      accounts: ACCOUNTS, days: DAYS, seed: SEED, segmentCalls: sent.calls, historyRows: facts, replayMs,
      backtestMs, backtestWallMs: main.wallMs, floorMs, backtestToFloor: Number((backtestMs / Math.max(1, floorMs)).toFixed(2)),
      asOfDays: main.result.asOfDays, churners: main.result.churners,
      defaultAuc30: auc(def, 30), defaultAuc60: auc(def, 60), defaultAuc90: auc(def, 90),
      defaultPrAuc30: def.horizons[0].prAuc,
      suggestedAuc30: auc(sug, 30), suggestedAuc60: auc(sug, 60), suggestedAuc90: auc(sug, 90),
      defaultHeldOutAuc30: auc(defHeld, 30), defaultHeldOutAuc60: auc(defHeld, 60), defaultHeldOutAuc90: auc(defHeld, 90),
      suggestMs,
      bandChurnRate30: Object.fromEntries(def.horizons[0].bands.map((b) => [b.band, b.churnRate])),
      bandChurnRate90: Object.fromEntries(def.horizons[2].bands.map((b) => [b.band, b.churnRate])),
    };
    say(`\nbacktest ${backtestMs} ms (target ≤ 30000: ${backtestMs <= 30000 ? 'met' : 'MISSED'}), floor ${floorMs} ms, ratio ${figures.backtestToFloor}; `
      + `default AUC 30 d ${f(figures.defaultAuc30)} (target ≥ 0.70: ${figures.defaultAuc30 >= 0.7 ? 'met' : 'MISSED'}); `
      + `suggested AUC 30 d ${f(figures.suggestedAuc30)} on held-out days (target ≥ 0.74: ${figures.suggestedAuc30 >= 0.74 ? 'met' : 'MISSED'}); replay ${(replayMs / 1000).toFixed(0)} s`);
  } finally {
    await db.end().catch(() => undefined);
    await stopServices(running);
    if (broker.started) await broker.stop();
  }
  if (JSON_OUT) process.stdout.write(`${JSON.stringify(figures)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
