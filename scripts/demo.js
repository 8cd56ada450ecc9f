#!/usr/bin/env node
'use strict';
// Loads the demo workspace through the public APIs, as a customer would: a write key, Segment
// group/identify/track calls (35 days of history), contracts and an NPS survey. Safe to rerun:
// message ids are deterministic, so ingestion drops what it has seen.
// `npm start` calls loadDemo(); `npm run demo` (this file as a command) loads it into a platform
// that runs elsewhere, e.g. `docker compose up`: CAIRN_AUTH_SECRET is the platform's, the service
// URLs default to npm start's ports on 127.0.0.1 (CAIRN_<SERVICE>_URL overrides one).
const WORKSPACE = 'demo';
const DAY = 86400000;

function dayStart(offsetDays) {
  const d = new Date();
  d.setUTCHours(0, 0, 0, 0);
  return new Date(d.getTime() + offsetDays * DAY);
}

function isoDate(d) { return d.toISOString().slice(0, 10); }

async function call(method, url, token, body, basicUser) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (basicUser) headers.authorization = `Basic ${Buffer.from(`${basicUser}:`).toString('base64')}`;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = text ? JSON.parse(text) : undefined; } catch { json = text; }
  if (r.status >= 400) throw new Error(`${method} ${url} → ${r.status}: ${text.slice(0, 300)}`);
  return json;
}

const ACCOUNTS = [
  { id: 'acme', name: 'Acme Corp', domain: 'acme.example', plan: 'enterprise', arr: 120000, seats: 40, csmOwner: 'maria@cairn-demo.example',
    champion: { id: 'acme-ana', name: 'Ana Lima', email: 'ana@acme.example', title: 'Head of Operations' }, daily: () => 40 },
  { id: 'globex', name: 'Globex', domain: 'globex.example', plan: 'growth', arr: 48000, seats: 25, csmOwner: 'li@cairn-demo.example',
    champion: { id: 'globex-gus', name: 'Gus Park', email: 'gus@globex.example', title: 'VP Product' }, daily: (d) => (d < 28 ? 36 : 3) },
  { id: 'initech', name: 'Initech', domain: 'initech.example', plan: 'growth', arr: 30000, seats: 15, csmOwner: 'maria@cairn-demo.example',
    champion: { id: 'initech-bill', name: 'Bill Lumbergh', email: 'bill@initech.example', title: 'Director' }, daily: () => 20 },
];
const FEATURES = ['Report Viewed', 'Dashboard Shared', 'Export Created', 'Alert Configured'];

/** Console users of the demo workspace (one per role), all with the one demo password. */
const DEMO_USERS = [
  { email: 'admin@cairn-demo.example', name: 'Ada Admin', role: 'admin' },
  { email: 'ops@cairn-demo.example', name: 'Omar Ops', role: 'cs-ops' },
  { email: 'maria@cairn-demo.example', name: 'Maria Souza', role: 'csm' },
  { email: 'li@cairn-demo.example', name: 'Li Wei', role: 'csm' },
  { email: 'viewer@cairn-demo.example', name: 'Vic Viewer', role: 'viewer' },
];

async function loadDemoUsers({ databaseUrl, password }) {
  const { ensureUser } = require('../services/console/dist/cli');
  for (const u of DEMO_USERS) await ensureUser(databaseUrl, { workspaceId: WORKSPACE, password, ...u });
  return DEMO_USERS;
}

