#!/usr/bin/env node
'use strict';
// Renders the README's event catalog from the topic registry (libs/contracts) and the
// @EventPattern handlers found in services/*/src. `node scripts/event-catalog.js --write`
// updates README.md; a unit test fails when README and code disagree.
const { readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

function tsFiles(dir) {
  let out = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) out.push(p);
  }
  return out;
}

/** topic key in the registry → services whose source has @EventPattern(Topics.<key>.name) */
function consumersByTopicKey() {
  const result = {};
  const servicesDir = path.join(REPO, 'services');
  for (const service of readdirSync(servicesDir).sort()) {
    const src = path.join(servicesDir, service, 'src');
    try { statSync(src); } catch { continue; }
    for (const file of tsFiles(src)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/@EventPattern\(\s*Topics\.(\w+)\.name/g)) {
        (result[m[1]] ??= new Set()).add(service);
      }
    }
  }
  return result;
}

/** Topic keys and their registry entries, read from the TypeScript source (no build needed). */
function registry() {
  const src = readFileSync(path.join(REPO, 'libs', 'contracts', 'src', 'topics.ts'), 'utf8');
  const entries = [];
  const re = /(\w+): topic\('([a-z.-]+)', (\d+), \w+, '(\w+)',\s*'((?:[^'\\]|\\.)*)'\)/g;
  for (const m of src.matchAll(re)) entries.push({ key: m[1], name: `cairn.${m[2]}.v${m[3]}`, producer: m[4], description: m[5].replace(/\\'/g, "'") });
  return entries;
}

function renderCatalog() {
  const consumers = consumersByTopicKey();
  const rows = registry().map((t) =>
    `| \`${t.name}\` | ${t.producer} | ${[...(consumers[t.key] ?? [])].join(', ') || '—'} | ${t.description} |`);
  return ['| topic | produced by | consumed by | what it says |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

function readmeWithCatalog(readme) {
  return readme.replace(/(<!-- event-catalog:start -->\n)[\s\S]*?(<!-- event-catalog:end -->)/, `$1${renderCatalog()}\n$2`);
}

if (require.main === module) {
  const file = path.join(REPO, 'README.md');
  const updated = readmeWithCatalog(readFileSync(file, 'utf8'));
  if (process.argv.includes('--write')) writeFileSync(file, updated);
  else process.stdout.write(`${renderCatalog()}\n`);
}

module.exports = { renderCatalog, readmeWithCatalog, registry };
