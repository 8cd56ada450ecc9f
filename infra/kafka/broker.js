#!/usr/bin/env node
'use strict';
/**
 * Local, Docker-free Apache Kafka 3.9.1 broker (single KRaft node) for Cairn
 * development and tests. Node built-ins only; needs Java 17+ and Maven.
 *
 * Library:
 *   const { ensureBroker } = require('./infra/kafka/broker.js');
 *   const { brokers, started, stop, pid } = await ensureBroker({ port: 9092, name: 'dev' });
 *
 * CLI:
 *   node infra/kafka/broker.js start  [--port N] [--controller-port N] [--name X] [--fresh]
 *   node infra/kafka/broker.js stop   [--name X]
 *   node infra/kafka/broker.js status [--port N] [--name X]
 *
 * Files: <repo>/.cache/kafka/lib (jars), <repo>/.cache/kafka/<name>/{data,cluster.id,
 * server.properties,broker.log,broker.pid}. See infra/kafka/README.md.
 */

const fs = require('fs');
const path = require('path');
const net = require('net');
const crypto = require('crypto');
const { spawn, execFileSync } = require('child_process');

const KAFKA_VERSION = '3.9.1';
const HERE = __dirname;
const REPO = path.resolve(HERE, '..', '..');
const CACHE = path.join(REPO, '.cache', 'kafka');
const LIB = path.join(CACHE, 'lib');
const LIB_MARKER = path.join(LIB, '.complete');
const POM = path.join(HERE, 'pom.xml');
const TEMPLATE = path.join(HERE, 'server.properties.template');
const LOG4J = path.join(HERE, 'log4j.properties');
const HOST = '127.0.0.1';
const NODE_ID = 1;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* ------------------------------------------------------------------ */
/* Minimal Kafka wire protocol: ApiVersions v0 and Metadata v1.        */
/* ------------------------------------------------------------------ */

let correlationSeq = 1;

/** Send one request (header v1, non-flexible) and resolve with the response body (after correlation id). */
function kafkaRequest(port, apiKey, apiVersion, body, { host = HOST, timeoutMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const correlationId = correlationSeq++ & 0x7fffffff;
    const clientId = Buffer.from('cairn-probe');
    const header = Buffer.alloc(2 + 2 + 4 + 2);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(correlationId, 4);
    header.writeInt16BE(clientId.length, 8);
    const payload = Buffer.concat([header, clientId, body]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length, 0);

    let chunks = [];
    let received = 0;
    let done = false;
    const sock = net.createConnection({ host, port });
    const finish = (err, value) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new Error(`no Kafka response within ${timeoutMs} ms`)), timeoutMs);
    sock.on('connect', () => sock.write(Buffer.concat([size, payload])));
    sock.on('error', (e) => finish(e));
    sock.on('close', () => finish(new Error('connection closed before a complete response')));
    sock.on('data', (d) => {
      chunks.push(d);
      received += d.length;
      if (received < 4) return;
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      chunks = [buf];
      const len = buf.readInt32BE(0);
      if (len < 4 || len > 16 * 1024 * 1024) return finish(new Error(`malformed response size ${len}`));
      if (buf.length < 4 + len) return;
      const cid = buf.readInt32BE(4);
      if (cid !== correlationId) return finish(new Error(`correlation id mismatch (${cid} != ${correlationId})`));
      finish(null, buf.subarray(8, 4 + len));
    });
  });
}

/** ApiVersions v0 → { apis: Map(apiKey → [min,max]) }. Throws if not a well-formed Kafka response. */
async function probeApiVersions(port, opts) {
  const b = await kafkaRequest(port, 18, 0, Buffer.alloc(0), opts);
  if (b.length < 6) throw new Error('ApiVersions response too short');
  const errorCode = b.readInt16BE(0);
  if (errorCode !== 0) throw new Error(`ApiVersions error code ${errorCode}`);
  const n = b.readInt32BE(2);
  if (n < 1 || b.length !== 6 + 6 * n) throw new Error('ApiVersions response malformed');
  const apis = new Map();
  for (let i = 0, o = 6; i < n; i++, o += 6) apis.set(b.readInt16BE(o), [b.readInt16BE(o + 2), b.readInt16BE(o + 4)]);
  if (!apis.has(18) || !apis.has(3)) throw new Error('ApiVersions response lacks ApiVersions/Metadata');
  return { apis };
}

