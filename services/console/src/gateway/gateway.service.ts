import { issueApiToken } from '@cairn/auth';
import { Injectable } from '@nestjs/common';
import { ConsoleConfig } from '../config';
import { OwningService } from '../domain/access';
import { SignedInUser } from '../identity/sessions.service';

export interface Forwarded {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Calls an owning service on a user's behalf with a short-lived API token minted for the
 * session's workspace and the user as subject: each service keeps enforcing isolation itself.
 */
@Injectable()
export class GatewayService {
  constructor(private readonly config: ConsoleConfig) {}

  token(user: Pick<SignedInUser, 'workspaceId' | 'email'>): string {
    return issueApiToken({ workspaceId: user.workspaceId, subject: user.email, ttlSeconds: this.config.CONSOLE_TOKEN_TTL_SECONDS }, this.config.CAIRN_AUTH_SECRET);
  }

  async call(user: Pick<SignedInUser, 'workspaceId' | 'email'>, service: OwningService, method: string, pathAndQuery: string, body?: unknown, contentType?: string): Promise<Forwarded> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token(user)}`, accept: 'application/json' };
    let payload: string | undefined;
    if (body !== undefined && method !== 'GET' && method !== 'HEAD') {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      headers['content-type'] = typeof body === 'string' && contentType ? contentType : 'application/json';
    }
    try {
      const r = await fetch(`${this.config.serviceUrl(service)}${pathAndQuery}`, { method, headers, body: payload, signal: AbortSignal.timeout(15_000) });
      return { status: r.status, contentType: r.headers.get('content-type') ?? 'application/json', body: await r.text() };
    } catch (e) {
      return {
        status: 502, contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ statusCode: 502, error: 'Bad Gateway', message: `${service} did not answer (${(e as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'})` }),
      };
    }
  }

  /** GET as JSON, or undefined unless it answered 200. */
  async getJson<T = unknown>(user: Pick<SignedInUser, 'workspaceId' | 'email'>, service: OwningService, pathAndQuery: string): Promise<{ status: number; json?: T }> {
    const r = await this.call(user, service, 'GET', pathAndQuery);
    if (r.status !== 200) return { status: r.status };
    try { return { status: 200, json: JSON.parse(r.body) as T }; } catch { return { status: 502 }; }
  }
}
