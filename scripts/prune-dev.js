#!/usr/bin/env node
'use strict';
// Removes the packages package-lock.json marks as development-only ("dev": true) from an installed
// node_modules, and the .bin links left dangling. `npm prune --omit=dev` does the same but wants
// registry metadata this project's locks do not record (no `resolved` URLs), which an offline
// image build cannot fetch; the lock alone is enough here. Used by the Dockerfile.
const { readFileSync, rmSync, readdirSync, existsSync, lstatSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(process.argv[2] ?? '.');
const { packages } = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
let removed = 0;
for (const [at, p] of Object.entries(packages)) {
  if (!at || !p.dev || !at.includes('node_modules/')) continue;
  const dir = path.join(root, at);
  if (existsSync(dir)) { rmSync(dir, { recursive: true, force: true }); removed++; }
}
const bins = path.join(root, 'node_modules', '.bin');
let links = 0;
if (existsSync(bins)) {
  for (const f of readdirSync(bins)) {
    const p = path.join(bins, f);
    if (lstatSync(p).isSymbolicLink() && !existsSync(p)) { rmSync(p); links++; }
  }
}
process.stdout.write(`prune-dev: removed ${removed} development packages and ${links} dangling .bin links\n`);
