import 'reflect-metadata';
import AxeBuilder from '@axe-core/playwright';
import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';
import { freePort, REPO_ROOT, testInfra, waitFor } from '@cairn/testing';
import { Platform } from '../../../e2e/platform';

// The console in a real Chromium (Debian's package) against the real platform: six services as
// processes, the real broker and database, the demo workspace loaded by the demo loader, and a
// real OpenID provider (oidc-provider) for single sign-on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { loadDemo } = require('../../../scripts/demo.js');

const ARTIFACTS = join(REPO_ROOT, '.cache', 'artifacts', 'console');
const CHROMIUM = process.env.CAIRN_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'browser-suite-password-1';
const OIDC_CLIENT = { id: 'cairn-console', secret: 'oidc-client-secret-for-the-suite' };

// Waiting assertions on the page (playwright-core has no expect of its own).
const UI_TIMEOUT = 30_000;
async function visible(l: Locator, timeout = UI_TIMEOUT) {
  await l.first().waitFor({ state: 'visible', timeout });
}
async function hasText(l: Locator, pattern: string | RegExp, timeout = UI_TIMEOUT) {
  let last = '';
  await waitFor(`text ${pattern} (last seen: "${last}")`, async () => {
    last = (await l.first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
    return typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last);
  }, { timeoutMs: timeout, intervalMs: 100 }).catch(() => { throw new Error(`expected ${l} to show ${pattern}; it shows "${last}"`); });
}
async function hasCount(l: Locator, n: number, timeout = UI_TIMEOUT) {
  let last = -1;
  await waitFor(`${n} elements`, async () => (last = await l.count()) === n, { timeoutMs: timeout, intervalMs: 100 })
    .catch(() => { throw new Error(`expected ${n} of ${l}; there are ${last}`); });
}

