#!/usr/bin/env node
'use strict';
// Part of `npm run build`: type-checks and bundles the console's web app (services/console/web)
// with Vite into services/console/web/dist, which the console service serves.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const REPO = path.resolve(__dirname, '..');
const WEB = path.join(REPO, 'services', 'console', 'web');
const bin = (name) => path.join(REPO, 'node_modules', '.bin', name);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: WEB, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run(bin('tsc'), ['-p', 'tsconfig.json']);
run(bin('vite'), ['build', '--logLevel', 'warn']);
