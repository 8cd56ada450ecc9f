import { httpSendResult, signatureHeader } from '../../domain/delivery-policy';
import { webhookTargetProblem } from '../../domain/webhook-target';
import { ChannelAttempt, ChannelContext, ChannelSettings, PendingDelivery } from './alert-channel';

/** What an HTTP counterpart answered (or why it did not). */
export interface HttpAnswer {
  statusCode: number | null;
  /** The first 500 characters of the answer. */
  text: string;
  /** Set when there was no usable answer: refused target, network error, timeout. */
  error: string | null;
  /** The target was refused before sending (private network); trying again cannot help. */
  refused: boolean;
}

/**
 * POSTs the stored body as JSON, signed with the channel secret when it has one. The target is
 * checked again at each attempt: the name may resolve elsewhere than when the channel was created.
 */
export async function postAlert(d: PendingDelivery, context: ChannelContext): Promise<HttpAnswer> {
  const refused = await webhookTargetProblem(d.url!, context.config.PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true');
  if (refused) return { statusCode: null, text: '', error: `refused: ${refused}`, refused: true };
  try {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'user-agent': 'Cairn-Playbooks/1',
      'x-cairn-delivery': d.id,
      'x-cairn-event': 'alert.raised',
    };
    if (d.sealedSecret) headers['x-cairn-signature'] = signatureHeader(d.body, openSecret(context, d.sealedSecret));
    const res = await fetch(d.url!, { method: 'POST', headers, body: d.body, redirect: 'manual', signal: AbortSignal.timeout(context.requestTimeoutMs) });
    return { statusCode: res.status, text: await readSome(res, 500), error: null, refused: false };
  } catch (e) {
    return { statusCode: null, text: '', error: describeFetchError(e), refused: false };
  }
}

/**
 * One attempt as a generic receiver takes it (webhook, Slack): any answer but 2xx may be a
 * receiver briefly down, so it is retried; a refused target never works.
 */
export async function sendToReceiver(d: PendingDelivery, context: ChannelContext): Promise<ChannelAttempt> {
  const answer = await postAlert(d, context);
  return { statusCode: answer.statusCode, error: httpError(answer), result: answer.refused ? { sent: false, permanent: true } : httpSendResult(answer.statusCode) };
}

/** The usual error text of an answer: HTTP status and the start of the body, or why there was none. */
export function httpError(answer: HttpAnswer): string | null {
  if (answer.error !== null) return answer.error;
  const s = answer.statusCode!;
  return s >= 200 && s < 300 ? null : `HTTP ${s}${answer.text ? `: ${answer.text}` : ''}`;
}

/**
 * Validation shared by the kinds that POST to a URL: a url and no recipients, and a target that
 * is not on a private network (unless PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS).
 * `kinds` names them in the message about `to` ("webhook and Slack").
 */
export async function urlChannelProblems(settings: ChannelSettings, context: ChannelContext, kinds: string): Promise<string[]> {
  if (settings.to !== undefined) return [`to: only email channels have recipients; ${kinds} channels take a url`];
  if (settings.url === undefined) return ['url must be an http(s) URL'];
  const target = await webhookTargetProblem(settings.url, context.config.PLAYBOOKS_WEBHOOK_ALLOW_PRIVATE_NETWORKS === 'true');
  return target ? [target] : [];
}

/** A URL without its credentials: password and query values, and with `pathTail` the last path segment (a token). */
export function maskUrl(raw: string, options: { pathTail?: boolean } = {}): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    for (const k of [...u.searchParams.keys()]) u.searchParams.set(k, '***');
    if (options.pathTail) {
      const parts = u.pathname.split('/');
      if (parts.length > 2) parts[parts.length - 1] = '***';
      u.pathname = parts.join('/');
    }
    return u.toString();
  } catch {
    return '***';
  }
}

/** The host, for logs (a webhook URL may itself be a credential). */
export function safeHost(url: string | null): string {
  try { return new URL(url ?? '').host; } catch { return '?'; }
}

function openSecret(context: ChannelContext, sealed: string): string {
  try {
    return context.box.open(sealed);
  } catch {
    throw new Error('the channel secret cannot be decrypted (was CAIRN_AUTH_SECRET changed?); re-create the channel');
  }
}

async function readSome(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let out = '';
  try {
    while (out.length < max) {
      const { done, value } = await reader.read();
      if (done) break;
      out += decoder.decode(value, { stream: true });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return out.slice(0, max);
}

/** Network errors without the URL (a Slack webhook URL is itself a credential). */
function describeFetchError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return 'timed out';
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}
