'use strict';
// Runs benchmark scripts one after the other (each with --json), echoes what they print and
// merges the JSON objects of their last lines. Used by `npm run bench` and `npm run bench:risk`.
const { spawnSync } = require('node:child_process');
const path = require('node:path');

function runParts(parts) {
  const figures = {};
  for (const { script, args = [] } of parts) {
    process.stdout.write(`\n=== bench/${script} ${args.join(' ')}\n`);
    const r = spawnSync(process.execPath, [path.join(__dirname, script), '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const lines = (r.stdout ?? '').trimEnd().split('\n');
    let out;
    try { out = JSON.parse(lines[lines.length - 1]); } catch { out = undefined; }
    process.stdout.write(`${(out ? lines.slice(0, -1) : lines).join('\n')}\n`);
    if (r.status !== 0 || !out) {
      process.stderr.write(`bench/${script} failed (exit ${r.status})\n`);
      process.exit(r.status || 1);
    }
    for (const [k, v] of Object.entries(out)) {
      // Each part records the machine's load around it; keep them apart.
      figures[/^loadAverage/.test(k) ? `${k}.${script.replace(/\.js$/, '')}` : k] = v;
    }
  }
  return figures;
}

module.exports = { runParts };
