#!/usr/bin/env node
'use strict';
// The risk path's floor: the same hops as a champion departure through Cairn, with no logic.
//
//   HTTP POST /depart → Kafka (acks=all) → consumer A: one PostgreSQL transaction (insert a row)
//   → Kafka → consumer B: one transaction (insert a row) → POST to the webhook
//
// Run as a process of its own by bench/signal-to-alert.js (so its CPU is counted like a
// service's): `node bench/floor-chain.js` with FLOOR_BROKERS, FLOOR_DATABASE_URL, FLOOR_PORT,
// FLOOR_WEBHOOK_URL and FLOOR_TOPIC_PREFIX (topics <prefix>.departed and <prefix>.alert, created
// by the caller); prints "ready" when it can take requests. The
// webhook body has the shape of a Cairn alert ({ alert: { accountId, createdAt } }), so the same
// receiver measures both.
const http = require('node:http');
const { Kafka, logLevel } = require('kafkajs');
const { Pool } = require('pg');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

async function main() {
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
  const prefix = env('FLOOR_TOPIC_PREFIX');
  const topicA = `${prefix}.departed`;
  const topicB = `${prefix}.alert`;
  const webhook = new URL(env('FLOOR_WEBHOOK_URL'));
  const kafka = new Kafka({ clientId: 'bench-floor', brokers: env('FLOOR_BROKERS').split(','), logLevel: logLevel.NOTHING });
  const pool = new Pool({ connectionString: env('FLOOR_DATABASE_URL'), max: 4 });
  await pool.query('CREATE TABLE IF NOT EXISTS public.floor_departure (account_id text, at timestamptz)');
  await pool.query('CREATE TABLE IF NOT EXISTS public.floor_alert (account_id text, at timestamptz)');
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  async function inTransaction(sql, params) {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(sql, params);
      await c.query('COMMIT');
    } finally {
      c.release();
    }
  }

  function postWebhook(body) {
    return new Promise((resolve, reject) => {
      const req = http.request({ agent, hostname: webhook.hostname, port: webhook.port, path: webhook.pathname, method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => { res.resume(); res.on('end', resolve); });
      req.on('error', reject);
      req.end(body);
    });
  }

  const consumerA = kafka.consumer({ groupId: `${prefix}-a`, maxWaitTimeInMs: 1000 });
  const consumerB = kafka.consumer({ groupId: `${prefix}-b`, maxWaitTimeInMs: 1000 });
  for (const [consumer, topic] of [[consumerA, topicA], [consumerB, topicB]]) {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
  }
  await consumerA.run({
    eachMessage: async ({ message }) => {
      const { accountId } = JSON.parse(message.value.toString('utf8'));
      await inTransaction('INSERT INTO public.floor_departure VALUES ($1, now())', [accountId]);
      await producer.send({ topic: topicB, acks: -1, messages: [{ key: accountId, value: JSON.stringify({ accountId }) }] });
    },
  });
  await consumerB.run({
    eachMessage: async ({ message }) => {
      const { accountId } = JSON.parse(message.value.toString('utf8'));
      await inTransaction('INSERT INTO public.floor_alert VALUES ($1, now())', [accountId]);
      await postWebhook(JSON.stringify({ alert: { accountId, createdAt: new Date().toISOString(), cause: { type: 'floor' } } }));
    },
  });

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let accountId;
      try { accountId = JSON.parse(Buffer.concat(chunks).toString('utf8')).accountId; } catch { /* below */ }
      if (typeof accountId !== 'string') { res.writeHead(400).end('accountId is required'); return; }
      producer.send({ topic: topicA, acks: -1, messages: [{ key: accountId, value: JSON.stringify({ accountId }) }] })
        .then(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true}'),
          (e) => res.writeHead(503).end(String(e.message)));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise((r) => server.listen(Number(env('FLOOR_PORT')), '127.0.0.1', r));
  // Both groups have joined once a message went all the way through.
  process.stdout.write('ready\n');

  const stop = async () => {
    server.close();
    await Promise.allSettled([consumerA.disconnect(), consumerB.disconnect()]);
    await producer.disconnect().catch(() => undefined);
    await pool.end().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e) => {
  process.stderr.write(`bench/floor-chain: ${e.stack ?? e}\n`);
  process.exit(1);
});
