'use strict';
// Runs benchmark scripts one after the other (each with --json), echoes what they print as they
// print it, and merges the JSON objects of their last lines. Used by `npm run bench` and
// `npm run bench:risk`.
const { spawn } = require('node:child_process');
const path = require('node:path');

function runPart(script, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(__dirname, script), '--json', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let pending = '';
    let last;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d) => {
      pending += d;
      let i;
      while ((i = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, i);
        pending = pending.slice(i + 1);
        // The figures line is held back until the part ends: only the last line is the result.
        if (last !== undefined) process.stdout.write(`${last}\n`);
        last = line;
      }
    });
    child.on('close', (status) => resolve({ status, last: pending || last }));
  });
}

async function runParts(parts) {
  const figures = {};
  for (const { script, args = [] } of parts) {
    process.stdout.write(`\n=== bench/${script} ${args.join(' ')}\n`);
    const { status, last } = await runPart(script, args);
    let out;
    try { out = JSON.parse(last); } catch { process.stdout.write(`${last ?? ''}\n`); }
    if (status !== 0 || !out) {
      process.stderr.write(`bench/${script} failed (exit ${status})\n`);
      process.exit(status || 1);
    }
    for (const [k, v] of Object.entries(out)) {
      // Each part records the machine's load around it; keep them apart.
      figures[/^loadAverage/.test(k) ? `${k}.${script.replace(/\.js$/, '')}` : k] = v;
    }
  }
  return figures;
}

module.exports = { runParts };
