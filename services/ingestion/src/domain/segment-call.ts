import { SEGMENT_CALL_TYPES, SegmentCallType, UsageEventV1 } from '@cairn/contracts';

/** Segment's limits: https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/#max-request-size */
export const MAX_EVENT_BYTES = 32 * 1024;
export const MAX_REQUEST_BYTES = 500 * 1024;
/** Events dated further than this after their arrival are refused: a broken client clock, not usage. */
export const MAX_FUTURE_MS = 24 * 3600_000;
const MAX_ID_LENGTH = 256;

export interface IntakeContext {
  receivedAt: Date;
  /** Batch-level sentAt; a message's own sentAt wins. */
  sentAt?: unknown;
  /** Write key (source) the call came through. */
  sourceId?: string;
  generateMessageId: () => string;
}

export interface AcceptedCall {
  ok: true;
  event: UsageEventV1;
  /** The event serialized once: its size is what the 32 KB limit counts, and it is what goes on the wire. */
  json: string;
}

export interface RejectedCall {
  ok: false;
  reason: string;
  messageId?: string;
}

export type IntakeResult = AcceptedCall | RejectedCall;

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Segment ids may be numbers; empty strings count as absent. */
function idValue(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v;
  return undefined;
}

class Rejection extends Error {}

function reject(reason: string): never {
  throw new Rejection(reason);
}

function optionalObject(raw: Record<string, unknown>, field: string): Record<string, unknown> | undefined {
  const v = raw[field];
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) reject(`${field}: must be an object`);
  return v;
}

function optionalTime(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' || !ISO_DATE_TIME.test(value)) reject(`${field}: must be an ISO 8601 date-time`);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) reject(`${field}: must be an ISO 8601 date-time`);
  return ms;
}

function optionalId(raw: Record<string, unknown>, field: string): string | undefined {
  const v = raw[field];
  if (v === undefined || v === null || v === '') return undefined;
  const id = idValue(v);
  if (id === undefined) reject(`${field}: must be a string`);
  if (id.length > MAX_ID_LENGTH) reject(`${field}: must be at most ${MAX_ID_LENGTH} characters`);
  return id;
}

/**
 * The account a call belongs to: a group call's groupId; otherwise a groupId the caller put at the
 * top level (as on a group call), in context, properties or traits (Segment has no standard place
 * for it on other calls; each of these is seen in the wild).
 */
export function accountOf(raw: Record<string, unknown>, type: SegmentCallType): string | undefined {
  if (type === 'group') return idValue(raw.groupId);
  const top = idValue(raw.groupId);
  if (top !== undefined) return top;
  const context = isPlainObject(raw.context) ? raw.context : {};
  const properties = isPlainObject(raw.properties) ? raw.properties : {};
  const contextTraits = isPlainObject(context.traits) ? context.traits : {};
  const traits = isPlainObject(raw.traits) ? raw.traits : {};
  return idValue(context.groupId) ?? idValue(properties.groupId) ?? idValue(contextTraits.groupId) ?? idValue(traits.groupId);
}

/**
 * Validates one Segment call and turns it into a usage event: ids as strings, a messageId,
 * the clock-skew-corrected timestamp (`receivedAt − (sentAt − timestamp)`), the account.
 * `type` is the endpoint's call type; in a batch each call names its own.
 */
