#!/usr/bin/env node
'use strict';
// `npm run bench:risk [-- --json]`: the risk path against its floor chain (bench/signal-to-alert.js:
// idle CPU, rising rates, CPU per departure) and the full health recompute of 100,000 accounts
// against its SQL floor (bench/recompute.js), one after the other on the same machine.
const { runParts } = require('./suite');

(async () => {
const figures = await runParts([{ script: 'signal-to-alert.js' }, { script: 'recompute.js' }]);
process.stdout.write(`\nrisk path: idle ${figures.idleCpuPctOfCore} % of a core; p99 at 5/s ${figures.signalToAlertP99MsAt5} ms; `
  + `highest rate at p99 ≤ 2 s ${figures.sustainableRatePerSecond}/s (${figures.sustainableRateVsFloor} × floor); `
  + `CPU per departure ${figures.cpuMsPerDepartureAboveIdle} ms (${figures.cpuPerDepartureVsFloor} × floor); `
  + `recompute of 100k accounts ${figures.recompute100kMs} ms (${figures.recomputeVsFloor} × its SQL floor)\n`);
if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures)}\n`);
})();
