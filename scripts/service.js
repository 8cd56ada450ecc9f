#!/usr/bin/env node
'use strict';
// The Cairn image's entrypoint: `CAIRN_SERVICE=<name>` (or the first argument) picks the service
// under services/<name>; `provision` runs the topics + migrations job instead. A name that has no
// build in the image is refused with the list of those that do.
const { existsSync, readdirSync } = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');
const what = process.argv[2] ?? process.env.CAIRN_SERVICE;

if (what === 'provision') {
  require('./provision').provision().then(() => process.exit(0), (e) => {
    process.stderr.write(`[provision] failed: ${e.stack ?? e}\n`);
    process.exit(1);
  });
} else {
  const available = readdirSync(path.join(REPO, 'services')).filter((s) => existsSync(path.join(REPO, 'services', s, 'dist', 'main.js')));
  if (!what || !available.includes(what)) {
    process.stderr.write(`cairn: set CAIRN_SERVICE (or pass a name) to one of: ${available.join(', ')}, or "provision"`
      + `${what ? ` (got "${what}")` : ''}\n`);
    process.exit(64);
  }
  process.env.CAIRN_SERVICE = what;
  require(path.join(REPO, 'services', what, 'dist', 'main.js'));
}
