import { Public } from '@cairn/auth';
import { createLogger } from '@cairn/observability';
import { Body, Controller, Delete, Get, HttpCode, HttpException, Post, Query, Req, Res, UnauthorizedException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { ConsoleConfig } from '../config';
import { isRole } from '../domain/roles';
import { OidcClient, OidcError } from './oidc.client';
import { CurrentUser, SignedIn } from './session.guard';
import { readCookie, SESSION_COOKIE, SessionsService, SignedInUser } from './sessions.service';

export class SignInDto {
  @ApiProperty({ example: 'demo' }) @IsString() @Length(1, 63) workspace: string;
  @ApiProperty({ example: 'maria@cairn-demo.example' }) @IsString() @Length(3, 320) email: string;
  @ApiProperty() @IsString() @Length(1, 1024) password: string;
}

function me(user: SignedInUser) {
  return { workspaceId: user.workspaceId, email: user.email, name: user.name, role: user.role, via: user.via, csrfToken: user.csrfToken };
}

/** Safe place to return to after single sign-on: a path of this origin only. */
function localPath(p: unknown): string {
  return typeof p === 'string' && /^\/(?![/\\])[^\s]*$/.test(p) ? p : '/';
}

@ApiTags('session')
@Controller()
export class AuthController {
  private readonly log = createLogger('auth');
  private readonly oidc?: OidcClient;

  constructor(
    private readonly sessions: SessionsService,
    private readonly config: ConsoleConfig,
    private readonly audit: AuditService,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    if (config.ssoEnabled) this.oidc = new OidcClient(config.CONSOLE_OIDC_ISSUER!, config.CONSOLE_OIDC_CLIENT_ID!, config.CONSOLE_OIDC_CLIENT_SECRET);
  }

  @Public()
  @Get('api/auth/options')
  @ApiOperation({ summary: 'How one can sign in here (password; single sign-on when configured)' })
  options() {
    return { password: true, sso: this.config.ssoEnabled ? { url: '/auth/sso/login' } : null };
  }

  @Public()
  @Post('api/session')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with workspace, e-mail and password; sets the session cookie' })
  async signIn(@Body() dto: SignInDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const r = await this.sessions.signIn(dto.workspace.trim(), dto.email.trim(), dto.password);
    if (!r.ok) {
      this.log.info({ workspace: dto.workspace, status: r.status }, 'sign-in refused');
      throw new HttpException({ statusCode: r.status, error: r.status === 423 ? 'Locked' : 'Unauthorized', message: r.message }, r.status);
    }
    reply.header('set-cookie', this.sessions.cookie(r.sessionId));
    return me(r.user);
  }

  @SignedIn()
  @Get('api/session')
  @ApiOperation({ summary: 'Who is signed in, with the CSRF token to send on writes' })
  current(@CurrentUser() user: SignedInUser) {
    return me(user);
  }

  @Public()
  @Delete('api/session')
  @HttpCode(204)
  @ApiOperation({ summary: 'Sign out (needs the CSRF token)' })
  async signOut(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const user = await this.sessions.resolve(readCookie(request.headers.cookie, SESSION_COOKIE));
    if (user) {
      if (!this.sessions.csrfMatches(user, request.headers['x-csrf-token'])) throw new UnauthorizedException('missing or wrong CSRF token');
      await this.sessions.close(user);
    }
    reply.header('set-cookie', this.sessions.cookie(null));
  }

  @Public()
  @Get('auth/sso/login')
  @ApiOperation({ summary: 'Start single sign-on at the OpenID provider (authorization code + PKCE)' })
  async ssoLogin(@Query('returnTo') returnTo: string | undefined, @Res() reply: FastifyReply) {
    if (!this.oidc) return reply.status(404).send({ statusCode: 404, message: 'single sign-on is not configured (CONSOLE_OIDC_ISSUER)' });
    const login = OidcClient.newLogin();
    await this.db.query(`DELETE FROM oidc_login WHERE created_at < now() - interval '10 minutes'`);
    await this.db.query(`INSERT INTO oidc_login (state, code_verifier, nonce, return_to) VALUES ($1, $2, $3, $4)`,
      [login.state, login.verifier, login.nonce, localPath(returnTo)]);
    const url = await this.oidc.authorizationUrl(this.redirectUri(), login, 'openid email profile');
    return reply.redirect(url, 302);
  }

  @Public()
  @Get('auth/sso/callback')
  async ssoCallback(@Query() q: Record<string, string>, @Res() reply: FastifyReply) {
    if (!this.oidc) return reply.status(404).send({ statusCode: 404, message: 'single sign-on is not configured' });
    const fail = (message: string) => reply.redirect(`/signin?error=${encodeURIComponent(message)}`, 302);
    if (q.error) return fail(`the provider refused: ${q.error}`);
    if (!q.state || !q.code) return fail('the provider sent no code');
    const [rows] = await this.db.query(
      `DELETE FROM oidc_login WHERE state = $1 AND created_at > now() - interval '10 minutes' RETURNING code_verifier, nonce, return_to`, [q.state]);
    const login = rows?.[0];
    if (!login) return fail('this sign-in expired or was already used; start again');
    let claims: Record<string, unknown>;
    try {
      claims = await this.oidc.finish(q.code, this.redirectUri(), login.code_verifier, login.nonce);
    } catch (e) {
      if (!(e instanceof OidcError)) throw e;
      this.log.warn({ error: e.message }, 'single sign-on failed');
      return fail(e.message);
    }
    const workspaceId = this.config.CONSOLE_OIDC_WORKSPACE!;
    const claimed = claims[this.config.CONSOLE_OIDC_ROLE_CLAIM];
    const role = isRole(claimed) ? claimed : this.config.CONSOLE_OIDC_DEFAULT_ROLE;
    const email = typeof claims.email === 'string' ? claims.email : String(claims.sub);
    const name = typeof claims.name === 'string' ? claims.name : null;
    // The provider is the source of truth for an SSO user's role: it is refreshed at every sign-in.
    const [existing] = await this.db.query(
      `SELECT id, role, disabled FROM console_user WHERE workspace_id = $1 AND (sso_subject = $2 OR (sso_subject IS NULL AND password_hash IS NULL AND lower(email) = lower($3)))`,
      [workspaceId, claims.sub, email]);
    let userId: string;
    if (existing) {
      if (existing.disabled) return fail('this user is disabled');
      userId = existing.id;
      await this.db.query(`UPDATE console_user SET role = $2, email = $3, name = COALESCE($4, name), sso_subject = $5, last_sign_in_at = now(), updated_at = now() WHERE id = $1`,
        [userId, role, email, name, claims.sub]);
    } else {
      userId = randomUUID();
      await this.db.query(`INSERT INTO console_user (id, workspace_id, email, name, role, sso_subject, last_sign_in_at) VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [userId, workspaceId, email, name, role, claims.sub]);
      await this.audit.record({ workspaceId, email, role }, { action: 'user.created-by-sso', target: `user ${email}`, status: 201, after: { email, role } });
    }
    const { sessionId } = await this.sessions.open(userId, 'sso');
    reply.header('set-cookie', this.sessions.cookie(sessionId));
    return reply.redirect(localPath(login.return_to), 302);
  }

  private redirectUri(): string {
    return `${this.config.CONSOLE_PUBLIC_URL!.replace(/\/+$/, '')}/auth/sso/callback`;
  }
}
