import {
  CanActivate, createParamDecorator, ExecutionContext, Injectable, SetMetadata, UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InvalidTokenError, verifyApiToken } from './api-token';

export const PUBLIC_ROUTE = 'cairn:public';
/** Marks a route that needs no API token (health, metrics, docs, ingestion's public API). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export interface RequestAuth {
  workspaceId: string;
  subject: string;
}

export const AUTH_SECRET = Symbol('AUTH_SECRET');

/** Every HTTP route needs `Authorization: Bearer <token>` unless marked @Public(). */
@Injectable()
export class ApiTokenGuard implements CanActivate {
  constructor(private readonly reflector: Reflector, private readonly secret: string) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers?.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw new UnauthorizedException('missing API token: send "Authorization: Bearer <token>"');
    try {
      const claims = verifyApiToken(match[1], this.secret);
      request.auth = { workspaceId: claims.ws, subject: claims.sub } satisfies RequestAuth;
      return true;
    } catch (e) {
      if (e instanceof InvalidTokenError) throw new UnauthorizedException(`invalid API token: ${e.message}`);
      throw e;
    }
  }
}

/** The workspace of the request's API token: every query a controller makes is scoped by it. */
export const WorkspaceId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const auth: RequestAuth | undefined = ctx.switchToHttp().getRequest().auth;
  if (!auth) throw new UnauthorizedException('no authenticated workspace');
  return auth.workspaceId;
});

export const AuthSubject = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined =>
  ctx.switchToHttp().getRequest().auth?.subject);