async function loadDemo({ secret, services, databaseUrl, demoPassword }) {
  // Required here, not at the top: `npm run demo` builds the libraries before it loads them.
  const { issueApiToken } = require('@cairn/auth');
  const token = issueApiToken({ workspaceId: WORKSPACE, subject: 'demo-admin' }, secret);
  const notes = [];
  const users = databaseUrl && demoPassword ? await loadDemoUsers({ databaseUrl, password: demoPassword }) : [];
  const key = await call('POST', `${services.ingestion}/write-keys`, token, { name: `demo ${new Date().toISOString()}` });
  const writeKey = key.writeKey;
  const v1 = (path, body) => call('POST', `${services.ingestion}/v1/${path}`, undefined, body, writeKey);

  const start = dayStart(-35);
  for (const a of ACCOUNTS) {
    await v1('group', { messageId: `demo-group-${a.id}`, userId: a.champion.id, groupId: a.id, timestamp: start.toISOString(),
      traits: { name: a.name, domain: a.domain, plan: a.plan, arr: a.arr, seats: a.seats, csmOwner: a.csmOwner } });
    await v1('identify', { messageId: `demo-identify-${a.champion.id}`, userId: a.champion.id, timestamp: start.toISOString(),
      context: { groupId: a.id }, traits: { email: a.champion.email, name: a.champion.name, title: a.champion.title, role: 'champion' } });
  }
  // 35 days of product usage in event time, sent as Segment batches.
  let batch = [];
  const flush = async () => { if (batch.length) await v1('batch', { batch }); batch = []; };
  for (let d = 0; d <= 35; d++) {
    for (const a of ACCOUNTS) {
      const n = d === 35 ? 1 : a.daily(d);
      for (let i = 0; i < n; i++) {
        const ts = new Date(start.getTime() + d * DAY + ((i * 7919) % 36000) * 1000 + 8 * 3600000);
        batch.push({ type: 'track', messageId: `demo-${a.id}-${d}-${i}`, userId: `${a.id}-user-${i % 12}`, event: FEATURES[i % FEATURES.length],
          timestamp: ts.toISOString(), context: { groupId: a.id } });
        if (batch.length >= 400) await flush();
      }
    }
  }
  await flush();
  // Initech's champion leaves.
  await v1('identify', { messageId: 'demo-initech-bill-left', userId: 'initech-bill', context: { groupId: 'initech' },
    traits: { email: 'bill@initech.example', status: 'left' } });

  const ends = { acme: 200, globex: 50, initech: 100 };
  for (const a of ACCOUNTS) {
    await call('PUT', `${services.renewals}/contracts`, token, {
      id: `ctr-${a.id}`, accountId: a.id, arr: a.arr, startDate: isoDate(dayStart(ends[a.id] - 365)), endDate: isoDate(dayStart(ends[a.id])), owner: a.csmOwner,
    });
  }
  const surveys = await call('GET', `${services.surveys}/surveys`, token);
  const nps = (Array.isArray(surveys) ? surveys : []).find((s) => s.name === 'Quarterly NPS')
    ?? await call('POST', `${services.surveys}/surveys`, token, { name: 'Quarterly NPS', kind: 'nps', question: 'How likely are you to recommend us?' });
  await call('POST', `${services.surveys}/surveys/${nps.id}/responses`, token, { accountId: 'acme', contactId: 'acme-ana', score: 9, comment: 'Love the dashboards' });
  await call('POST', `${services.surveys}/surveys/${nps.id}/responses`, token, { accountId: 'initech', contactId: 'initech-bill', score: 3, comment: 'Too slow lately' });

  // The demo's risks: Globex's usage drop and Initech's departed champion (plus what follows).
  const deadline = Date.now() + 30000;
  let tasks = [];
  const has = (account, type) => tasks.some((t) => t.accountId === account && t.cause?.type === type);
  while (Date.now() < deadline) {
    tasks = await call('GET', `${services.playbooks}/tasks`, token);
    if (has('globex', 'usage.dropped') && has('initech', 'directory.contact-departed')) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!has('globex', 'usage.dropped') || !has('initech', 'directory.contact-departed')) {
    notes.push('the demo risks have not all turned into tasks yet; check .cache/logs/ if they never do');
  }
  for (const t of Array.isArray(tasks) ? tasks : []) notes.push(`task for ${t.accountId} (${t.priority}, ${t.assignee ?? 'unassigned'}): ${t.title}`);
  return { workspaceId: WORKSPACE, token, writeKey, notes, users };
}

function printDemo(demo, urls, { stopHint }) {
  const line = '─'.repeat(72);
  const out = (t) => process.stdout.write(t);
  out(`\n${line}\nCairn is running — demo workspace "${demo.workspaceId}"\n\n`);
  for (const [name, url] of Object.entries(urls)) out(`  ${name.padEnd(10)} ${url}   API docs ${url}/docs   health ${url}/health\n`);
  out(`\n  API token (workspace ${demo.workspaceId}):\n    ${demo.token}\n  Segment write key: ${demo.writeKey}\n\n`);
  out('  Try:\n');
  out(`    curl -s -H "Authorization: Bearer $TOKEN" ${urls.playbooks}/tasks\n`);
  out(`    curl -s -H "Authorization: Bearer $TOKEN" ${urls.playbooks}/alerts\n`);
  out(`    curl -s -H "Authorization: Bearer $TOKEN" ${urls.health}/accounts/globex/health\n`);
  out(`  (export TOKEN=<the token above>; ${stopHint})\n${line}\n\n`);
  for (const note of demo.notes) process.stdout.write(`[cairn] ${note}\n`);
}

/** The platform's URLs: npm start's ports on 127.0.0.1, or CAIRN_<SERVICE>_URL. */
function serviceUrls(env = process.env) {
  const { SERVICES } = require('./platform');
  return Object.fromEntries(SERVICES.map((s) => [s.name, env[`CAIRN_${s.name.toUpperCase()}_URL`] ?? `http://127.0.0.1:${s.port}`]));
}

module.exports = { loadDemo, loadDemoUsers, printDemo, serviceUrls, DEMO_USERS, WORKSPACE };

if (require.main === module) {
  const secret = process.env.CAIRN_AUTH_SECRET;
  if (!secret) {
    process.stderr.write('[cairn] set CAIRN_AUTH_SECRET to the platform\'s secret (the one docker compose runs with)\n');
    process.exit(64);
  }
  const infra = require('./infra');
  infra.ensureDependencies();
  infra.build();
  const urls = serviceUrls();
  loadDemo({ secret, services: urls })
    .then((demo) => printDemo(demo, urls, { stopHint: '`docker compose -p cairn down` stops the platform' }))
    .catch((e) => { process.stderr.write(`[cairn] demo: ${e.stack ?? e}\n`); process.exit(1); });
}
