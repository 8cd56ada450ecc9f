#!/usr/bin/env node
'use strict';
// `npm run bench [-- --json]`: every benchmark, one after the other, each with the floor it
// measured in the same run, then one table (and with --json one JSON line of every figure).
//   bench/ingest.js          raw kafkajs producer, rollups and their bare-consumer floor, HTTP intake
//   bench/signal-to-alert.js idle platform, risk path vs its floor chain (rising rates, CPU per departure)
//   bench/recompute.js       full health recompute of 100,000 accounts vs one SQL pass
// A few minutes on a 2-core box. Figures move with the machine and with its other load (the
// load average before and after each part is in the JSON); the ratios to the floors much less.
const os = require('node:os');
const { runParts } = require('./suite');

const load0 = os.loadavg().map((x) => Math.round(x * 100) / 100);
const t0 = Date.now();
(async () => {
const f = await runParts([{ script: 'ingest.js' }, { script: 'signal-to-alert.js' }, { script: 'recompute.js' }]);
f.loadAverageBefore = load0;
f.loadAverageAfter = os.loadavg().map((x) => Math.round(x * 100) / 100);
const n = (x) => (x === null || x === undefined ? '–' : typeof x === 'number' ? x.toLocaleString('en-US') : String(x));
const rows = [
  ['idle platform, % of one core (5 services + broker + PostgreSQL)', n(f.idleCpuPctOfCore), '—', '—', '≤ 3'],
  ['HTTP intake, events/s', n(f.httpIngestEps), `raw producer ${n(f.rawProducerEps)} msgs/s`, n(f.httpVsRaw), '≥ 0.8 × raw'],
  ['rollups, events/s', n(f.rollupEps), `bare consumer ${n(f.rollupFloorEps)}`, `${n(f.rollupVsRaw)} × raw, ${n(f.rollupVsFloor)} × floor`, '≥ 1.0 × raw'],
  ['signal → alert p99 at 5/s, ms', n(f.signalToAlertP99MsAt5), `floor chain ${n(f.floorP99MsAt5)}`, '—', '≤ 250'],
  ['highest rate with p99 ≤ 2 s, departures/s', `${f.sustainableRateAtLeast ? '≥ ' : ''}${n(f.sustainableRatePerSecond)}`,
    `floor chain ${f.floorSustainableRateAtLeast ? '≥ ' : ''}${n(f.floorSustainableRatePerSecond)}`, n(f.sustainableRateVsFloor), '≥ 0.5 × floor'],
  [`CPU per departure above idle at ${n(f.cpuRatePerSecond)}/s, ms`, n(f.cpuMsPerDepartureAboveIdle), `floor chain ${n(f.floorCpuMsPerDepartureAboveIdle)}`, n(f.cpuPerDepartureVsFloor), '≤ 10 ms'],
  ['full recompute of 100k accounts, ms', n(f.recompute100kMs), `one SQL pass ${n(f.recomputeFloorMs)}`, n(f.recomputeVsFloor), '≤ 3 × floor and ≤ 15,000'],
];
const head = ['figure', 'value', 'floor (same run)', 'ratio', 'target'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
process.stdout.write(`\n${line(head)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
process.stdout.write(`${os.cpus().length} cores; load average before ${load0.join(' ')}, after ${f.loadAverageAfter.join(' ')}; ${((Date.now() - t0) / 60000).toFixed(1)} min\n`);
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(f)}\n`);
})();
