'use strict';
// Starts the services as child processes with one environment; used by `npm start` and the benchmarks.
const { spawn } = require('node:child_process');
const { createWriteStream, mkdirSync } = require('node:fs');
const path = require('node:path');
const { REPO, log } = require('./infra');

const SERVICES = [
  { name: 'ingestion', port: 3001 },
  { name: 'surveys', port: 3002 },
  { name: 'health', port: 3003 },
  { name: 'playbooks', port: 3004 },
  { name: 'renewals', port: 3005 },
  { name: 'relationships', port: 3007 },
  { name: 'console', port: 3006 },
];

/** The console reaches the other services at their ports (shifted by the same offset). */
function consoleEnv(portOffset) {
  const url = (name) => `http://127.0.0.1:${SERVICES.find((s) => s.name === name).port + portOffset}`;
  return {
    CONSOLE_INGESTION_URL: url('ingestion'), CONSOLE_SURVEYS_URL: url('surveys'), CONSOLE_HEALTH_URL: url('health'),
    CONSOLE_PLAYBOOKS_URL: url('playbooks'), CONSOLE_RENEWALS_URL: url('renewals'),
  };
}

async function waitHealthy(url, child, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) return true;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  return false;
}

/**
 * Spawns every service, writes each one's JSON log to <logDir>/<service>.log, echoes warnings
 * and errors to the console, and resolves when all answer GET /health with 200.
 */
async function startServices({ env, logDir, portOffset = 0, quiet = false, running = [], only, healthyTimeoutMs = 90000 }) {
  // `running` may be the caller's own array, so a signal during start-up can stop what was spawned.
  // `only`: the names to start (the fault suite restarts one service at a time); all by default.
  mkdirSync(logDir, { recursive: true });
  for (const s of SERVICES.filter((x) => !only || only.includes(x.name))) {
    const port = s.port + portOffset;
    const file = path.join(logDir, `${s.name}.log`);
    const out = createWriteStream(file, { flags: 'a' });
    // CAIRN_CPU_PROFILE_DIR=<dir>: each service writes a V8 CPU profile there when it stops (benchmarks, diagnosis).
    const profile = process.env.CAIRN_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.CAIRN_CPU_PROFILE_DIR)}`, `--cpu-prof-name=${s.name}.cpuprofile`] : [];
    const child = spawn(process.execPath, [...profile, path.join(REPO, 'services', s.name, 'dist', 'main.js')], {
      cwd: REPO, env: { ...process.env, ...(s.name === 'console' ? consoleEnv(portOffset) : {}), ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(out);
    child.stderr.pipe(out);
    if (!quiet) {
      let buffered = '';
      child.stdout.on('data', (d) => {
        buffered += d;
        let i;
        while ((i = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, i);
          buffered = buffered.slice(i + 1);
          try {
            const j = JSON.parse(line);
            if (j.level === 'warn' || j.level === 'error' || j.level === 'fatal') log(`${s.name} ${j.level}: ${j.msg}${j.error ? ` (${j.error})` : ''}`);
          } catch { /* not JSON */ }
        }
      });
      child.stderr.on('data', (d) => process.stderr.write(`[${s.name}] ${d}`));
    }
    running.push({ ...s, port, url: `http://127.0.0.1:${port}`, child, logFile: file });
  }
  const results = await Promise.all(running.map((r) => waitHealthy(r.url, r.child, healthyTimeoutMs)));
  const failed = running.filter((_, i) => !results[i]);
  if (failed.length) {
    await stopServices(running);
    throw new Error(`not healthy: ${failed.map((f) => `${f.name} (log: ${path.relative(REPO, f.logFile)})`).join(', ')}`);
  }
  return running;
}

async function stopServices(running) {
  await Promise.all(running.map(({ child }) => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  })));
}

/**
 * Creates every registry topic (and its .dlq) once, before five services start at the same
 * moment and race to create them (harmless, but kafkajs logs each lost race as an error).
 */
async function provisionAll({ brokers, partitions = 6, namespace }) {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  require('reflect-metadata');
  const { ALL_TOPICS, wireTopicName } = require('../libs/contracts/dist');
  const { createKafka, provisionTopics } = require('../libs/messaging/dist');
  const kafka = createKafka({ brokers: brokers.split(','), clientId: 'cairn-start' });
  await provisionTopics(kafka, ALL_TOPICS.map((t) => wireTopicName(t.name, namespace)), { partitions, replicationFactor: 1 });
}

module.exports = { SERVICES, startServices, stopServices, provisionAll };