/** Metadata v1 with an empty topic list → { brokers: [{nodeId,host,port,rack}], controllerId }. */
async function probeMetadata(port, opts) {
  const body = Buffer.alloc(4); // topics: empty array (v1: [] = no topics, null = all)
  const b = await kafkaRequest(port, 3, 1, body, opts);
  let o = 0;
  const int32 = () => { const v = b.readInt32BE(o); o += 4; return v; };
  const int16 = () => { const v = b.readInt16BE(o); o += 2; return v; };
  const str = () => { const l = int16(); if (l < 0) return null; const s = b.toString('utf8', o, o + l); o += l; return s; };
  const brokers = [];
  const nb = int32();
  if (nb < 0 || nb > 10000) throw new Error('Metadata response malformed');
  for (let i = 0; i < nb; i++) brokers.push({ nodeId: int32(), host: str(), port: int32(), rack: str() });
  const controllerId = int32();
  return { brokers, controllerId };
}

/** FindCoordinator v1 (keyType 0 = group, 1 = transaction) → { errorCode, nodeId }. */
async function probeCoordinator(port, key, keyType, opts) {
  const k = Buffer.from(key);
  const body = Buffer.alloc(2 + k.length + 1);
  body.writeInt16BE(k.length, 0);
  k.copy(body, 2);
  body.writeInt8(keyType, 2 + k.length);
  const b = await kafkaRequest(port, 10, 1, body, opts);
  const errorCode = b.readInt16BE(4);
  const msgLen = b.readInt16BE(6);
  const nodeId = b.readInt32BE(8 + Math.max(0, msgLen));
  return { errorCode, nodeId };
}

/** DescribeGroups v0 for one group → its error code (14 = COORDINATOR_LOAD_IN_PROGRESS, 0 = loaded). */
async function describeGroupError(port, group) {
  const g = Buffer.from(group);
  const body = Buffer.alloc(4 + 2 + g.length);
  body.writeInt32BE(1, 0);
  body.writeInt16BE(g.length, 4);
  g.copy(body, 6);
  const b = await kafkaRequest(port, 15, 0, body, { timeoutMs: 2000 });
  return b.readInt32BE(0) >= 1 ? b.readInt16BE(4) : -1;
}

/**
 * Best effort: make the broker create and load __consumer_offsets and __transaction_state and
 * fetch its first producer-id block now, so the first consumer group / idempotent or
 * transactional producer of a test does not hit COORDINATOR_NOT_AVAILABLE /
 * COORDINATOR_LOAD_IN_PROGRESS (retriable, but kafkajs logs them at ERROR level).
 */
async function warmCoordinators(port, timeoutMs = 15000) {
  const deadline = Date.now() + timeoutMs;
  for (const keyType of [0, 1]) {
    while (Date.now() < deadline) {
      try {
        const r = await probeCoordinator(port, 'cairn-warmup', keyType, { timeoutMs: 2000 });
        if (r.errorCode === 0 && r.nodeId === NODE_ID && (keyType !== 0 || (await describeGroupError(port, 'cairn-warmup')) === 0)) break;
      } catch { /* retry */ }
      await sleep(100);
    }
  }
  // Idempotent producers: in KRaft the first InitProducerId answers COORDINATOR_LOAD_IN_PROGRESS
  // until the broker has fetched a producer-id block from the controller.
  while (Date.now() < deadline) {
    try {
      const body = Buffer.alloc(6);
      body.writeInt16BE(-1, 0); // transactional_id = null
      body.writeInt32BE(60000, 2); // transaction_timeout_ms
      const b = await kafkaRequest(port, 22, 0, body, { timeoutMs: 2000 });
      if (b.readInt16BE(4) === 0) break;
    } catch { /* retry */ }
    await sleep(100);
  }
  return Date.now() < deadline;
}

