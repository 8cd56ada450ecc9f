'use strict';
// Shared by `npm start`, `npm test` and the benchmarks: dependencies, build, PostgreSQL, Kafka.
// Uses only Node built-ins until dependencies are installed.
const { execFileSync, spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

function log(msg) { process.stdout.write(`[cairn] ${msg}\n`); }

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: REPO, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

/**
 * `npm ci` on a fresh clone (exactly the lock file; it holds every platform's optional packages,
 * e.g. @swc/core-darwin-*, so it installs anywhere); `npm install` when node_modules exists but
 * is older than the lock, to bring it up to date without starting over.
 */
function ensureDependencies() {
  const marker = path.join(REPO, 'node_modules', '.package-lock.json');
  const lock = path.join(REPO, 'package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs) return;
  const fresh = !existsSync(path.join(REPO, 'node_modules'));
  log(`installing dependencies (npm ${fresh ? 'ci' : 'install'})…`);
  run('npm', [fresh ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error']);
}

/**
 * kubectl for rendering infra/k8s offline (the Kubernetes suite): Debian's kubernetes-client when
 * the machine has no kubectl and apt-get is there to install it.
 */
function ensureKubectl() {
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0) return;
  if (spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) throw new Error('kubectl is missing: install it (Debian: apt-get install kubernetes-client)');
  log('installing kubectl (Debian kubernetes-client) for the Kubernetes manifest suite…');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'kubernetes-client'], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

function build() {
  const t = Date.now();
  run(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'tsconfig.build.json']);
  // The console's web app (Vite), when its sources changed since the last build.
  const web = path.join(REPO, 'services', 'console', 'web');
  const built = path.join(web, 'dist', 'index.html');
  const newest = (dir) => readdirSync(dir, { withFileTypes: true }).reduce((m, e) => Math.max(m,
    e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs), 0);
  const sources = Math.max(newest(path.join(web, 'src')), newest(path.join(web, 'public')), ...['index.html', 'vite.config.ts', 'package.json'].map((f) => statSync(path.join(web, f)).mtimeMs));
  if (!existsSync(built) || statSync(built).mtimeMs < sources) run(process.execPath, [path.join(REPO, 'scripts', 'build-web.js')]);
  log(`built in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

function tcpAnswers(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const s = net.connect({ port, host });
    const done = (ok) => { s.destroy(); resolve(ok); };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

/**
 * PostgreSQL at 127.0.0.1:5432 (or PGPORT): used when it answers; otherwise the machine's
 * cluster is started with pg_ctlcluster; otherwise a clear message says what to do.
 */
async function ensurePostgres(port = Number(process.env.PGPORT ?? 5432)) {
  if (await tcpAnswers(port)) return;
  const versions = existsSync('/etc/postgresql') ? readdirSync('/etc/postgresql') : [];
  if (versions.length) {
    log(`PostgreSQL is not answering on 127.0.0.1:${port}; starting cluster ${versions[0]}/main`);
    spawnSync('pg_ctlcluster', ['--skip-systemctl-redirect', versions[0], 'main', 'start'], { stdio: 'inherit' });
    for (let i = 0; i < 30; i++) {
      if (await tcpAnswers(port)) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`PostgreSQL is not reachable on 127.0.0.1:${port}. Start it (e.g. ` +
    '`pg_ctlcluster --skip-systemctl-redirect 15 main start`, or `docker compose up -d postgres`) and try again.');
}

/** Creates a database when missing (trust auth as the postgres user, via the pg client). */
async function ensureDatabase(serverUrl, name) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: `${serverUrl}/postgres` });
  await c.connect();
  try {
    const r = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (r.rowCount === 0) await c.query(`CREATE DATABASE "${name}"`);
  } finally {
    await c.end();
  }
}

/** A LIKE pattern for names starting with `prefix` literally (`_` is LIKE's one-character wildcard). */
function startsWith(prefix) {
  return `${prefix.replace(/[\\%_]/g, '\\$&')}%`;
}

async function dropDatabasesLike(serverUrl, pattern) {
  const { Client } = require('pg');
  const c = new Client({ connectionString: `${serverUrl}/postgres` });
  await c.connect();
  try {
    const r = await c.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [pattern]);
    for (const { datname } of r.rows) await c.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await c.end();
  }
}

function ensureKafka(options) {
  return require(path.join(REPO, 'infra', 'kafka', 'broker.js')).ensureBroker({ log: (m) => log(m.replace(/^\[kafka\] /, 'kafka: ')), ...options });
}

module.exports = { REPO, log, run, ensureDependencies, ensureKubectl, build, ensurePostgres, ensureDatabase, dropDatabasesLike, startsWith, ensureKafka, tcpAnswers };
