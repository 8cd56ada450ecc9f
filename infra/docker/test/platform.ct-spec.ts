import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { issueApiToken } from '@cairn/auth';
import { waitFor } from '@cairn/testing';
import { DockerComposeEnvironment, getContainerRuntimeClient, StartedDockerComposeEnvironment, Wait } from 'testcontainers';

/**
 * The platform as its users run it: docker-compose.yml with the images infra/docker builds, driven
 * through the public APIs only. testcontainers brings the compose environment up and waits for
 * every container's health check; the Docker API finds, scales and kills replicas. Run by
 * scripts/test-containers.sh (inside the namespace of its own Docker daemon).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadDemo } = require('../../../scripts/demo');

const REPO = path.resolve(__dirname, '../../..');
const PROJECT = process.env.COMPOSE_PROJECT_NAME ?? 'cairnct';
const NETWORK = `${PROJECT}_default`;
const secret = randomBytes(32).toString('base64url');
const env = {
  CAIRN_AUTH_SECRET: secret,
  KAFKA_IMAGE: process.env.KAFKA_IMAGE ?? 'local/kafka:3.9.1',
  POSTGRES_IMAGE: process.env.POSTGRES_IMAGE ?? 'local/postgres:15',
  CAIRN_IMAGE: process.env.CAIRN_IMAGE ?? 'cairn:local',
  // Replicas of these two get host ports Docker picks; the suite talks to container addresses.
  INGESTION_PUBLISH: '127.0.0.1:',
  HEALTH_PUBLISH: '127.0.0.1:',
  LOG_LEVEL: 'warn',
};
const log = (m: string) => process.stdout.write(`[containers] ${m}\n`);

function compose(...args: string[]) {
  const r = spawnSync('docker-compose', ['-f', path.join(REPO, 'docker-compose.yml'), '-p', PROJECT, ...args],
    { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker-compose ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

interface Replica { id: string; name: string; url: string }

/** Running replicas of a compose service, by container address on the compose network. */
async function replicas(service: string): Promise<Replica[]> {
  const client = await getContainerRuntimeClient();
  const list = (await client.container.list()).filter((c) => c.Labels['com.docker.compose.project'] === PROJECT
    && c.Labels['com.docker.compose.service'] === service && c.State === 'running');
  return list.map((c) => ({ id: c.Id, name: c.Names[0].replace(/^\//, ''), url: `http://${c.NetworkSettings.Networks[NETWORK].IPAddress}:3000` }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function healthStatus(id: string): Promise<string | undefined> {
  const client = await getContainerRuntimeClient();
  return (await client.container.inspect(client.container.getById(id))).State.Health?.Status;
}

async function api(method: string, url: string, token: string | undefined, body?: unknown, basic?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (basic) headers.authorization = `Basic ${Buffer.from(`${basic}:`).toString('base64')}`;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : undefined };
}

describe('the platform in containers (docker-compose.yml)', () => {
  let environment: StartedDockerComposeEnvironment;
  const urls = async () => Object.fromEntries(await Promise.all(['ingestion', 'surveys', 'health', 'playbooks', 'renewals']
    .map(async (s) => [s, (await replicas(s))[0].url])));

  beforeAll(async () => {
    const t0 = Date.now();
    environment = await new DockerComposeEnvironment(REPO, 'docker-compose.yml')
      .withProjectName(PROJECT)
      .withEnvironment(env)
      .withDefaultWaitStrategy(Wait.forHealthCheck())
      .withStartupTimeout(240_000)
      .up();
    log(`compose platform up and every container healthy in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  afterAll(async () => {
    await environment?.down({ removeVolumes: true, timeout: 5_000 });
  });

  it('loads the demo workspace and turns the usage drop and the champion departure into one task and one alert each', async () => {
    const services = await urls();
    const t0 = Date.now();
    const demo = await loadDemo({ secret, services });
    const token = demo.token;
    const tasks = await waitFor('the demo risks as tasks and alerts', async () => {
      const [t, a] = await Promise.all([api('GET', `${services.playbooks}/tasks`, token), api('GET', `${services.playbooks}/alerts`, token)]);
      const of = (xs: any[], account: string, type: string) => xs.filter((x) => x.accountId === account && x.cause?.type === type);
      const drop = [of(t.json, 'globex', 'usage.dropped'), of(a.json, 'globex', 'usage.dropped')];
      const departure = [of(t.json, 'initech', 'directory.contact-departed'), of(a.json, 'initech', 'directory.contact-departed')];
      return [...drop, ...departure].every((x) => x.length > 0) ? { drop, departure } : undefined;
    }, { timeoutMs: 90_000 });
    log(`demo loaded and both risks raised in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(tasks.drop.map((x) => x.length)).toEqual([1, 1]);
    expect(tasks.departure.map((x) => x.length)).toEqual([1, 1]);
    const health = await api('GET', `${services.health}/accounts/globex/health`, token);
    expect(health.status).toBe(200);
    expect(JSON.stringify(health.json.explanation)).toMatch(/usage/i);
  });

  it('loses no event and duplicates no task or alert when ingestion and health run 3 replicas and one of each is SIGKILLed under load', async () => {
    // The accounts and their champions first, with one replica of each service; then the scale-out.
    let ingestion = await replicas('ingestion');
    let health = await replicas('health');
    const { playbooks } = await urls();
    const ws = `scale-${randomBytes(3).toString('hex')}`;
    const token = issueApiToken({ workspaceId: ws, subject: 'containers-suite' }, secret);
    const writeKey = (await api('POST', `${ingestion[0].url}/write-keys`, token, { name: 'load' })).json.writeKey;

    // Spread over the ingestion replicas; a refused or broken call goes to the next one with the
    // same message ids (what a Segment SDK does), so it is never counted twice. A replica that
    // stops answering is dropped from the rotation.
    let live = new Set(ingestion.map((r) => r.url));
    let next = 0;
    let retries = 0;
    async function send(path: string, body: unknown) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const targets = [...live];
        const url = targets[next++ % targets.length];
        try {
          const r = await api('POST', `${url}/v1/${path}`, undefined, body, writeKey);
          if (r.status === 200 && !(r.json?.rejected?.length)) return;
          if (r.status < 500) throw new Error(`/v1/${path} → ${r.status} ${JSON.stringify(r.json)}`);
        } catch (e) {
          if (e instanceof Error && e.message.startsWith('/v1/')) throw e;
          if (live.size > 1) live.delete(url);
        }
        retries++;
        await new Promise((r) => setTimeout(r, 200));
      }
      throw new Error(`/v1/${path}: no replica accepted it in 30 attempts`);
    }

    const ACCOUNTS = Array.from({ length: 24 }, (_, i) => `acct-${i}`);
    for (const a of ACCOUNTS) {
      await send('group', { messageId: `${a}-group`, userId: `${a}-champion`, groupId: a, traits: { name: a, csmOwner: 'csm@example.com' } });
      await send('identify', { messageId: `${a}-identify`, userId: `${a}-champion`, context: { groupId: a }, traits: { email: `champion@${a}.example`, role: 'champion' } });
    }
    // A departure health sees before the champion would never lower the score (see e2e).
    await waitFor('health to know every champion', async () => {
      const scored = await Promise.all(ACCOUNTS.map(async (a) => {
        const r = await api('GET', `${health[0].url}/accounts/${a}/health`, token);
        return r.status === 200 && r.json.explanation?.find((e: { measure: string }) => e.measure === 'championPresent')?.points === 100;
      }));
      return scored.every(Boolean) ? true : undefined;
    }, { timeoutMs: 240_000, intervalMs: 2000 });

    compose('up', '-d', '--no-recreate', '--scale', 'ingestion=3', '--scale', 'health=3', 'ingestion', 'health');
    await waitFor('3 healthy replicas of ingestion and health', async () => {
      const all = [...await replicas('ingestion'), ...await replicas('health')];
      const healthy = await Promise.all(all.map((r) => healthStatus(r.id)));
      return all.length === 6 && healthy.every((h) => h === 'healthy') ? true : undefined;
    }, { timeoutMs: 300_000, intervalMs: 2000 });
    ingestion = await replicas('ingestion');
    health = await replicas('health');
    live = new Set(ingestion.map((r) => r.url));

    const accepted = new Map<string, number>(ACCOUNTS.map((a) => [a, 0]));
    let sent = 0;
    let stop = false;
    const t0 = Date.now();
    // Steady load: three senders, each a batch of 10 track calls every 100 ms (up to ~300 events/s).
    let seq = 0;
    const load = Promise.all([0, 1, 2].map(async () => {
      while (!stop) {
        const started = Date.now();
        const batch = Array.from({ length: 10 }, () => {
          const n = seq++;
          const a = ACCOUNTS[n % ACCOUNTS.length];
          return { type: 'track', messageId: `load-${n}`, userId: `${a}-user-${n % 5}`, event: 'Report Viewed', context: { groupId: a } };
        });
        await send('batch', { batch });
        for (const c of batch) accepted.set(c.context.groupId, accepted.get(c.context.groupId)! + 1);
        sent += batch.length;
        await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
      }
    }));
    const at = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, t0 + ms - Date.now())));
    const depart = (xs: string[]) => Promise.all(xs.map((a) => send('identify', {
      messageId: `${a}-left`, userId: `${a}-champion`, context: { groupId: a }, traits: { email: `champion@${a}.example`, status: 'left' } })));

    await at(4_000);
    await depart(ACCOUNTS.slice(0, 12));
    await at(8_000);
    const client = await getContainerRuntimeClient();
    const victims = [ingestion[1], health[1]];
    await Promise.all(victims.map((v) => client.container.getById(v.id).kill({ signal: 'SIGKILL' })));
    log(`SIGKILLed ${victims.map((v) => v.name).join(' and ')} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await at(12_000);
    await depart(ACCOUNTS.slice(12));
    await at(30_000);
    stop = true;
    await load;
    log(`load: ${sent} track events accepted in ${((Date.now() - t0) / 1000).toFixed(1)} s (${retries} calls retried on another replica)`);

    const counted = await waitFor('every accepted event in the rollups', async () => {
      const totals = await Promise.all(ACCOUNTS.map(async (a) => (await api('GET', `${ingestion[0].url}/accounts/${a}/usage`, token)).json?.totals?.events ?? 0));
      const sum = totals.reduce((n, x) => n + x, 0);
      return sum >= sent ? { totals, sum } : undefined;
    }, { timeoutMs: 180_000, intervalMs: 2000 }).catch(() => undefined);
    const totals = counted?.totals ?? await Promise.all(ACCOUNTS.map(async (a) => (await api('GET', `${ingestion[0].url}/accounts/${a}/usage`, token)).json?.totals?.events ?? 0));
    const lost = ACCOUNTS.reduce((n, a, i) => n + Math.max(0, accepted.get(a)! - totals[i]), 0);
    const doubled = ACCOUNTS.reduce((n, a, i) => n + Math.max(0, totals[i] - accepted.get(a)!), 0);

    const risks = await waitFor('a task and an alert for every departure', async () => {
      const [t, a] = await Promise.all([api('GET', `${playbooks}/tasks`, token), api('GET', `${playbooks}/alerts`, token)]);
      const departures = (xs: any[]) => xs.filter((x) => x.cause?.type === 'directory.contact-departed');
      const tasks = departures(t.json);
      const alerts = departures(a.json);
      return new Set(tasks.map((x) => x.accountId)).size === ACCOUNTS.length && new Set(alerts.map((x) => x.accountId)).size === ACCOUNTS.length
        ? { tasks, alerts } : undefined;
    }, { timeoutMs: 180_000, intervalMs: 2000 });
    // Let redeliveries from the killed replicas' uncommitted offsets land before counting duplicates.
    await new Promise((r) => setTimeout(r, 5_000));
    const [tasksAfter, alertsAfter] = await Promise.all([api('GET', `${playbooks}/tasks`, token), api('GET', `${playbooks}/alerts`, token)]);
    // Health takes over the killed replica's partitions after the session timeout and replays what
    // it had not committed: every departure must lower its account's champion measure.
    const championGone = async () => (await Promise.all(ACCOUNTS.map(async (a) => {
      const r = await api('GET', `${(await replicas('health'))[0].url}/accounts/${a}/health`, token);
      return r.json?.explanation?.find((e: { measure: string }) => e.measure === 'championPresent')?.points === 0;
    }))).filter(Boolean).length;
    const scoredDown = await waitFor('health to see every champion leave', async () => {
      const n = await championGone();
      return n === ACCOUNTS.length ? n : undefined;
    }, { timeoutMs: 120_000, intervalMs: 2000 }).catch(() => championGone());
    const departureTasks = tasksAfter.json.filter((x: any) => x.cause?.type === 'directory.contact-departed').length;
    const departureAlerts = alertsAfter.json.filter((x: any) => x.cause?.type === 'directory.contact-departed').length;
    log(`scale and kill: ${sent} events accepted, ${totals.reduce((n, x) => n + x, 0)} counted in the rollups, lost ${lost}, counted twice ${doubled}; `
      + `${ACCOUNTS.length} departures → ${departureTasks} tasks, ${departureAlerts} alerts (duplicates ${departureTasks - ACCOUNTS.length} / ${departureAlerts - ACCOUNTS.length}); `
      + `health saw ${scoredDown}/${ACCOUNTS.length} champions leave; replicas now ${(await replicas('ingestion')).length} ingestion, ${(await replicas('health')).length} health`);
    expect(risks.tasks.length).toBeGreaterThan(0);
    expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
    expect({ departureTasks, departureAlerts }).toEqual({ departureTasks: ACCOUNTS.length, departureAlerts: ACCOUNTS.length });
    expect(scoredDown).toBe(ACCOUNTS.length);
  });
});
