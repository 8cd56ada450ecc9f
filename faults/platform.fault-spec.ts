import { randomBytes, randomUUID } from 'node:crypto';
import { spawn, execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { issueApiToken } from '@cairn/auth';
import { ALL_TOPICS } from '@cairn/contracts';
import { AssignerProtocol } from 'kafkajs';
import { DLQ_HEADERS } from '@cairn/messaging';
import { REPO_ROOT, TcpProxy, TestProducer, testKafka, TopicWatcher, waitFor } from '@cairn/testing';
import { call, Ledger, untilAccepted } from './load';
import { deepJson, fillPath, HOSTILE_PATH, HOSTILE_QUERY, HOSTILE_SCALARS, routesOf, sample } from './fuzz';

/* eslint-disable @typescript-eslint/no-require-imports */
const platform = require(join(REPO_ROOT, 'scripts', 'platform.js'));
const kafkaBroker = require(join(REPO_ROOT, 'infra', 'kafka', 'broker.js'));

/**
 * The fault suite: the real platform as processes, its own broker, a steady mixed load, and in
 * turn every fault the issue names. One table of figures at the end; fails on any lost,
 * duplicated, leaked or 5xx (a 503 with Retry-After is a refusal, not a 5xx).
 */
const KAFKA_PORT = Number(process.env.CAIRN_FAULTS_KAFKA_PORT ?? 30492);
const PORT_OFFSET = Number(process.env.CAIRN_FAULTS_PORT_OFFSET ?? 500); // services on 3501-3505
const PG = process.env.CAIRN_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const PREFIX = process.env.CAIRN_FAULTS_DB_PREFIX ?? 'cairn_faults_t_';
const run = randomBytes(3).toString('hex');
const mark = `flt${run}`;
const WS_A = `${mark}-a`;
const WS_B = `flt${randomBytes(3).toString('hex')}-b`;
const WS_F = `flt${randomBytes(3).toString('hex')}-fuzz`;
const WS_P = `flt${randomBytes(3).toString('hex')}-poison`;
const SECRET = randomBytes(32).toString('base64url');
const SMTP_PASSWORD = `smtp-${randomBytes(12).toString('hex')}`;
const LOG_DIR = join(REPO_ROOT, '.cache', 'faults', run);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const out = (s: string) => process.stdout.write(`[faults] ${s}\n`);

const tokens = { A: issueApiToken({ workspaceId: WS_A, subject: 'faults' }, SECRET), B: issueApiToken({ workspaceId: WS_B, subject: 'faults' }, SECRET), F: issueApiToken({ workspaceId: WS_F, subject: 'faults' }, SECRET) };
const writeKeys: Record<string, string> = {};
const ledger = new Ledger();
const figures: Array<[string, string]> = [];
const failures: string[] = [];

let broker: { pid: number; stop: () => Promise<void> };
let proxy: TcpProxy;
let dbName: string;
let db: Client;
let running: any[] = [];
let env: Record<string, string>;
const url = (s: string) => `http://127.0.0.1:${platform.SERVICES.find((x: any) => x.name === s).port + PORT_OFFSET}`;
const bearer = (t: string) => ({ authorization: `Bearer ${t}`, 'content-type': 'application/json' });
const basic = (k: string) => ({ authorization: `Basic ${Buffer.from(`${k}:`).toString('base64')}`, 'content-type': 'application/json' });

async function startBroker(fresh = false) {
  // Fresh at the start: a previous run's dead letters must not count in this one.
  broker = await kafkaBroker.ensureBroker({ port: KAFKA_PORT, controllerPort: KAFKA_PORT + 1, name: 'faults', log: out, fresh });
}

async function startAll(only?: string[]) {
  const started: any[] = [];
  await platform.startServices({ env, logDir: LOG_DIR, portOffset: PORT_OFFSET, quiet: true, running: started, only });
  running = [...running.filter((r) => !started.some((s) => s.name === r.name)), ...started];
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

async function healthStatus(s: string): Promise<number> {
  try { return (await fetch(`${url(s)}/health`, { signal: AbortSignal.timeout(3000) })).status; } catch { return -1; }
}

async function allHealthy(timeoutMs = 120_000) {
  const t = Date.now();
  await waitFor('every service healthy', async () => (await Promise.all(running.map((r) => healthStatus(r.name)))).every((c) => c === 200), { timeoutMs, intervalMs: 300 });
  return Date.now() - t;
}

/* ---------------------------------------------------------------- load */
const departures: string[] = [];
const contracts: string[] = [];
const answers: string[] = [];
let tracks = 0;
let surveyId: string;
let loading = true;
const inflight = new Set<Promise<unknown>>();
const USAGE_ACCOUNT = `${mark}-usage`;

function spawnOp(p: Promise<unknown>) {
  inflight.add(p);
  void p.finally(() => inflight.delete(p));
}

async function departure(n: number) {
  const account = `${mark}-acct-${n}`;
  const champ = `${mark}-champ-${n}`;
  const seg = (path: string, body: object) => () => call(ledger, 'segment', 'POST', `${url('ingestion')}/v1/${path}`, { headers: basic(writeKeys.A), body: JSON.stringify(body) });
  if (!await untilAccepted(ledger, 'segment', seg('group', { messageId: `${account}-g`, userId: champ, groupId: account, traits: { name: account, csmOwner: 'csm@faults.example' } }))) return;
  if (!await untilAccepted(ledger, 'segment', seg('identify', { messageId: `${account}-i`, userId: champ, context: { groupId: account }, traits: { email: `${champ}@x.example`, role: 'champion' } }))) return;
  await sleep(1500);
  if (await untilAccepted(ledger, 'departure', seg('identify', { messageId: `${account}-left`, userId: champ, context: { groupId: account }, traits: { email: `${champ}@x.example`, status: 'left' } }))) departures.push(account);
}

async function loadLoop() {
  let n = 0;
  while (loading) {
    n++;
    const i = n;
    spawnOp(untilAccepted(ledger, 'track', () => call(ledger, 'track', 'POST', `${url('ingestion')}/v1/track`, { headers: basic(writeKeys.A),
      body: JSON.stringify({ messageId: `${mark}-t-${i}`, userId: `${mark}-u-${i % 7}`, event: 'Report Viewed', context: { groupId: USAGE_ACCOUNT } }) }))
      .then((ok) => { if (ok) tracks++; }));
    if (i % 12 === 0) spawnOp(departure(i));
    if (i % 6 === 1) {
      const id = `${mark}-ctr-${i}`;
      spawnOp(untilAccepted(ledger, 'contract', () => call(ledger, 'contract', 'PUT', `${url('renewals')}/contracts`, { headers: bearer(tokens.A),
        body: JSON.stringify({ id, accountId: `${mark}-acct-c${i}`, arr: 1000 + i, startDate: '2026-01-01', endDate: '2027-01-01' }) })).then((ok) => { if (ok) contracts.push(id); }));
    }
    if (i % 6 === 4) {
      const contact = `${mark}-resp-${i}`;
      spawnOp(untilAccepted(ledger, 'survey answer', () => call(ledger, 'survey answer', 'POST', `${url('surveys')}/surveys/${surveyId}/responses`, { headers: bearer(tokens.A),
        body: JSON.stringify({ accountId: `${mark}-acct-s${i}`, contactId: contact, score: i % 11 }) })).then((ok) => { if (ok) answers.push(contact); }));
    }
    await sleep(250);
  }
}

/* ---------------------------------------------------------------- suite */
describe('fault suite', () => {
  const rssBefore = new Map<string, number>();
  let watcher: TopicWatcher;
  let loadDone: Promise<void>;

  beforeAll(async () => {
    out(`run ${run}: logs in ${LOG_DIR}`);
    await startBroker(true);
    dbName = `${PREFIX}${run}`;
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${dbName}"`);
    await admin.end();
    const u = new URL(`${PG}/${dbName}`);
    proxy = await new TcpProxy({ host: u.hostname, port: Number(u.port || 5432) }).start();
    env = {
      DATABASE_URL: proxy.rewrite(`${PG}/${dbName}`), KAFKA_BROKERS: `127.0.0.1:${KAFKA_PORT}`, KAFKA_TOPIC_PARTITIONS: '3',
      CAIRN_AUTH_SECRET: SECRET, LOG_LEVEL: 'info', KAFKAJS_NO_PARTITIONER_WARNING: '1', HOST: '127.0.0.1',
      SMTP_URL: `smtp://cairn:${SMTP_PASSWORD}@127.0.0.1:2599`, PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true',
    };
    await platform.provisionAll({ brokers: env.KAFKA_BROKERS, partitions: 3 });
    await startAll();
    db = new Client({ connectionString: `${PG}/${dbName}` });
    await db.connect();
    for (const [ws, t] of [['A', tokens.A], ['B', tokens.B], ['F', tokens.F]] as const) {
      const r = await fetch(`${url('ingestion')}/write-keys`, { method: 'POST', headers: bearer(t), body: JSON.stringify({ name: `faults ${ws}` }) });
      writeKeys[ws] = (await r.json()).writeKey;
    }
    const s = await fetch(`${url('surveys')}/surveys`, { method: 'POST', headers: bearer(tokens.A), body: JSON.stringify({ name: `NPS ${mark}`, kind: 'nps' }) });
    surveyId = (await s.json()).id;
    process.env.CAIRN_TEST_KAFKA_BROKERS = env.KAFKA_BROKERS;
    watcher = await new TopicWatcher(testKafka(), ALL_TOPICS.flatMap((t) => [t.name, `${t.name}.dlq`])).start();
    loadDone = loadLoop();
    await sleep(8000);
    for (const r of running) rssBefore.set(r.name, rssMb(r.child.pid));
  }, 300_000);

  afterAll(async () => {
    loading = false;
    await loadDone?.catch(() => {});
    await watcher?.stop().catch(() => {});
    await platform.stopServices(running);
    await db?.end().catch(() => {});
    await proxy?.stop();
    await broker?.stop();
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  }, 120_000);

  it('answers hostile input on every OpenAPI route with a 4xx, never a 5xx or a hang', async () => {
    let sent = 0;
    const jobs: Array<() => Promise<unknown>> = [];
    for (const s of platform.SERVICES.map((x: any) => x.name)) {
      const doc = await (await fetch(`${url(s)}/docs/json`)).json();
      for (const r of routesOf(doc)) {
        if (/^\/(health|metrics|docs)/.test(r.path)) continue;
        const headers = r.path.startsWith('/v1/') ? basic(writeKeys.F) : bearer(tokens.F);
        const base = fillPath(r.path, () => 'fuzz-id');
        const go = (path: string, body?: string) => jobs.push(() => { sent++; return call(ledger, 'fuzz', r.method, `${url(s)}${path}`, { headers, body }); });
        for (const v of HOSTILE_PATH) if (r.path.includes('{')) go(fillPath(r.path, () => v));
        for (const q of r.params.filter((p) => p.in === 'query')) for (const v of HOSTILE_QUERY) go(`${base}?${q.name}=${v}`);
        if (r.method === 'GET' || r.method === 'DELETE') continue;
        const good = sample(doc, r.body);
        go(base, deepJson());
        go(base, '{"a":');
        go(base, 'null');
        go(base, '[]');
        go(base, `\uFEFF${JSON.stringify(good)}`);
        if (good && typeof good === 'object' && !Array.isArray(good)) {
          go(base, JSON.stringify(Object.fromEntries(Object.keys(good).map((k) => [k, null]))));
          for (const k of Object.keys(good)) for (const [, v] of HOSTILE_SCALARS) go(base, JSON.stringify({ ...good, [k]: v }));
        }
      }
    }
    out(`fuzz: ${jobs.length} requests`);
    for (let i = 0; i < jobs.length; i += 8) await Promise.all(jobs.slice(i, i + 8).map((j) => j()));
    const k = ledger.byKind.get('fuzz')!;
    figures.push(['fuzz: hostile requests', `${sent} sent, ${k.fiveXx} 5xx, ${k.hangs} hangs, statuses ${[...k.statuses].map(([s, n]) => `${s}×${n}`).join(' ')}`]);
    if (k.fiveXx) failures.push(`fuzz: ${k.fiveXx} 5xx (${ledger.fiveXxSamples.filter((x) => x.startsWith('fuzz')).slice(0, 8).join('; ')})`);
    expect(k.fiveXx).toBe(0);
    expect(k.hangs).toBe(0);
  }, 600_000);

  it('dead-letters every poison message on every consumed topic with a reason', async () => {
    out('poison corpus');
    const producer = await new TestProducer(testKafka()).start();
    // The topics some service's consumer group subscribes to (from the groups' member metadata).
    const admin = testKafka().admin();
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith('cairn-'));
    const subscribed = new Set<string>();
    for (const g of (await admin.describeGroups(groups)).groups) {
      for (const m of g.members) for (const t of AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? []) subscribed.add(t);
    }
    await admin.disconnect();
    const consumed = ALL_TOPICS.map((t) => t.name).filter((name) => subscribed.has(name));
    const expected: Array<{ topic: string; kind: string; id: string; strict: boolean; reason?: RegExp }> = [];
    const skipped: string[] = [];
    for (const topic of consumed) {
      const real = watcher.matching(topic, (m) => m.json?.workspaceId === WS_A)[0]?.json;
      const id = (kind: string) => `poison-${kind}-${topic}-${randomBytes(3).toString('hex')}`;
      // Clones of a real message of the topic keep a valid id (a UUID), so each is refused for its own fault.
      const send = async (kind: string, value: string, pid: string, reason: RegExp | undefined, strict = true) => {
        expected.push({ topic, kind, id: pid, strict, reason });
        await producer.sendRaw(topic, value, `${WS_P}:poison`);
      };
      let p = id('not-json'); await send('not JSON', `{"id":"${p}", not json`, p, /not valid JSON/);
      p = id('shape'); await send('wrong shape', JSON.stringify([p, 1, 2]), p, /must be a JSON object/);
      p = id('big'); await send('~900 KB', JSON.stringify({ id: p, pad: 'x'.repeat(900_000) }), p, undefined);
      if (real) {
        p = randomUUID(); await send('bad payload', JSON.stringify({ ...real, id: p, workspaceId: WS_P, data: { bogus: p } }), p, /data/);
        p = randomUUID(); await send('unknown version', JSON.stringify({ ...real, id: p, workspaceId: WS_P, version: 99 }), p, /version/);
        p = randomUUID(); const { workspaceId: _drop, ...noWs } = real; void _drop;
        await send('missing workspaceId', JSON.stringify({ ...noWs, id: p }), p, /workspaceId/);
        p = randomUUID(); await send('BOM', `\uFEFF${JSON.stringify({ ...real, id: p, workspaceId: WS_P })}`, p, undefined, false);
      } else skipped.push(topic);
    }
    await producer.stop();
    // Which groups consume a topic: those that dead-lettered its not-JSON poison (every consumer must).
    await sleep(20_000);
    const reasons = new Map<string, number>();
    const missing: string[] = [];
    let dead = 0;
    for (const topic of consumed) {
      const dlq = `${topic}.dlq`;
      const notJson = expected.find((e) => e.topic === topic && e.kind === 'not JSON')!;
      const groups = await waitFor(`the not-JSON poison on ${topic} dead-lettered`, () => {
        const g = new Set(watcher.matching(dlq, (m) => !!m.value?.includes(notJson.id)).map((m) => m.headers[DLQ_HEADERS.group]));
        return g.size ? g : undefined;
      }, { timeoutMs: 60_000 }).catch(() => new Set<string>());
      if (!groups.size) { missing.push(`${topic}: nobody dead-lettered not-JSON`); continue; }
      for (const e of expected.filter((x) => x.topic === topic)) {
        const seen = await waitFor(`${e.kind} on ${topic}`, () => {
          const m = watcher.matching(dlq, (x) => !!x.value?.includes(e.id));
          return new Set(m.map((x) => x.headers[DLQ_HEADERS.group])).size >= groups.size ? m : undefined;
        }, { timeoutMs: 15_000 }).catch(() => watcher.matching(dlq, (x) => !!x.value?.includes(e.id)));
        for (const m of seen) { dead++; const r = `${e.kind}: ${(m.headers[DLQ_HEADERS.error] ?? '').slice(0, 60)}`; reasons.set(r, (reasons.get(r) ?? 0) + 1); }
        const got = new Set(seen.map((x) => x.headers[DLQ_HEADERS.group]));
        const wrong = seen.filter((x) => e.reason && !e.reason.test(x.headers[DLQ_HEADERS.error] ?? ''));
        if (wrong.length) missing.push(`${topic} ${e.kind}: dead-lettered for another reason (${wrong[0].headers[DLQ_HEADERS.error]?.slice(0, 80)})`);
        if (e.strict && [...groups].some((g) => !got.has(g))) missing.push(`${topic} ${e.kind}: not dead-lettered by ${[...groups].filter((g) => !got.has(g)).join(', ')}`);
      }
    }
    const unexpected = ALL_TOPICS.flatMap((t) => watcher.matching(`${t.name}.dlq`, (m) => !expected.some((e) => m.value?.includes(e.id))));
    figures.push(['poison: produced', `${expected.length} on the ${consumed.length} consumed topics (${ALL_TOPICS.length - consumed.length} have no consumer), ${dead} dead-letter records${skipped.length ? ` (no real message to clone on ${skipped.join(', ')}: only not-JSON, shape, size there)` : ''}`]);
    for (const [r, n] of [...reasons].sort()) figures.push(['  dead-lettered', `${n} × ${r}`]);
    figures.push(['  dead-lettered good messages', String(unexpected.length)]);
    if (missing.length) failures.push(`poison processed instead of dead-lettered: ${missing.join('; ')}`);
    if (unexpected.length) failures.push(`good messages dead-lettered: ${unexpected.slice(0, 5).map((m) => `${m.topic} ${m.headers[DLQ_HEADERS.error]}`).join('; ')}`);
    expect(missing).toEqual([]);
    expect(unexpected).toHaveLength(0);
  }, 600_000);

  for (const name of ['ingestion', 'surveys', 'health', 'playbooks', 'renewals']) {
    it(`survives SIGKILL of ${name} under load and comes back`, async () => {
      out(`SIGKILL ${name}`);
      const victim = running.find((r) => r.name === name);
      const t = Date.now();
      victim.child.kill('SIGKILL');
      await new Promise((r) => victim.child.once('exit', r));
      await startAll([name]);
      figures.push([`SIGKILL ${name}: healthy again`, `${((Date.now() - t) / 1000).toFixed(1)} s`]);
      await sleep(4000);
    }, 180_000);
  }

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`reports 503 within seconds after the broker's ${signal} and recovers after its restart`, async () => {
      out(`broker ${signal}`);
      const t = Date.now();
      process.kill(broker.pid, signal);
      const when = new Map<string, number>();
      await waitFor('every /health 503', async () => {
        for (const r of running) if (!when.has(r.name) && (await healthStatus(r.name)) === 503) when.set(r.name, Date.now() - t);
        return when.size === running.length;
      }, { timeoutMs: 30_000, intervalMs: 250 }).catch(() => undefined);
      const slowest = Math.max(...running.map((r) => when.get(r.name) ?? Infinity));
      figures.push([`broker ${signal}: /health 503 after`, running.map((r) => `${r.name} ${when.has(r.name) ? `${(when.get(r.name)! / 1000).toFixed(1)} s` : 'never'}`).join(', ')]);
      await waitFor('the broker process gone', () => { try { process.kill(broker.pid, 0); return false; } catch { return true; } }, { timeoutMs: 30_000 });
      await sleep(5000);
      const t2 = Date.now();
      await startBroker();
      const back = await allHealthy();
      figures.push([`broker ${signal}: healthy after restart`, `${((Date.now() - t2) / 1000).toFixed(1)} s (services ${(back / 1000).toFixed(1)} s after the broker)`]);
      if (!(slowest <= 10_000)) failures.push(`broker ${signal}: some /health stayed 200 for more than 10 s`);
      expect(slowest).toBeLessThanOrEqual(10_000);
    }, 300_000);
  }

  it('answers 503 with Retry-After, never 500, while PostgreSQL is cut for 20 s, and recovers', async () => {
    out('PostgreSQL cut');
    const before = ledger.fiveXxSamples.length;
    proxy.cut();
    const probes = { n: 0, codes: new Map<number, number>() };
    const until = Date.now() + 20_000;
    while (Date.now() < until) {
      for (const [s, path, h] of [['ingestion', '/v1/track', basic(writeKeys.A)], ['playbooks', '/tasks', bearer(tokens.A)], ['health', '/health', {}]] as const) {
        const r = await call(ledger, 'db-cut probe', s === 'ingestion' ? 'POST' : 'GET', `${url(s)}${path}`,
          { headers: h, body: s === 'ingestion' ? JSON.stringify({ userId: 'probe', event: 'probe', context: { groupId: `${mark}-probe` } }) : undefined });
        probes.n++;
        probes.codes.set(r.status, (probes.codes.get(r.status) ?? 0) + 1);
      }
      await sleep(500);
    }
    proxy.restore();
    const back = await allHealthy();
    figures.push(['PostgreSQL cut 20 s: probes', `${probes.n}: ${[...probes.codes].map(([c, n]) => `${c}×${n}`).join(' ')}; healthy ${(back / 1000).toFixed(1)} s after restore`]);
    const new5xx = ledger.fiveXxSamples.slice(before);
    if (new5xx.length) failures.push(`database cut: ${new5xx.slice(0, 5).join('; ')}`);
    expect(ledger.byKind.get('db-cut probe')!.fiveXx).toBe(0);
  }, 300_000);

  it('loses nothing and duplicates nothing of the load', async () => {
    out('settling the load');
    await sleep(10_000);
    loading = false;
    await loadDone;
    while (inflight.size) await Promise.race(inflight);
    const counts = async () => {
      const u = await db.query(`SELECT COALESCE(sum(events), 0)::int AS n FROM ingestion.usage_daily WHERE workspace_id = $1 AND account_id = $2`, [WS_A, USAGE_ACCOUNT]);
      const c = await db.query(`SELECT count(*)::int AS n FROM renewals.contract WHERE workspace_id = $1`, [WS_A]);
      const a = await db.query(`SELECT count(*)::int AS n FROM surveys.survey_response WHERE workspace_id = $1`, [WS_A]);
      const t = await db.query(`SELECT account_id, count(*)::int AS n FROM playbooks.task WHERE workspace_id = $1 AND title ILIKE '%champion%' GROUP BY account_id`, [WS_A]);
      return { usage: u.rows[0].n, contracts: c.rows[0].n, answers: a.rows[0].n, tasks: new Map<string, number>(t.rows.map((r: any) => [r.account_id, r.n])) };
    };
    let c = await counts();
    await waitFor('the load to settle', async () => {
      c = await counts();
      return c.usage >= tracks && c.contracts >= contracts.length && c.answers >= answers.length && departures.every((d) => c.tasks.has(d));
    }, { timeoutMs: 120_000, intervalMs: 2000 }).catch(() => undefined);
    await sleep(5000);
    c = await counts();
    const rows: Array<[string, number, number, number, number]> = [
      ['track (usage events)', tracks, c.usage, Math.max(0, tracks - c.usage), Math.max(0, c.usage - tracks)],
      ['champion departures → tasks', departures.length, departures.filter((d) => c.tasks.has(d)).length, departures.filter((d) => !c.tasks.has(d)).length, departures.filter((d) => (c.tasks.get(d) ?? 0) > 1).length],
      ['survey answers', answers.length, c.answers, Math.max(0, answers.length - c.answers), Math.max(0, c.answers - answers.length)],
      ['contracts', contracts.length, c.contracts, Math.max(0, contracts.length - c.contracts), Math.max(0, c.contracts - contracts.length)],
    ];
    for (const [what, accepted, stored, lost, dup] of rows) {
      const k = ledger.byKind.get(what.startsWith('track') ? 'track' : what.startsWith('champion') ? 'departure' : what.startsWith('survey') ? 'survey answer' : 'contract');
      figures.push([`load: ${what}`, `sent ${k?.sent ?? 0}, accepted ${accepted}, stored ${stored}, lost ${lost}, duplicated ${dup}, refused ${k?.refused ?? 0} tries, 5xx ${k?.fiveXx ?? 0}, hangs ${k?.hangs ?? 0}`]);
      if (lost || dup) failures.push(`${what}: lost ${lost}, duplicated ${dup}`);
    }
    for (const kind of ['segment', 'track', 'departure', 'contract', 'survey answer']) {
      const k = ledger.byKind.get(kind);
      if (k?.fiveXx) failures.push(`load ${kind}: ${k.fiveXx} 5xx (${ledger.fiveXxSamples.filter((x) => x.startsWith(kind)).slice(0, 5).join('; ')})`);
    }
    expect(rows.every((r) => r[3] === 0 && r[4] === 0)).toBe(true);
  }, 300_000);

  it('keeps workspaces apart on every route: another workspace\'s token sees and changes nothing', async () => {
    out('cross-workspace');
    // What workspace A has, from A's own list routes.
    const aIds = new Set<string>([WS_A]);
    const harvest = (v: any) => {
      if (Array.isArray(v)) v.forEach(harvest);
      else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { if (/^(id|accountId|contactId)$/.test(k) && typeof x === 'string') aIds.add(x); else harvest(x); }
    };
    const docs = new Map<string, any>();
    for (const s of platform.SERVICES.map((x: any) => x.name)) docs.set(s, await (await fetch(`${url(s)}/docs/json`)).json());
    const snapshot = async () => {
      const snap: string[] = [];
      for (const [s, doc] of docs) for (const r of routesOf(doc)) {
        if (r.method !== 'GET' || r.path.includes('{') || /^\/(health|metrics|docs)/.test(r.path)) continue;
        const res = await fetch(`${url(s)}${r.path}`, { headers: bearer(tokens.A) });
        const text = await res.text();
        if (res.status === 200) { try { harvest(JSON.parse(text)); } catch { /* not JSON */ } }
        snap.push(`${s}${r.path} ${res.status} ${text.length}`);
      }
      return snap;
    };
    const before = await snapshot();
    const ids = [...aIds].filter((x) => x !== WS_A).slice(0, 60);
    const leaks: string[] = [];
    let tries = 0;
    for (const [s, doc] of docs) for (const r of routesOf(doc)) {
      if (/^\/(health|metrics|docs)/.test(r.path)) continue;
      const headers = r.path.startsWith('/v1/') ? basic(writeKeys.B) : bearer(tokens.B);
      const candidates = r.path.includes('{') ? ids.slice(0, 20) : [''];
      for (const id of candidates) {
        const path = fillPath(r.path, () => encodeURIComponent(id));
        const body = r.method === 'GET' || r.method === 'DELETE' ? undefined : JSON.stringify({ ...(sample(doc, r.body) ?? {}), ...(id ? { id, accountId: id } : {}) });
        const res = await call(ledger, 'cross-workspace', r.method, `${url(s)}${path}`, { headers, body });
        tries++;
        if (res.status >= 200 && res.status < 300 && (res.text.includes(WS_A) || res.text.includes(`${mark}-`) || ids.some((x) => x.length > 8 && res.text.includes(x)))) {
          if (!(r.method !== 'GET' && id && res.text.includes(id) && !res.text.includes(WS_A) && !res.text.includes(`${mark}-`))) leaks.push(`${r.method} ${s}${path} → ${res.status}`);
        }
      }
    }
    const after = await snapshot();
    const changed = before.filter((x, i) => x !== after[i]);
    const k = ledger.byKind.get('cross-workspace')!;
    figures.push(['cross-workspace tries', `${tries} with B's token on A's ${ids.length} ids: leaked ${leaks.length}, A's lists changed ${changed.length}, statuses ${[...k.statuses].map(([c, n]) => `${c}×${n}`).join(' ')}`]);
    if (leaks.length || changed.length) failures.push(`cross-workspace: ${[...leaks, ...changed.map((c) => `changed ${c}`)].slice(0, 8).join('; ')}`);
    expect(leaks).toEqual([]);
    expect(changed).toEqual([]);
  }, 600_000);

  it('keeps memory steady and writes no secret to any log', async () => {
    for (const r of running) {
      const after = rssMb(r.child.pid);
      figures.push([`RSS ${r.name}`, `${rssBefore.get(r.name)} MB at start → ${after} MB at the end (since its restart)`]);
    }
    const secrets: Array<[string, string]> = [['auth secret', SECRET], ['SMTP password', SMTP_PASSWORD],
      ...Object.entries(tokens).map(([w, t]) => [`token ${w}`, t] as [string, string]),
      ...Object.entries(writeKeys).flatMap(([w, k]) => [[`write key ${w}`, k], [`Basic header ${w}`, Buffer.from(`${k}:`).toString('base64')]] as Array<[string, string]>)];
    const found: string[] = [];
    let bytes = 0;
    for (const f of readdirSync(LOG_DIR)) {
      const text = readFileSync(join(LOG_DIR, f), 'utf8');
      bytes += text.length;
      for (const [what, s] of secrets) if (text.includes(s)) found.push(`${what} in ${f}`);
    }
    figures.push(['log scan', `${readdirSync(LOG_DIR).length} logs, ${(bytes / 1e6).toFixed(1)} MB, ${secrets.length} secrets looked for: ${found.length ? found.join(', ') : 'none found'}`]);
    if (found.length) failures.push(`secrets in logs: ${found.join(', ')}`);
    expect(found).toEqual([]);
  }, 60_000);

});


