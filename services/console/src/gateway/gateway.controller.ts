import { All, Controller, HttpException, Req, Res } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuditService } from '../audit/audit.service';
import { beforeStatePath, decideAccess, OwningService } from '../domain/access';
import { CurrentUser, SignedIn } from '../identity/session.guard';
import { SignedInUser } from '../identity/sessions.service';
import { GatewayService } from './gateway.service';

const PREFIX = /^\/api\/svc\/([a-z]+)(\/[^?#]*)?(\?.*)?$/;

/**
 * The browser's only way to the services: /api/svc/<service>/<path>. The role is checked
 * here first; the service then checks the minted token's workspace like any other caller's.
 * Every change that succeeds is written to the audit log, with the state before and after.
 */
@ApiTags('gateway')
@Controller('api/svc')
@SignedIn()
export class GatewayController {
  constructor(private readonly gateway: GatewayService, private readonly audit: AuditService) {}

  @All('*')
  @ApiExcludeEndpoint()
  async forward(@CurrentUser() user: SignedInUser, @Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    const m = PREFIX.exec(request.url);
    if (!m) throw new HttpException({ statusCode: 404, message: 'no such route' }, 404);
    const service = m[1];
    const path = decodeURI(m[2] ?? '/');
    const query = m[3] ?? '';
    if (path.includes('..') || /[\u0000-\u001f]/.test(path)) throw new HttpException({ statusCode: 400, message: 'path: not a valid path' }, 400);
    const method = request.method.toUpperCase();
    const access = decideAccess(user.role, service, method, path);
    if (!access.allowed) throw new HttpException({ statusCode: access.status, error: access.status === 403 ? 'Forbidden' : 'Not Found', message: access.reason }, access.status);
    const svc = service as OwningService;
    const write = method !== 'GET' && method !== 'HEAD';
    const beforePath = write ? beforeStatePath(method, path, request.body) : undefined;
    const before = beforePath ? await this.gateway.getJson(user, svc, encodeURI(beforePath)) : undefined;
    const r = await this.gateway.call(user, svc, method, `${encodeURI(path)}${query}`, request.body ?? undefined, request.headers['content-type']);
    if (write && r.status < 400) {
      let after: unknown = r.body;
      try { after = r.body ? JSON.parse(r.body) : null; } catch { /* keep text */ }
      await this.audit.record(user, {
        action: `${method} ${service}${path}`, target: `${service}${beforePath ?? path}`, status: r.status,
        before: before?.json, after, request: typeof request.body === 'string' ? { text: request.body.slice(0, 2000) } : request.body,
      });
    }
    reply.status(r.status).header('content-type', r.contentType).header('cache-control', 'no-store').send(r.body);
  }
}
