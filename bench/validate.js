#!/usr/bin/env node
'use strict';
// `npm run bench:validate [-- --json]`: what checking one consumed usage event costs, class-validator
// (plainToInstance + validateSync, the reference) against the compiled JSON Schema (ajv) that the
// transport now uses first. Same process, same events, interleaved rounds; prints µs per event and the ratio.
require('reflect-metadata');
const { Topics, buildEnvelope, validateEnvelope, validateWithDecorators } = require('../libs/contracts/dist');

const JSON_OUT = process.argv.includes('--json');
const N = 20_000;
const events = Array.from({ length: N }, (_, i) => JSON.parse(JSON.stringify(buildEnvelope(Topics.usageEvent, 'ingestion', {
  workspaceId: 'bench', accountId: `acct-${i % 1000}`,
  data: {
    messageId: `m-${i}`, callType: 'track', event: 'Report Exported', userId: `user-${i % 10_000}`, groupId: `acct-${i % 1000}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 10, 0, i % 60)).toISOString(), receivedAt: '2026-11-20T10:00:05.000Z',
    properties: { plan: 'growth', path: `/reports/${i % 97}`, rows: i % 1000, filters: { region: 'emea' }, note: 'x'.repeat(300) },
    context: { groupId: `acct-${i % 1000}`, library: { name: 'analytics-node', version: '3.1.0' }, ip: '203.0.113.7' },
    sourceId: 'web',
  },
}))));

function run(fn) {
  const t0 = process.hrtime.bigint();
  for (const e of events) fn(Topics.usageEvent, e);
  return Number(process.hrtime.bigint() - t0) / 1000 / N; // µs per event
}
const rounds = { decorators: [], compiled: [] };
for (let r = 0; r < 5; r++) {
  rounds.decorators.push(run(validateWithDecorators));
  rounds.compiled.push(run(validateEnvelope));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const decorators = median(rounds.decorators);
const compiled = median(rounds.compiled);
console.log(`usage event validation, median of 5 rounds × ${N.toLocaleString('en-US')} events`);
console.log(`  class-validator + class-transformer  ${decorators.toFixed(2)} µs/event`);
console.log(`  compiled JSON Schema (ajv)           ${compiled.toFixed(2)} µs/event   (${(decorators / compiled).toFixed(1)}× faster)`);
if (JSON_OUT) console.log(JSON.stringify({ decoratorsUsPerEvent: +decorators.toFixed(3), compiledUsPerEvent: +compiled.toFixed(3), speedup: +(decorators / compiled).toFixed(2) }));
