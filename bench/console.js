#!/usr/bin/env node
'use strict';
// `npm run bench:console [-- --json]`: the CSM console under a 100,000-account workspace.
//
//   1. starts its own broker (name "benchc", port 29494, fresh), database (cairn_bench_console,
//      recreated) and all six services from their dist/ (run `npm run build` first) on ports
//      3401–3406 (portOffset 400), and loads the demo workspace through the public APIs;
//   2. writes 100,000 more accounts into the console's read model (portfolio_account) with one
//      SQL statement — the benchmark measures the read side; how rows arrive (Kafka → consumer)
//      is what the risk benchmark measures — and ANALYZEs it;
//   3. measures, signed in as the demo admin over HTTP, the portfolio's first page and sorted /
//      filtered pages (client time and the server's own Server-Timing), against the floor: the
//      same SQL run straight on PostgreSQL; the account 360 (Globex), against its floor: the same
//      service calls made directly, in parallel; the initial JavaScript (gzip) of the web app;
//      and, in a real Chromium with the alerts inbox open, the time from a Segment `identify`
//      (champion left) answered 200 to its alert rendered on the page, against its floor: the
//      alert-raised event's Kafka timestamp.
// Options: --accounts N (100000), --requests N (200 per query), --alerts N (20), --json,
// --keep-broker, --broker-port P, --port-offset O, --database NAME.
const path = require('node:path');
const zlib = require('node:zlib');
const { existsSync, readFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const infra = require('../scripts/infra');
const { SERVICES, provisionAll, startServices, stopServices } = require('../scripts/platform');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };
const JSON_OUT = args.includes('--json');
const ACCOUNTS = Number(opt('accounts', 100_000));
const REQUESTS = Number(opt('requests', 200));
const ALERTS = Number(opt('alerts', 20));
const BROKER = { name: 'benchc', port: Number(opt('broker-port', 29494)) };
const PORT_OFFSET = Number(opt('port-offset', 400));
const PG_SERVER = 'postgres://postgres@127.0.0.1:5432';
const DATABASE = opt('database', 'cairn_bench_console');
const PASSWORD = `bench-${randomBytes(9).toString('base64url')}`;
const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';

