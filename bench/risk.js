#!/usr/bin/env node
'use strict';
// `npm run bench:risk [-- --json]`: the signal-to-alert latency (bench/signal-to-alert.js) and
// the full health recompute of 100,000 accounts (bench/recompute.js), one after the other on
// the same machine, then both figures together.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const json = process.argv.includes('--json');
const figures = {};
for (const part of ['signal-to-alert.js', 'recompute.js']) {
  const r = spawnSync(process.execPath, [path.join(__dirname, part), '--json'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  const lines = r.stdout.trimEnd().split('\n');
  process.stdout.write(`${lines.slice(0, -1).join('\n')}\n`);
  if (r.status !== 0) {
    process.stderr.write(`bench/${part} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
  Object.assign(figures, JSON.parse(lines[lines.length - 1]));
}
process.stdout.write(`\nrisk path: signal → alert p50 ${figures.signalToAlertP50Ms} ms, p99 ${figures.signalToAlertP99Ms} ms (target ≤ 2000); ` +
  `full recompute of 100k accounts ${figures.fullRecompute100kMs} ms (target ≤ 60000)\n`);
if (json) process.stdout.write(`${JSON.stringify(figures)}\n`);
