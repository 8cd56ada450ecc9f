#!/usr/bin/env node
'use strict';
// `npm run user -- add --workspace demo --email ana@example.com --role csm`: console users (see services/console/src/cli.ts).
const path = require('node:path');
const { existsSync } = require('node:fs');
const cli = path.join(__dirname, '..', 'services', 'console', 'dist', 'cli.js');
if (!existsSync(cli)) {
  process.stderr.write('the console is not built yet: run `npm run build` first\n');
  process.exit(1);
}
require(cli).main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
  process.stderr.write(`${e.problems ? e.problems.map((p) => `error: ${p}`).join('\n') : e.stack ?? e}\n`);
  process.exit(e.problems ? 64 : 1);
});