process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
process.env.LOG_LEVEL ??= 'warn';
const say = (msg) => process.stdout.write(`${msg}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
const stats = (values) => { const s = [...values].sort((a, b) => a - b); return { n: s.length, p50: r1(pct(s, 50)), p99: r1(pct(s, 99)), max: r1(s[s.length - 1]) }; };
const r1 = (n) => Math.round(n * 10) / 10;
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** The portfolio queries a CSM makes: the first page, sorted and filtered ones, a deep page. */
const QUERIES = [
  { name: 'first page (worst score first)', params: {} },
  { name: 'sorted by ARR, descending', params: { sort: 'arr', dir: 'desc' } },
  { name: 'red band, by renewal date', params: { band: 'red', sort: 'renewalDate' } },
  { name: 'one owner, by score', params: { owner: 'csm-7@bench.example' } },
  { name: 'open alerts, ARR ≥ 50k, by ARR', params: { openAlerts: 'true', arrMin: '50000', sort: 'arr', dir: 'desc' } },
  { name: 'plan + score ≤ 40, by name', params: { plan: 'growth', scoreMax: '40', sort: 'name' } },
  { name: 'renewing by a date, page 20', params: { renewalBefore: '2027-06-30', sort: 'renewalDate', page: '20' } },
];

async function seed(pg, workspaceId, n) {
  await pg.query(`
    INSERT INTO console.portfolio_account (workspace_id, account_id, name, plan, arr, owner, score, band, previous_score, score_change, scored_at,
                                           renewal_date, renewal_arr, open_tasks, open_alerts, last_nps)
    SELECT $1, 'acct-' || i, 'Account ' || lpad(i::text, 6, '0'),
           (ARRAY['starter','growth','enterprise'])[1 + i % 3], 1000 + (i * 7919) % 250000, 'csm-' || (i % 40) || '@bench.example',
           s, CASE WHEN s < 40 THEN 'red' WHEN s < 70 THEN 'yellow' ELSE 'green' END, s + 3, -3, now() - (i % 1000) * interval '1 minute',
           current_date + (i % 400), 1000 + (i * 7919) % 250000, i % 4, CASE WHEN i % 9 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 5 = 0 THEN i % 11 END
      FROM (SELECT i, (i * 37) % 100 AS s FROM generate_series(1, $2::int) AS i) g
    ON CONFLICT DO NOTHING`, [workspaceId, n]);
  // A table in steady state has been vacuumed (index-only scans need the visibility map).
  await pg.query('VACUUM ANALYZE console.portfolio_account');
}

async function main() {
  for (const s of SERVICES) {
    if (!existsSync(path.join(infra.REPO, 'services', s.name, 'dist', 'main.js'))) throw new Error(`services/${s.name}/dist is missing: run npm run build first`);
  }
  const webDist = path.join(infra.REPO, 'services', 'console', 'web', 'dist');
  if (!existsSync(path.join(webDist, 'index.html'))) throw new Error('the web app is not built: run npm run build first');
  const { issueApiToken } = require('../libs/auth/dist');
  const { portfolioPageSql, portfolioCountSql, parsePortfolioQuery } = require('../services/console/dist/domain/portfolio-query');
  const t0 = Date.now();
  await infra.ensurePostgres();
  await infra.dropDatabasesLike(PG_SERVER, DATABASE);
  await infra.ensureDatabase(PG_SERVER, DATABASE);
  const broker = await infra.ensureKafka({ port: BROKER.port, name: BROKER.name, fresh: !args.includes('--keep-broker'), log: (m) => say(m.replace(/^\[kafka\] /, 'kafka: ')) });
  const brokers = broker.brokers.join(',');
  await provisionAll({ brokers, partitions: 3 });
  const secret = randomBytes(32).toString('base64url');
  const databaseUrl = `${PG_SERVER}/${DATABASE}`;
  const env = {
    DATABASE_URL: databaseUrl, KAFKA_BROKERS: brokers, CAIRN_AUTH_SECRET: secret, LOG_LEVEL: 'warn',
    KAFKAJS_NO_PARTITIONER_WARNING: '1', KAFKA_TOPIC_PARTITIONS: '3', PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
  };
  const logDir = path.join(infra.REPO, '.cache', 'bench', 'console');
  say(`starting the platform (ports ${3001 + PORT_OFFSET}–${3006 + PORT_OFFSET}; logs in ${path.relative(infra.REPO, logDir)})…`);
  const running = await startServices({ env, logDir, portOffset: PORT_OFFSET, quiet: true });
  for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => { void stopServices(running).then(() => process.exit(130)); });
  const url = Object.fromEntries(running.map((r) => [r.name, r.url]));
  const pg = new (require('pg').Client)({ connectionString: databaseUrl });
  await pg.connect();
  let browser;
  let tap;
  const out = {};
  try {
    const demo = await require('../scripts/demo').loadDemo({ secret, services: url, databaseUrl, demoPassword: PASSWORD });
    say(`platform up and demo loaded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const t1 = Date.now();
    await seed(pg, demo.workspaceId, ACCOUNTS);
    const [{ n }] = (await pg.query(`SELECT count(*)::int AS n FROM console.portfolio_account WHERE workspace_id = $1`, [demo.workspaceId])).rows;
    say(`read model holds ${n.toLocaleString()} accounts (seeded in ${((Date.now() - t1) / 1000).toFixed(1)} s)`);

    // Sign in as the demo admin.
    const signIn = await fetch(`${url.console}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace: demo.workspaceId, email: 'admin@cairn-demo.example', password: PASSWORD }) });
    if (signIn.status !== 200) throw new Error(`sign-in → ${signIn.status}`);
    const cookie = signIn.headers.get('set-cookie').split(';')[0];
    const get = async (p) => {
      const t = process.hrtime.bigint();
      const r = await fetch(`${url.console}${p}`, { headers: { cookie } });
      const body = await r.text();
      if (r.status !== 200) throw new Error(`GET ${p} → ${r.status}: ${body.slice(0, 200)}`);
      const timing = /(?:db|total);dur=([\d.]+)/.exec(r.headers.get('server-timing') ?? '');
      return { ms: ms(t), server: timing ? Number(timing[1]) : NaN, body };
    };

    // Portfolio pages: HTTP (client and server time) vs the same SQL straight on PostgreSQL.
    say(`\nportfolio (${REQUESTS} requests per query, ${n.toLocaleString()} accounts)`);
    say(`  ${'query'.padEnd(34)} ${'client p50/p99'.padStart(16)} ${'server p50/p99'.padStart(16)} ${'SQL floor p50/p99'.padStart(18)}  ratio p99`);
    const allClient = []; const allServer = []; const allFloor = [];
    out.portfolio = [];
    for (const q of QUERIES) {
      const qs = new URLSearchParams(q.params).toString();
      await get(`/api/portfolio?${qs}`); // warm
      const client = []; const server = []; const floor = [];
      for (let i = 0; i < REQUESTS; i++) { const r = await get(`/api/portfolio?${qs}`); client.push(r.ms); server.push(r.server); }
      const parsed = parsePortfolioQuery(q.params, 'admin@cairn-demo.example');
      const page = portfolioPageSql(demo.workspaceId, parsed);
      const count = portfolioCountSql(demo.workspaceId, parsed);
      await pg.query('SET search_path = console');
      for (let i = 0; i < REQUESTS; i++) {
        const t = process.hrtime.bigint();
        await Promise.all([pg.query(page.sql, page.params), pg.query(count.sql, count.params)].map((p) => p));
        floor.push(ms(t));
      }
      const c = stats(client); const s = stats(server); const f = stats(floor);
      allClient.push(...client); allServer.push(...server); allFloor.push(...floor);
      out.portfolio.push({ query: q.name, client: c, server: s, floor: f });
      say(`  ${q.name.padEnd(34)} ${`${c.p50} / ${c.p99} ms`.padStart(16)} ${`${s.p50} / ${s.p99} ms`.padStart(16)} ${`${f.p50} / ${f.p99} ms`.padStart(18)}  ${(c.p99 / f.p99).toFixed(2)}×`);
    }
    const pc = stats(allClient); const ps = stats(allServer); const pf = stats(allFloor);
    say(`  ${'all queries'.padEnd(34)} ${`${pc.p50} / ${pc.p99} ms`.padStart(16)} ${`${ps.p50} / ${ps.p99} ms`.padStart(16)} ${`${pf.p50} / ${pf.p99} ms`.padStart(18)}  ${(pc.p99 / pf.p99).toFixed(2)}×   (target p99 ≤ 150 ms server)`);

    // Account 360 vs its floor: the same service calls, direct and in parallel.
    const token = issueApiToken({ workspaceId: demo.workspaceId, subject: 'bench' }, secret);
    const since = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10);
    const direct = [
      `${url.ingestion}/accounts/globex`, `${url.health}/accounts/globex/health`, `${url.health}/accounts/globex/health/history?limit=200`,
      `${url.ingestion}/accounts/globex/usage?from=${since}`, `${url.playbooks}/tasks?accountId=globex&limit=200`,
      `${url.playbooks}/alerts?accountId=globex&limit=200`, `${url.renewals}/contracts?accountId=globex`,
    ];
    await get('/api/accounts/globex/overview');
    const a360 = []; const a360server = []; const a360floor = [];
    for (let i = 0; i < Math.max(50, REQUESTS / 2); i++) { const r = await get('/api/accounts/globex/overview'); a360.push(r.ms); a360server.push(r.server); }
    for (let i = 0; i < Math.max(50, REQUESTS / 2); i++) {
      const t = process.hrtime.bigint();
      await Promise.all(direct.map((u) => fetch(u, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.text())));
      a360floor.push(ms(t));
    }
    const ac = stats(a360); const as = stats(a360server); const af = stats(a360floor);
    out.account360 = { client: ac, server: as, floor: af };
    say(`\naccount 360 (Globex): client p50 ${ac.p50} / p99 ${ac.p99} ms, server p99 ${as.p99} ms; floor (the 7 service calls direct, in parallel) p50 ${af.p50} / p99 ${af.p99} ms; ratio p99 ${(ac.p99 / af.p99).toFixed(2)}×   (target p99 ≤ 300 ms)`);

    // Initial JavaScript: the entry script and what index.html preloads, gzipped.
    const html = readFileSync(path.join(webDist, 'index.html'), 'utf8');
    const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
    const gz = files.reduce((sum, f) => sum + zlib.gzipSync(readFileSync(path.join(webDist, f)), { level: 9 }).length, 0);
    const raw = files.reduce((sum, f) => sum + readFileSync(path.join(webDist, f)).length, 0);
    out.initialJs = { files, rawKb: r1(raw / 1024), gzipKb: r1(gz / 1024) };
    say(`\ninitial JavaScript: ${files.length} file(s), ${r1(raw / 1024)} KB, ${r1(gz / 1024)} KB gzipped   (target ≤ 250 KB)`);

    // Segment call → alert on an open page.
    say(`\nSegment identify (champion left) → alert rendered in an open alerts inbox, ${ALERTS} accounts…`);
    const key = await (await fetch(`${url.ingestion}/write-keys`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"name":"bench-console"}' })).json();
    const segment = (p, body) => fetch(`${url.ingestion}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key.writeKey}:`).toString('base64')}` }, body: JSON.stringify(body) });
    const ids = Array.from({ length: ALERTS }, (_, i) => `live-${i}`);
    for (const id of ids) {
      await segment('/v1/group', { userId: `${id}-champ`, groupId: id, traits: { name: `Live ${id}`, csmOwner: 'admin@cairn-demo.example' } });
      await segment('/v1/identify', { userId: `${id}-champ`, context: { groupId: id }, traits: { email: `champ@${id}.example`, role: 'champion' } });
    }
    const { createKafka } = require('../libs/messaging/dist');
    const kafka = createKafka({ brokers: brokers.split(','), clientId: 'bench-console' });
    const raisedAt = new Map();
    tap = kafka.consumer({ groupId: `bench-console-${randomBytes(3).toString('hex')}`, maxWaitTimeInMs: 50 });
    await tap.connect();
    await tap.subscribe({ topics: ['cairn.playbook.alert-raised.v1'], fromBeginning: false });
    await tap.run({ eachMessage: async ({ message }) => { const a = message.key?.toString().split(':').slice(1).join(':'); if (a && !raisedAt.has(a)) raisedAt.set(a, Number(message.timestamp)); } });
    // Wait until health has scored every champion (a departure before that is not yet a risk).
    const healthToken = { authorization: `Bearer ${token}` };
    for (const id of ids) {
      const until = Date.now() + 60_000;
      while ((await fetch(`${url.health}/accounts/${id}/health`, { headers: healthToken })).status !== 200 && Date.now() < until) await sleep(200);
    }
    await sleep(3000);
    const { chromium } = require('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    const context = await browser.newContext({ baseURL: url.console });
    await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=').slice(1).join('='), url: url.console }]);
    const page = await context.newPage();
    await page.goto('/alerts');
    await page.locator('.live.on').waitFor({ timeout: 30_000 });
    const toScreen = []; const floor = []; const missing = [];
    for (const id of ids) {
      const t = Date.now();
      const r = await segment('/v1/identify', { userId: `${id}-champ`, context: { groupId: id }, traits: { email: `champ@${id}.example`, status: 'left' } });
      if (r.status !== 200) throw new Error(`identify → ${r.status}`);
      const answered = Date.now();
      try {
        await page.locator('[data-alert]', { hasText: id }).first().waitFor({ timeout: 30_000 });
        toScreen.push(Date.now() - answered);
        const until = Date.now() + 5000;
        while (!raisedAt.has(id) && Date.now() < until) await sleep(20);
        if (raisedAt.has(id)) floor.push(raisedAt.get(id) - answered);
      } catch { missing.push(id); }
      void t;
      await sleep(300);
    }
    const ts = stats(toScreen); const tf = floor.length ? stats(floor) : { p50: NaN, p99: NaN };
    out.alertToScreen = { ...ts, floor: tf, missing };
    say(`  on screen: p50 ${ts.p50} / p99 ${ts.p99} ms (n=${ts.n}${missing.length ? `, ${missing.length} never appeared` : ''}); floor (alert-raised on Kafka): p50 ${tf.p50} / p99 ${tf.p99} ms; ratio p99 ${(ts.p99 / tf.p99).toFixed(2)}×   (target ≤ 2 s)`);

    if (JSON_OUT) {
      process.stdout.write(`${JSON.stringify({
        accounts: n, portfolioP50Ms: pc.p50, portfolioP99Ms: pc.p99, portfolioServerP99Ms: ps.p99, portfolioFloorP99Ms: pf.p99,
        account360P50Ms: ac.p50, account360P99Ms: ac.p99, account360FloorP99Ms: af.p99,
        initialJsGzipKb: out.initialJs.gzipKb, alertToScreenP50Ms: ts.p50, alertToScreenP99Ms: ts.p99, alertToScreenFloorP99Ms: tf.p99,
        portfolio: out.portfolio,
      })}\n`);
    }
  } finally {
    await tap?.disconnect().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await pg.end();
    await stopServices(running);
    if (broker.started && !args.includes('--keep-broker')) await broker.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`bench:console failed: ${e.stack ?? e}\n`);
  process.exit(1);
});