/** One-shot status of whatever listens on 127.0.0.1:<port>. Never throws. */
async function brokerStatus({ port = 9092, timeoutMs = 3000 } = {}) {
  try {
    const { apis } = await probeApiVersions(port, { timeoutMs });
    let meta = null;
    try { meta = await probeMetadata(port, { timeoutMs }); } catch (e) { meta = { error: e.message }; }
    const ready = !!(meta && meta.brokers && meta.brokers.some((b) => b.nodeId === NODE_ID) && meta.controllerId >= 0);
    return { answering: true, ready, apiCount: apis.size, metadata: meta };
  } catch (e) {
    return { answering: false, ready: false, error: e.message };
  }
}

/* ------------------------------------------------------------------ */
/* Process helpers                                                     */
/* ------------------------------------------------------------------ */

function isAlive(pid) {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return e.code === 'EPERM';
  }
  try { // a zombie still passes kill(0)
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (/\) Z /.test(stat)) return false;
  } catch { /* not Linux or gone */ }
  return true;
}

function commandLineOf(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch { /* fall through */ }
  try {
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** True if pid is a live Kafka broker started by this script with this props file. */
function isOurBroker(pid, propsFile) {
  if (!isAlive(pid)) return false;
  const cmd = commandLineOf(pid);
  return cmd.includes('kafka.Kafka') && (!propsFile || cmd.includes(propsFile));
}

function readPid(file) {
  try {
    const pid = parseInt(fs.readFileSync(file, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function killAndWait(pid, { graceMs = 20000 } = {}) {
  if (!isAlive(pid)) return 'gone';
  try { process.kill(pid, 'SIGTERM'); } catch { /* raced */ }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return 'terminated';
    await sleep(200);
  }
  try { process.kill(pid, 'SIGKILL'); } catch { /* raced */ }
  const hard = Date.now() + 5000;
  while (Date.now() < hard && isAlive(pid)) await sleep(100);
  if (isAlive(pid)) throw new Error(`process ${pid} survived SIGKILL`);
  return 'killed';
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host: HOST, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

function tail(file, lines = 40) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.trim() ? text.split('\n').slice(-lines - 1).join('\n') : '(log is empty)';
  } catch {
    return '(no log)';
  }
}

function run(cmd, args, { cwd = REPO } = {}) {
  return new Promise((resolve, reject) => {
    let out = '';
    let child;
    try {
      child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    } catch (e) {
      return reject(e);
    }
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', (e) => reject(new Error(`cannot run ${cmd}: ${e.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out.split('\n').slice(-40).join('\n')}`));
    });
  });
}

function javaBin() {
  if (process.env.JAVA_HOME) {
    const p = path.join(process.env.JAVA_HOME, 'bin', process.platform === 'win32' ? 'java.exe' : 'java');
    if (fs.existsSync(p)) return p;
  }
  return 'java';
}

/* ------------------------------------------------------------------ */
/* Lock (serialises concurrent ensureBroker calls across processes)    */
/* ------------------------------------------------------------------ */

async function withLock(file, timeoutMs, log, fn) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = readPid(file);
      if (!holder || !isAlive(holder) || holder === process.pid) {
        try { fs.unlinkSync(file); } catch { /* someone else did */ }
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${file} held by pid ${holder}`);
      if (!announced) { log(`[kafka] waiting for another process (pid ${holder}) that is setting up Kafka…`); announced = true; }
      await sleep(250);
    }
  }
  const release = () => { try { if (readPid(file) === process.pid) fs.unlinkSync(file); } catch { /* ignore */ } };
  process.once('exit', release);
  try {
    return await fn();
  } finally {
    release();
    process.removeListener('exit', release);
  }
}

/* ------------------------------------------------------------------ */
/* Jars, storage, config                                               */
/* ------------------------------------------------------------------ */

function pomHash() {
  return crypto.createHash('sha256').update(fs.readFileSync(POM)).digest('hex');
}

async function ensureJars(log) {
  const want = pomHash();
  try {
    if (fs.readFileSync(LIB_MARKER, 'utf8').trim() === want) return false;
  } catch { /* missing → download */ }
  log(`[kafka] downloading Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${path.relative(REPO, LIB)} (first run only)…`);
  const t0 = Date.now();
  fs.rmSync(LIB, { recursive: true, force: true });
  fs.mkdirSync(LIB, { recursive: true });
  await run('mvn', ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${LIB}`]);
  const jars = fs.readdirSync(LIB).filter((f) => f.endsWith('.jar'));
  if (!jars.some((f) => f.startsWith(`kafka_2.13-${KAFKA_VERSION}`))) throw new Error(`Maven finished but ${LIB} has no kafka_2.13-${KAFKA_VERSION}.jar`);
  fs.writeFileSync(LIB_MARKER, want + '\n');
  log(`[kafka] ${jars.length} jars ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return true;
}

function paths(name) {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`invalid broker name "${name}" (use letters, digits, . _ -)`);
  const dir = path.join(CACHE, name);
  return {
    dir,
    data: path.join(dir, 'data'),
    clusterIdFile: path.join(dir, 'cluster.id'),
    props: path.join(dir, 'server.properties'),
    log: path.join(dir, 'broker.log'),
    pidFile: path.join(dir, 'broker.pid'),
  };
}

function renderProps(p, port, controllerPort) {
  const escape = (v) => String(v).replace(/\\/g, '\\\\');
  const values = { PORT: port, CONTROLLER_PORT: controllerPort, LOG_DIRS: escape(p.data), HOST };
  const text = fs.readFileSync(TEMPLATE, 'utf8').replace(/\$\{([A-Z_]+)\}/g, (m, k) => {
    if (!(k in values)) throw new Error(`server.properties.template: unknown placeholder ${m}`);
    return String(values[k]);
  });
  fs.writeFileSync(p.props, text);
}

/** Kafka Uuid: 16 random bytes, base64url (22 chars), never starting with '-' (Kafka's own rule). */
function newClusterId() {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function jvmBaseArgs() {
  return ['-Djava.awt.headless=true', `-Dlog4j.configuration=file:${LOG4J}`, '-cp', path.join(LIB, '*')];
}

async function formatStorage(p, log) {
  let clusterId = null;
  try { clusterId = fs.readFileSync(p.clusterIdFile, 'utf8').trim(); } catch { /* new */ }
  const metaFile = path.join(p.data, 'meta.properties');
  if (clusterId && fs.existsSync(metaFile)) {
    const meta = fs.readFileSync(metaFile, 'utf8');
    if (meta.includes(`cluster.id=${clusterId}`)) return clusterId; // already formatted
    throw new Error(`${metaFile} belongs to another cluster id than ${p.clusterIdFile}; rerun with --fresh`);
  }
  if (!clusterId) {
    clusterId = newClusterId();
    fs.writeFileSync(p.clusterIdFile, clusterId + '\n');
  }
  fs.mkdirSync(p.data, { recursive: true });
  log(`[kafka] formatting ${path.relative(REPO, p.data)} (cluster id ${clusterId})`);
  await run(javaBin(), ['-Xmx256m', ...jvmBaseArgs(), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', p.props, '--ignore-formatted']);
  return clusterId;
}

/* ------------------------------------------------------------------ */
/* Public API                                                          */
/* ------------------------------------------------------------------ */

async function waitReady(port, { timeoutMs, child, p }) {
  const deadline = Date.now() + timeoutMs;
  let exited = null;
  if (child) child.once('exit', (code, signal) => { exited = { code, signal }; });
  let last = 'not answering yet';
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(`Kafka broker exited during start-up (code ${exited.code}, signal ${exited.signal}). Last lines of ${p.log}:\n${tail(p.log)}`);
    }
    const s = await brokerStatus({ port, timeoutMs: 2000 });
    if (s.ready) return s;
    last = s.answering ? `answering, metadata not ready (${JSON.stringify(s.metadata)})` : s.error;
    await sleep(250);
  }
  const logPart = p ? `\nLast lines of ${p.log}:\n${tail(p.log)}` : '';
  throw new Error(`Kafka on ${HOST}:${port} not ready after ${Math.round(timeoutMs / 1000)} s (${last})${logPart}`);
}

async function stopPid(pid, pidFile) {
  const how = await killAndWait(pid);
  try { if (readPid(pidFile) === pid) fs.unlinkSync(pidFile); } catch { /* ignore */ }
  return how;
}

/**
 * Make sure a Kafka broker answers on 127.0.0.1:<port>; start one if needed.
 * @returns {Promise<{brokers: string[], started: boolean, stop: () => Promise<void>, pid: number|null}>}
 */
async function ensureBroker({
  port = 9092,
  controllerPort = port + 1,
  name = 'dev',
  log = console.log,
  fresh = false,
  timeoutMs = Number(process.env.CAIRN_KAFKA_READY_TIMEOUT_MS ?? 90000),
} = {}) {
  const p = paths(name);
  const brokers = [`${HOST}:${port}`];

  return withLock(path.join(CACHE, '.lock'), 15 * 60 * 1000, log, async () => {
    const recordedPid = readPid(p.pidFile);
    const ours = recordedPid && isOurBroker(recordedPid, p.props) ? recordedPid : null;

    // 1. Something already speaks Kafka on the port → reuse (unless fresh and it is our own broker).
    const first = await brokerStatus({ port, timeoutMs: 3000 });
    if (first.answering && !(fresh && ours)) {
      if (fresh) log(`[kafka] ${HOST}:${port} is served by a broker not started under name "${name}"; reusing it (fresh ignored)`);
      if (!first.ready) await waitReady(port, { timeoutMs, p: null });
      return { brokers, started: false, stop: async () => {}, pid: ours };
    }

    // 2. Leftover broker from an earlier run (pid file, not answering — or fresh restart).
    if (ours) {
      log(`[kafka] stopping broker "${name}" (pid ${ours}): ${first.answering ? "fresh restart" : `stale or serving another port than ${port}`}`);
      await stopPid(ours, p.pidFile);
    } else if (recordedPid) {
      try { fs.unlinkSync(p.pidFile); } catch { /* ignore */ }
    }

    // 3. Ports must be free now.
    for (const [what, n] of [['client', port], ['controller', controllerPort]]) {
      if (!(await portIsFree(n))) throw new Error(`Kafka ${what} port ${HOST}:${n} is in use by something that is not a ready Kafka broker; pick another --port or stop it`);
    }

    // 4. Jars, storage, config.
    fs.mkdirSync(p.dir, { recursive: true });
    await ensureJars(log);
    if (fresh) {
      fs.rmSync(p.data, { recursive: true, force: true });
      fs.rmSync(p.clusterIdFile, { force: true });
    }
    renderProps(p, port, controllerPort);
    await formatStorage(p, log);

    // 5. Launch, detached from our stdin/session; output to broker.log (previous run kept as broker.log.1).
    if (fs.existsSync(p.log)) fs.renameSync(p.log, p.log + '.1');
    const fd = fs.openSync(p.log, 'w');
    const args = [
      '-Xms256m', '-Xmx512m', '-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20', '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent', '-XX:+ExitOnOutOfMemoryError', `-Dkafka.logs.dir=${p.dir}`,
      ...jvmBaseArgs(), 'kafka.Kafka', p.props,
    ];
    const t0 = Date.now();
    log(`[kafka] starting broker "${name}" on ${HOST}:${port} (controller ${controllerPort}); log: ${path.relative(REPO, p.log)}`);
    const child = spawn(javaBin(), args, { cwd: p.dir, detached: true, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    const spawnError = new Promise((_, reject) => child.once('error', (e) => reject(new Error(`cannot start java: ${e.message}`))));
    spawnError.catch(() => {});
    if (!child.pid) await spawnError; // e.g. java not on PATH
    const pid = child.pid;
    fs.writeFileSync(p.pidFile, String(pid) + '\n');
    child.unref();

    try {
      await Promise.race([waitReady(port, { timeoutMs, child, p }), spawnError]);
    } catch (e) {
      await stopPid(pid, p.pidFile).catch(() => {});
      throw e;
    }
    await warmCoordinators(port);
    log(`[kafka] broker "${name}" ready at ${brokers[0]} in ${((Date.now() - t0) / 1000).toFixed(1)} s (pid ${pid})`);

    let stopped = null;
    const stop = () => (stopped ||= stopPid(pid, p.pidFile).then(() => {}));
    return { brokers, started: true, stop, pid };
  });
}

/** Stop the broker recorded under <name> (pid file). Resolves to what happened. */
async function stopBroker({ name = 'dev' } = {}) {
  const p = paths(name);
  const pid = readPid(p.pidFile);
  if (!pid) return { stopped: false, reason: 'no pid file' };
  if (!isOurBroker(pid, p.props)) {
    fs.rmSync(p.pidFile, { force: true });
    return { stopped: false, reason: `pid ${pid} is not running a Kafka broker (stale pid file removed)` };
  }
  const how = await stopPid(pid, p.pidFile);
  return { stopped: true, pid, how };
}

/* ------------------------------------------------------------------ */
/* CLI                                                                 */
/* ------------------------------------------------------------------ */

function parseArgs(argv) {
  const out = { _: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--fresh') out.fresh = true;
    else if (a === '--help' || a === '-h') out.help = true;
    else if (/^--(port|controller-port|name|timeout)$/.test(a)) {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      out[a.slice(2)] = argv[++i];
    } else if (/^--(port|controller-port|name|timeout)=/.test(a)) {
      const [k, v] = a.slice(2).split(/=(.*)/s);
      out[k] = v;
    } else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else out._.push(a);
  }
  for (const k of ['port', 'controller-port', 'timeout']) {
    if (out[k] !== undefined) {
      const n = Number(out[k]);
      if (!Number.isInteger(n) || n <= 0 || (k !== 'timeout' && n > 65535)) throw new Error(`--${k} must be a positive integer`);
      out[k] = n;
    }
  }
  return out;
}

const USAGE = `usage:
  node infra/kafka/broker.js start  [--port N] [--controller-port N] [--name X] [--fresh] [--timeout SECONDS]
  node infra/kafka/broker.js stop   [--name X]
  node infra/kafka/broker.js status [--port N] [--name X]
defaults: --port 9092, --controller-port port+1, --name dev`;

async function main(argv) {
  const args = parseArgs(argv);
  const cmd = args._[0];
  if (args.help || !cmd) { console.log(USAGE); return args.help ? 0 : 2; }
  const name = args.name || 'dev';
  const port = args.port || 9092;
  const progress = (m) => console.error(m);

  if (cmd === 'start') {
    const r = await ensureBroker({
      port, controllerPort: args['controller-port'], name, fresh: !!args.fresh, log: progress,
      timeoutMs: args.timeout ? args.timeout * 1000 : undefined,
    });
    if (!r.started) progress(`[kafka] a broker already answers on ${r.brokers[0]}; reusing it`);
    console.log(r.brokers.join(','));
    return 0;
  }
  if (cmd === 'stop') {
    const r = await stopBroker({ name });
    if (r.stopped) console.log(`stopped Kafka broker "${name}" (pid ${r.pid}, ${r.how})`);
    else console.log(`Kafka broker "${name}" not running: ${r.reason}`);
    return 0;
  }
  if (cmd === 'status') {
    const s = await brokerStatus({ port });
    const pid = readPid(paths(name).pidFile);
    const pidInfo = pid ? ` pid file (${name}): ${pid}${isAlive(pid) ? '' : ' (dead)'}` : '';
    if (s.ready) {
      const b = s.metadata.brokers.map((x) => `${x.nodeId}@${x.host}:${x.port}`).join(',');
      console.log(`Kafka ready on ${HOST}:${port}: brokers ${b}, controller ${s.metadata.controllerId}, ${s.apiCount} APIs.${pidInfo}`);
      return 0;
    }
    if (s.answering) {
      console.log(`Kafka answering on ${HOST}:${port} but metadata not ready: ${JSON.stringify(s.metadata)}.${pidInfo}`);
      return 1;
    }
    console.log(`Kafka not running on ${HOST}:${port} (${s.error}).${pidInfo}`);
    return 1;
  }
  console.error(`unknown command "${cmd}"\n${USAGE}`);
  return 2;
}

module.exports = { ensureBroker, stopBroker, brokerStatus, probeApiVersions, probeMetadata, ensureJars, KAFKA_VERSION, REPO, CACHE };

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => { console.error(`kafka broker: ${e.message}`); process.exit(1); },
  );
}