export function normalizeSegmentCall(raw: unknown, ctx: IntakeContext, type?: SegmentCallType, options: { checkSize?: boolean } = {}): IntakeResult {
  if (!isPlainObject(raw)) return { ok: false, reason: 'event: must be a JSON object' };
  const rawMessageId = idValue(raw.messageId);
  try {
    const callType = type ?? raw.type;
    if (typeof callType !== 'string' || !(SEGMENT_CALL_TYPES as readonly string[]).includes(callType)) {
      reject(`type: must be one of ${SEGMENT_CALL_TYPES.join(', ')}`);
    }
    const call = callType as SegmentCallType;
    const messageId = optionalId(raw, 'messageId') ?? ctx.generateMessageId();
    const userId = optionalId(raw, 'userId');
    const anonymousId = optionalId(raw, 'anonymousId');
    const properties = optionalObject(raw, 'properties');
    const traits = optionalObject(raw, 'traits');
    const context = optionalObject(raw, 'context');

    let event: string | undefined;
    let previousId: string | undefined;
    if (call === 'group') {
      if (optionalId(raw, 'groupId') === undefined) reject('groupId: required for group calls');
    } else if (call === 'alias') {
      previousId = optionalId(raw, 'previousId');
      if (previousId === undefined) reject('previousId: required for alias calls');
      if (userId === undefined) reject('userId: required for alias calls');
    } else if (userId === undefined && anonymousId === undefined) {
      reject('userId or anonymousId: one of them is required');
    }
    if (call === 'track') {
      if (typeof raw.event !== 'string' || raw.event.trim() === '') reject('event: required for track calls (the event name)');
      event = raw.event;
    } else if (call === 'page' || call === 'screen') {
      const name = raw.name ?? properties?.name;
      if (name !== undefined && name !== null && typeof name !== 'string') reject('name: must be a string');
      event = typeof name === 'string' && name !== '' ? name : undefined;
    }

    const receivedMs = ctx.receivedAt.getTime();
    const timestamp = optionalTime(raw.timestamp, 'timestamp');
    const originalTimestamp = optionalTime(raw.originalTimestamp, 'originalTimestamp');
    const sentAt = raw.sentAt !== undefined ? optionalTime(raw.sentAt, 'sentAt') : optionalTime(ctx.sentAt, 'sentAt');
    const clientTime = timestamp ?? originalTimestamp;
    // The client's clock may be wrong; the gap between its event and its send is not.
    const eventMs = clientTime === undefined ? receivedMs : sentAt === undefined ? clientTime : receivedMs - (sentAt - clientTime);
    if (eventMs > receivedMs + MAX_FUTURE_MS) {
      reject(`timestamp: ${new Date(eventMs).toISOString()} is more than 24 hours after the call was received (${ctx.receivedAt.toISOString()})`);
    }
    const groupId = accountOf(raw, call);
    const { writeKey: _secret, ...safeContext } = context ?? {};
    const usage: UsageEventV1 = {
      messageId,
      callType: call,
      ...(event !== undefined ? { event } : {}),
      ...(userId !== undefined ? { userId } : {}),
      ...(anonymousId !== undefined ? { anonymousId } : {}),
      ...(groupId !== undefined ? { groupId } : {}),
      ...(previousId !== undefined ? { previousId } : {}),
      timestamp: new Date(eventMs).toISOString(),
      receivedAt: ctx.receivedAt.toISOString(),
      ...(properties ? { properties } : {}),
      ...(traits ? { traits } : {}),
      ...(context ? { context: safeContext } : {}),
      ...(ctx.sourceId ? { sourceId: ctx.sourceId } : {}),
    };
    // The limit counts the event as Cairn keeps it (what a call carries that Cairn drops, such as
    // `integrations`, cannot make it too big), serialized once for both the check and the wire.
    const json = JSON.stringify(usage);
    if (options.checkSize !== false) {
      const size = Buffer.byteLength(json, 'utf8');
      if (size > MAX_EVENT_BYTES) reject(`event is ${size} bytes; the limit is 32 KB (${MAX_EVENT_BYTES} bytes) per event`);
    }
    return { ok: true, event: usage, json };
  } catch (e) {
    if (e instanceof Rejection) return { ok: false, reason: e.message, ...(rawMessageId ? { messageId: rawMessageId } : {}) };
    throw e;
  }
}

export interface BatchIntake {
  accepted: Array<{ event: UsageEventV1; json: string }>;
  rejected: Array<{ index: number; messageId?: string; reason: string; payload: unknown }>;
}

/**
 * A Segment batch: every valid call is kept, every invalid one is listed by index with its
 * reason (and its payload, for quarantine). `requestBytes` lets small batches skip the
 * per-event size check: no event can exceed the limit when the whole request does not.
 */
export function normalizeBatch(batch: unknown[], ctx: IntakeContext, requestBytes?: number): BatchIntake {
  const out: BatchIntake = { accepted: [], rejected: [] };
  const checkSize = requestBytes === undefined || requestBytes > MAX_EVENT_BYTES;
  batch.forEach((raw, index) => {
    const r = normalizeSegmentCall(raw, ctx, undefined, { checkSize });
    if (r.ok) out.accepted.push({ event: r.event, json: r.json });
    else out.rejected.push({ index, ...(r.messageId ? { messageId: r.messageId } : {}), reason: r.reason, payload: withoutSecrets(raw) });
  });
  return out;
}

/** A call as kept in quarantine: never with the write key it came with. */
export function withoutSecrets(raw: unknown): unknown {
  if (!isPlainObject(raw)) return raw;
  const { writeKey: _secret, ...rest } = raw;
  return rest;
}
