import { Public } from '@cairn/auth';
import {
  applyDecorators, CanActivate, createParamDecorator, ExecutionContext, ForbiddenException, Injectable, SetMetadata, UnauthorizedException, UseGuards,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiCookieAuth } from '@nestjs/swagger';
import { Role } from '../domain/roles';
import { readCookie, SESSION_COOKIE, SessionsService, SignedInUser } from './sessions.service';

const ROLES_KEY = 'cairn:console-roles';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Console routes are reached with a session cookie, not an API token (hence @Public for the
 * platform's token guard). Writes also need the session's CSRF token in `x-csrf-token`.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(private readonly sessions: SessionsService, private readonly reflector: Reflector) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const user = await this.sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (!user) throw new UnauthorizedException('not signed in (or the session expired): sign in again');
    if (!SAFE_METHODS.has(request.method) && !this.sessions.csrfMatches(user, request.headers['x-csrf-token'])) {
      throw new ForbiddenException('missing or wrong CSRF token: send the session\'s token in x-csrf-token');
    }
    const roles = this.reflector.getAllAndOverride<readonly Role[] | undefined>(ROLES_KEY, [context.getHandler(), context.getClass()]);
    if (roles && !roles.includes(user.role)) {
      throw new ForbiddenException(`the ${user.role} role may not do this; needs ${roles.join(' or ')}`);
    }
    request.consoleUser = user;
    return true;
  }
}

/** A route for signed-in users, optionally of the given roles only. */
export const SignedIn = (roles?: readonly Role[]) =>
  applyDecorators(Public(), ApiCookieAuth('session'), SetMetadata(ROLES_KEY, roles), UseGuards(SessionGuard));

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): SignedInUser => {
  const user = ctx.switchToHttp().getRequest().consoleUser;
  if (!user) throw new UnauthorizedException('not signed in');
  return user;
});