describe('the CSM console in a browser', () => {
  let platform: Platform;
  let browser: Browser;
  let consoleUrl: string;
  let oidc: ChildProcess;
  let writeKey: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const consolePort = await freePort();
    const oidcPort = await freePort();
    consoleUrl = `http://127.0.0.1:${consolePort}`;
    oidc = spawn(process.execPath, [join(__dirname, 'oidc-provider.mjs'), String(oidcPort), `${consoleUrl}/auth/sso/callback`, OIDC_CLIENT.id, OIDC_CLIENT.secret], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      oidc.stdout!.on('data', (d) => { if (String(d).includes('ready')) resolve(); });
      oidc.once('exit', (code) => reject(new Error(`oidc provider exited (${code})`)));
    });
    platform = await new Platform({
      console: {
        CONSOLE_PUBLIC_URL: consoleUrl, CONSOLE_OIDC_ISSUER: `http://127.0.0.1:${oidcPort}`, CONSOLE_OIDC_CLIENT_ID: OIDC_CLIENT.id,
        CONSOLE_OIDC_CLIENT_SECRET: OIDC_CLIENT.secret, CONSOLE_OIDC_WORKSPACE: 'demo', CONSOLE_LOCKOUT_ATTEMPTS: '4',
      },
    }, { console: consolePort }).start();
    const services = Object.fromEntries(['ingestion', 'surveys', 'health', 'playbooks', 'renewals'].map((s) => [s, platform.url(s as any)]));
    const demo = await loadDemo({ secret: testInfra().authSecret, services, databaseUrl: (platform as any).env.DATABASE_URL, demoPassword: PASSWORD });
    writeKey = demo.writeKey;
    // A second workspace with an account and a user of its own.
    const rival = platform.api('ingestion', 'rival');
    const key = await rival.post('/write-keys', { name: 'rival' });
    await fetch(`${platform.url('ingestion')}/v1/group`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${key.json.writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'r1', groupId: 'rival-co', traits: { name: 'Rival Co', plan: 'enterprise' } }),
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await require('../dist/cli').ensureUser((platform as any).env.DATABASE_URL, { workspaceId: 'rival', email: 'boss@rival.example', role: 'admin', password: PASSWORD });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    // The demo's risks and the rival's account have reached the console's read model.
    const admin = await session('demo', 'admin@cairn-demo.example');
    await waitFor('Globex in the portfolio with open alerts', async () => {
      const row = (await admin('/api/portfolio?q=globex')).rows?.[0];
      return row?.openAlerts > 0 && row?.openTasks > 0 && row?.band;
    }, { timeoutMs: 90_000, intervalMs: 1000 });
    const boss = await session('rival', 'boss@rival.example');
    await waitFor('Rival Co in its own portfolio', async () => (await boss('/api/portfolio')).total === 1, { timeoutMs: 60_000, intervalMs: 500 });
  }, 300_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    oidc?.kill();
  });

  /** A signed-in session outside the browser: GET a console path with its cookie. */
  async function session(workspace: string, email: string) {
    const r = await fetch(`${consoleUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ workspace, email, password: PASSWORD }) });
    expect(r.status).toBe(200);
    const cookie = r.headers.get('set-cookie')!.split(';')[0];
    return async (path: string) => (await fetch(`${consoleUrl}${path}`, { headers: { cookie } })).json();
  }

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, baseURL: consoleUrl });
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, email: string, password = PASSWORD, workspace = email.endsWith('rival.example') ? 'rival' : 'demo') {
    await page.goto('/');
    await page.getByLabel('Workspace').fill(workspace);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signedInPage(email: string): Promise<Page> {
    const page = await newPage();
    await signIn(page, email);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    return page;
  }

  /** A write from the page itself, as the app sends it (session cookie + CSRF token). */
  async function pageWrite(page: Page, method: string, path: string, body?: unknown) {
    return page.evaluate(async ({ method, path, body }) => {
      const me = await (await fetch('/api/session')).json();
      const headers: Record<string, string> = { 'x-csrf-token': me.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
      const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: r.status, json: await r.json().catch(() => null) };
    }, { method, path, body });
  }

  async function axe(page: Page, screen: string) {
    const result = await new AxeBuilder({ page }).analyze();
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect({ screen, violations: bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`) }).toEqual({ screen, violations: [] });
  }

  it('signs in and shows the demo portfolio with every account and its band', async () => {
    const page = await newPage();
    await page.goto('/');
    await axe(page, 'sign-in');
    await page.screenshot({ path: join(ARTIFACTS, 'sign-in.png') });
    await signIn(page, 'admin@cairn-demo.example');
    const table = page.getByRole('table', { name: 'Accounts' });
    for (const name of ['Acme Corp', 'Globex', 'Initech']) {
      const row = table.getByRole('row').filter({ hasText: name });
      await hasText(row.locator('.band'), /^\d+ (red|yellow|green)$/);
    }
    await axe(page, 'portfolio');
    await page.screenshot({ path: join(ARTIFACTS, 'portfolio.png') });
  });

  it("explains Globex's drop with the numbers and shows its task and alert", async () => {
    const page = await signedInPage('li@cairn-demo.example');
    await page.goto('/accounts/globex');
    await visible(page.getByRole('heading', { name: 'Globex', level: 1 }));
    const explanation = page.getByRole('table', { name: 'Score explanation' });
    const usage = explanation.locator('tr[data-measure="usageTrend"]');
    // value, points, weight and contribution, and the narrative with the numbers of the drop
    await hasText(usage, /-9\d(\.\d)?/);
    await hasText(usage, /fell 9\d(\.\d)?%/);
    expect(await explanation.locator('tbody tr').count()).toBeGreaterThan(3);
    await visible(page.locator('[data-alert]').filter({ hasText: 'Usage drop at Globex' }));
    await visible(page.locator('[data-task]').filter({ hasText: 'Usage dropped at Globex' }));
    await axe(page, 'account 360');
    await page.screenshot({ path: join(ARTIFACTS, 'account-globex.png'), fullPage: true });
  });

  it('keeps an acknowledged alert and a closed task after a reload', async () => {
    const page = await signedInPage('li@cairn-demo.example');
    await page.goto('/accounts/globex');
    const alert = page.locator('[data-alert]').filter({ hasText: 'Usage drop at Globex' });
    await alert.getByRole('button', { name: /^Acknowledge/ }).click();
    await hasText(alert, 'acknowledged by li@cairn-demo.example');
    const task = page.locator('[data-task]').filter({ hasText: 'Usage dropped at Globex' });
    await task.getByRole('button', { name: /^Close as done/ }).click();
    await hasText(task.locator('.status'), 'done');
    await page.reload();
    await hasText(page.locator('[data-alert]').filter({ hasText: 'Usage drop at Globex' }), 'acknowledged by li@cairn-demo.example');
    await hasText(page.locator('[data-task]').filter({ hasText: 'Usage dropped at Globex' }).locator('.status'), 'done');
    // Both changes are in the audit log, with who and before/after.
    const admin = await signedInPage('admin@cairn-demo.example');
    await admin.goto('/admin');
    const audit = admin.getByRole('table', { name: 'Audit log' });
    await hasText(audit.getByRole('row').filter({ hasText: /POST playbooks\/alerts\/.+\/ack/ }), 'li@cairn-demo.example');
    await hasText(audit.getByRole('row').filter({ hasText: /PATCH playbooks\/tasks\// }), 'status: "open" → "done"');
    await axe(admin, 'admin');
    await admin.screenshot({ path: join(ARTIFACTS, 'admin.png'), fullPage: true });
  });

  it('shows a champion departure sent through the Segment API as a new alert in an open page, without a reload', async () => {
    const page = await signedInPage('maria@cairn-demo.example');
    await page.goto('/alerts');
    await visible(page.getByRole('heading', { name: 'Alerts inbox' }));
    await page.evaluate(() => { (window as any).__sameDocument = true; });
    await visible(page.locator('.live.on'));
    const before = await page.locator('[data-alert]').filter({ hasText: 'Acme' }).count();
    const r = await fetch(`${platform.url('ingestion')}/v1/identify`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
      body: JSON.stringify({ userId: 'acme-ana', context: { groupId: 'acme' }, traits: { email: 'ana@acme.example', status: 'left' } }),
    });
    expect(r.status).toBe(200);
    await hasCount(page.locator('[data-alert]').filter({ hasText: /Acme/ }), before + 1, 60_000);
    await visible(page.locator('.toast').filter({ hasText: 'acme' }).first());
    expect(await page.evaluate(() => (window as any).__sameDocument)).toBe(true);
    await axe(page, 'alerts inbox');
    await page.screenshot({ path: join(ARTIFACTS, 'alerts-live.png') });
  });

  it('lets a viewer change nothing: the server refuses and the page says so', async () => {
    const page = await signedInPage('viewer@cairn-demo.example');
    await page.goto('/tasks?status=open&assignee=all');
    await hasText(page.getByRole('note'), 'Read-only: the viewer role cannot change tasks.');
    const first = page.locator('[data-task]').first();
    await visible(first.getByRole('button', { name: /^Start/ }));
    expect(await first.getByRole('button', { name: /^Start/ }).isDisabled()).toBe(true);
    const taskId = await first.getAttribute('data-task');
    const refused = await pageWrite(page, 'PATCH', `/api/svc/playbooks/tasks/${taskId}`, { status: 'done' });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toMatch(/viewer role may not change/);
    const ack = await pageWrite(page, 'POST', '/api/svc/playbooks/alerts/00000000-0000-4000-8000-000000000000/ack');
    expect(ack.status).toBe(403);
    expect((await pageWrite(page, 'POST', '/api/users', { email: 'x@y.example', role: 'admin', password: 'long-enough-password' })).status).toBe(403);
    // A write without the session's CSRF token is refused whatever the role.
    const admin = await signedInPage('admin@cairn-demo.example');
    const noCsrf = await admin.evaluate(async (id) => {
      const r = await fetch(`/api/svc/playbooks/tasks/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: '{"status":"done"}' });
      return { status: r.status, body: await r.json() };
    }, taskId);
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.message).toMatch(/CSRF/);
    await axe(page, 'task queue');
    await page.screenshot({ path: join(ARTIFACTS, 'tasks-viewer.png') });
  });

  it("keeps a user of another workspace away from the demo's data by any URL", async () => {
    const page = await signedInPage('boss@rival.example');
    const portfolio = await (await page.request.get(`${consoleUrl}/api/portfolio`)).json();
    expect(portfolio.rows.map((r: any) => r.accountId)).toEqual(['rival-co']);
    const demoTask = (await platform.api('playbooks', 'demo').get('/tasks?accountId=globex')).json[0];
    for (const path of [
      '/api/accounts/globex/overview', '/api/svc/health/accounts/globex/health', '/api/svc/ingestion/accounts/globex',
      `/api/svc/playbooks/tasks/${demoTask.id}`, '/api/svc/health/accounts/globex/health?workspaceId=demo',
    ]) {
      const r = await page.request.get(`${consoleUrl}${path}`);
      expect({ path, status: r.status() }).toEqual({ path, status: 404 });
    }
    expect((await pageWrite(page, 'PATCH', `/api/svc/playbooks/tasks/${demoTask.id}`, { status: 'done' })).status).toBe(404);
    expect(((await (await page.request.get(`${consoleUrl}/api/svc/playbooks/tasks`)).json()) as any[]).length).toBe(0);
    await page.goto('/accounts/globex');
    await hasText(page.getByRole('alert'), "account 'globex' not found");
  });

  it('signs in through the OpenID provider (code + PKCE), taking the role from its claim', async () => {
    const page = await newPage();
    await page.goto('/');
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    await page.locator('input[name=login]').fill('ops-olga');
    await page.locator('input[name=password]').fill('anything');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await visible(page.getByRole('button', { name: 'Sign out' }));
    await hasText(page.locator('.who'), 'cs-ops');
    expect(new URL(page.url()).origin).toBe(consoleUrl);
    const me = await (await page.request.get(`${consoleUrl}/api/session`)).json();
    expect(me).toMatchObject({ workspaceId: 'demo', email: 'ops-olga@idp.example', role: 'cs-ops', via: 'sso' });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await visible(page.getByRole('button', { name: 'Sign in' }));
    expect((await page.request.get(`${consoleUrl}/api/session`)).status()).toBe(401);
  });

  it('locks a user out after repeated wrong passwords, even with the right one', async () => {
    const page = await newPage();
    for (let i = 0; i < 3; i++) {
      await signIn(page, 'ops@cairn-demo.example', `wrong-password-${i}`);
      await hasText(page.getByRole('alert'), 'wrong workspace, e-mail or password');
    }
    await signIn(page, 'ops@cairn-demo.example', 'wrong-password-3');
    await hasText(page.getByRole('alert'), 'locked');
    await signIn(page, 'ops@cairn-demo.example', PASSWORD);
    await hasText(page.getByRole('alert'), 'too many wrong passwords');
    await page.screenshot({ path: join(ARTIFACTS, 'locked-out.png') });
  });

  it("declares in every service's OpenAPI the security schemes its routes reference", async () => {
    for (const service of ['ingestion', 'surveys', 'health', 'playbooks', 'renewals', 'console'] as const) {
      const doc = await (await fetch(`${platform.url(service)}/docs/json`)).json();
      const declared = doc.components?.securitySchemes ?? {};
      const referenced = new Set<string>();
      for (const ops of Object.values(doc.paths ?? {}) as any[]) {
        for (const op of Object.values(ops) as any[]) for (const req of op.security ?? []) for (const name of Object.keys(req)) referenced.add(name);
      }
      expect({ service, missing: [...referenced].filter((n) => !declared[n]) }).toEqual({ service, missing: [] });
      expect(declared.bearer?.bearerFormat).not.toBe('JWT');
    }
  });
});
