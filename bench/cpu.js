'use strict';
// CPU accounting shared by the benchmarks: what each process of the box spent during a measured phase.

/** CPU seconds (user + system) a process has used so far; Linux /proc, 0 elsewhere or once it is gone. */
function cpuSeconds(pid) {
  try {
    const fields = require('node:fs').readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/**
 * CPU seconds so far of named processes ({ name: pid }) and of the Postgres backends serving
 * `database` (read by pid each time: the pools open and close them).
 */
async function cpuSnapshot(pg, database, pids) {
  const r = await pg.query('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return {
    named: Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, pid ? cpuSeconds(pid) : 0])),
    backends: new Map(r.rows.map((x) => [x.pid, cpuSeconds(x.pid)])),
  };
}

/** Seconds spent between two snapshots: one entry per named process, and `postgres` for the backends. */
function cpuSpent(before, after) {
  const spent = {};
  for (const [name, s] of Object.entries(after.named)) spent[name] = s - (before.named[name] ?? 0);
  spent.postgres = 0;
  for (const [pid, s] of after.backends) spent.postgres += s - (before.backends.get(pid) ?? 0);
  return spent;
}

module.exports = { cpuSeconds, cpuSnapshot, cpuSpent };
