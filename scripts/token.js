#!/usr/bin/env node
'use strict';
// Issues an API token for a workspace: `npm run token -- --workspace demo [--subject ana@example.com] [--ttl 86400]`.
// Signs with CAIRN_AUTH_SECRET, or the development secret `npm start` keeps in .cache/.
const { existsSync, readFileSync } = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const opt = (name, fallback) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : fallback; };
const workspaceId = opt('workspace');
if (!workspaceId) {
  process.stderr.write('usage: npm run token -- --workspace <id> [--subject <who>] [--ttl <seconds>]\n');
  process.exit(2);
}
const devFile = path.join(__dirname, '..', '.cache', 'dev-auth-secret');
const secret = process.env.CAIRN_AUTH_SECRET ?? (existsSync(devFile) ? readFileSync(devFile, 'utf8').trim() : undefined);
if (!secret) {
  process.stderr.write('CAIRN_AUTH_SECRET is not set and there is no development secret yet (run `npm start` once)\n');
  process.exit(2);
}
const { issueApiToken } = require('../libs/auth/dist');
const ttl = opt('ttl');
process.stdout.write(`${issueApiToken({ workspaceId, subject: opt('subject', 'cli'), ttlSeconds: ttl ? Number(ttl) : undefined }, secret)}\n`);