/** Every descendant of `pid` (from ps), so a test can check none outlives a stop. */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' }).trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const walk = (p: number) => { for (const [c, pp] of rows) if (pp === p) { found.push(c); walk(c); } };
  walk(pid);
  return found;
}
const alive = (pid: number) => { try { process.kill(pid, 0); return !/State:\s+Z/.test(readFileSync(`/proc/${pid}/status`, 'utf8')); } catch { return false; } };

describe('npm start and signals', () => {
  const startDb = `${PREFIX}start_${run}`;
  afterAll(async () => {
    const admin = new Client({ connectionString: `${PG}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${startDb}" WITH (FORCE)`);
    await admin.end();
  }, 60_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`${signal} to the npm start process stops the launcher, all five services and the broker it started`, async () => {
      out(`npm start, then ${signal}`);
      const t0 = Date.now();
      const npm = spawn('npm', ['start'], {
        cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CAIRN_PORT_OFFSET: String(PORT_OFFSET), CAIRN_KAFKA_PORT: String(KAFKA_PORT), KAFKA_BROKERS: '', DATABASE_URL: `${PG}/${startDb}`,
          CAIRN_AUTH_SECRET: SECRET, LOG_LEVEL: 'warn' },
      });
      let text = '';
      npm.stdout!.on('data', (d) => { text += d; });
      npm.stderr!.on('data', (d) => { text += d; });
      const exited = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)));
      await waitFor('npm start to report five healthy services', () => text.includes('all five services healthy') || (npm.exitCode !== null && Promise.reject(new Error(text.slice(-2000)))),
        { timeoutMs: 300_000, intervalMs: 500 });
      const up = Date.now() - t0;
      const family = descendants(npm.pid!);
      const killAll = () => { for (const p of [npm.pid!, ...family]) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } } };
      if (family.length < 7) { killAll(); failures.push(`npm start: ${family.length} descendants, expected the launcher, five services and its broker`); }
      expect(family.length).toBeGreaterThanOrEqual(7); // launcher, five services, the broker
      const t = Date.now();
      process.kill(npm.pid!, signal);
      await waitFor(`npm start and its ${family.length} descendants gone after ${signal}`, () => !alive(npm.pid!) && family.every((p) => !alive(p)), { timeoutMs: 60_000, intervalMs: 250 })
        .catch((e) => { failures.push(`npm start ${signal}: still running: ${family.filter(alive).join(', ')}`); killAll(); throw e; });
      const code = await exited;
      figures.push([`npm start ${signal}`, `up in ${(up / 1000).toFixed(0)} s; npm, launcher, 5 services and the broker (${family.length} processes) gone ${((Date.now() - t) / 1000).toFixed(1)} s after the signal (npm exit ${code})`]);
      for (const s of platform.SERVICES) expect(await healthStatus(s.name)).toBe(-1);
    }, 420_000);
  }

  it('prints the figures', () => {
    const total = (f: 'sent' | 'accepted' | 'refused' | 'fiveXx' | 'hangs') => [...ledger.byKind.values()].reduce((a, k) => a + k[f], 0);
    const w = Math.max(...figures.map(([k]) => k.length));
    const line = '─'.repeat(100);
    process.stdout.write(`\n${line}\nFault suite figures (run ${run})\n${line}\n`);
    for (const [k, v] of figures) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
    process.stdout.write(`${'HTTP totals'.padEnd(w)}  5xx ${total('fiveXx')}, hangs ${total('hangs')}, refused ${total('refused')}\n`);
    process.stdout.write(`${line}\n${failures.length ? `FAILED:\n  ${failures.join('\n  ')}` : 'no loss, no duplicate, no leak, no 5xx'}\n${line}\n`);
    expect(failures).toEqual([]);
  });
});
