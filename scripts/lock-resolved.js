#!/usr/bin/env node
'use strict';
// Fills in the tarball URL (`resolved`) of every registry package in package-lock.json that has
// none, from its name and version on the registry npm is configured with (`npm config get
// registry`). Locks written on this project's machines record no download addresses; with them,
// `npm ci --offline` finds every tarball in a copied cache by URL and integrity, without the
// registry documents it would otherwise look up. Used by the Dockerfile on its own copy of the
// lock; the committed lock stays as it is.
const { execFileSync } = require('node:child_process');
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const file = path.resolve(process.argv[2] ?? 'package-lock.json');
const registry = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
const lock = JSON.parse(readFileSync(file, 'utf8'));
let filled = 0;
for (const [at, p] of Object.entries(lock.packages)) {
  if (!at.includes('node_modules/') || p.link || p.resolved || !p.version || !p.integrity) continue;
  const name = p.name ?? at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
  p.resolved = `${registry}${name}/-/${name.split('/').pop()}-${p.version}.tgz`;
  filled++;
}
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
process.stdout.write(`lock-resolved: ${filled} tarball URLs filled in\n`);
