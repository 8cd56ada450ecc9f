import fastifyStatic from '@fastify/static';
import { createLogger } from '@cairn/observability';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths the single-page app routes itself; each gets index.html. */
const APP_ROUTES = ['/', '/signin', '/portfolio', '/accounts/*', '/tasks', '/alerts', '/renewals', '/settings', '/settings/*', '/admin', '/admin/*'];


/** Serves the built web app (services/console/web/dist) from the console's own origin (helmet adds the CSP and the other security headers). */
export async function serveWebApp(app: NestFastifyApplication, webDir: string): Promise<void> {
  const log = createLogger('web');
  const fastify = app.getHttpAdapter().getInstance();
  const index = join(webDir, 'index.html');
  if (!existsSync(index)) {
    log.warn({ webDir }, 'web app not built (npm run build): the console serves its API only');
    return;
  }
  await app.register(fastifyStatic as any, {
    root: join(webDir, 'assets'), prefix: '/assets/', decorateReply: false, immutable: true, maxAge: '365d', wildcard: false,
  });
  const html = readFileSync(index, 'utf8');
  for (const route of APP_ROUTES) {
    fastify.get(route, async (_request, reply) => {
      reply.headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
      return html;
    });
  }
  for (const file of ['favicon.svg']) {
    const p = join(webDir, file);
    if (existsSync(p)) fastify.get(`/${file}`, async (_r, reply) => { reply.header('content-type', 'image/svg+xml'); return readFileSync(p); });
  }
}
