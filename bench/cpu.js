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

/** Context switches so far of a process's main thread (each one a wake-up of its event loop, near enough). */
function wakeUps(pid) {
  try {
    const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/voluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU of a platform doing nothing, over `seconds`: per named process ({ name: pid }), the
 * Postgres backends serving `database`, in all as % of one core, and each named process's
 * main-thread wake-ups per second. `pg` is a connected pg client (its own backend is left out).
 */
async function idleCpu(pg, database, pids, seconds) {
  const wakes0 = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, wakeUps(pid)]));
  const before = await cpuSnapshot(pg, database, pids);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const after = await cpuSnapshot(pg, database, pids);
  const wall = (Date.now() - t0) / 1000;
  const spent = cpuSpent(before, after);
  const pctOfCore = Object.fromEntries(Object.entries(spent).map(([name, s]) => [name, (s / wall) * 100]));
  const wakesPerSecond = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, (wakeUps(pid) - wakes0[name]) / wall]));
  const total = Object.values(pctOfCore).reduce((a, b) => a + b, 0);
  return { seconds: wall, pctOfCore, total, wakesPerSecond };
}

/**
 * Resolves once the platform has nothing left to do: every consumer group of `groups` has
 * committed every partition of the topics it reads, and no service's outbox has a row pending
 * (`pg` on the services' database; schemas from `schemas`) — twice in a row, a second apart.
 */
async function quiesce({ kafka, pg, groups, schemas, timeoutMs = 300_000 }) {
  const admin = kafka.admin();
  await admin.connect();
  const deadline = Date.now() + timeoutMs;
  let quietTimes = 0;
  try {
    while (quietTimes < 2) {
      if (Date.now() > deadline) throw new Error(`the platform did not become quiet within ${timeoutMs / 1000} s`);
      let behind = 0;
      for (const groupId of groups) {
        for (const t of await admin.fetchOffsets({ groupId })) {
          const ends = new Map((await admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, Number(p.high)]));
          for (const p of t.partitions) behind += Math.max(0, (ends.get(p.partition) ?? 0) - Math.max(0, Number(p.offset)));
        }
      }
      for (const schema of schemas) {
        const r = await pg.query(`SELECT count(*)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`).catch(() => ({ rows: [{ n: 0 }] }));
        behind += r.rows[0].n;
      }
      quietTimes = behind === 0 ? quietTimes + 1 : 0;
      await sleep(1000);
    }
  } finally {
    await admin.disconnect();
  }
}

/** One line per process: `name 1.23 % (45 wake-ups/s)`. */
function formatIdle(idle) {
  return Object.entries(idle.pctOfCore).sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v.toFixed(2)} %${idle.wakesPerSecond[k] !== undefined ? ` (${Math.round(idle.wakesPerSecond[k])} wake-ups/s)` : ''}`).join(', ');
}

/** Load average of the machine (1, 5, 15 min), to say how busy it was around a figure. */
const loadAverage = () => require('node:os').loadavg().map((x) => Math.round(x * 100) / 100);

module.exports = { cpuSeconds, cpuSnapshot, cpuSpent, wakeUps, idleCpu, quiesce, formatIdle, loadAverage };
