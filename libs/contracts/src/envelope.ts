import { randomUUID } from 'node:crypto';
import { IsInt, IsISO8601, IsObject, IsOptional, IsString, IsUUID, Matches, Min } from 'class-validator';

/** The wire format of every Cairn event (JSON). See DESIGN.md "Events". */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  version: number;
  time: string;
  workspaceId: string;
  accountId?: string;
  source: string;
  traceparent?: string;
  data: T;
}

export const WORKSPACE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Validation shape of the envelope, applied once, by the transport, before any handler runs. */
export class EnvelopeShape implements EventEnvelope<Record<string, unknown>> {
  @IsUUID() id: string;
  @IsString() @Matches(/^[a-z]+\.[a-z-]+$/) type: string;
  @IsInt() @Min(1) version: number;
  @IsISO8601() time: string;
  @IsString() @Matches(WORKSPACE_ID_PATTERN) workspaceId: string;
  @IsOptional() @IsString() accountId?: string;
  @IsString() source: string;
  @IsOptional() @IsString() traceparent?: string;
  @IsObject() data: Record<string, unknown>;
}

export interface NewEvent<T> {
  workspaceId: string;
  accountId?: string;
  data: T;
  /** Event id; give a deterministic one where a retry must produce the same event. */
  id?: string;
  time?: Date | string;
  traceparent?: string;
}

/** Builds an envelope for a topic of the registry. */
export function buildEnvelope<T>(
  topic: { type: string; version: number },
  source: string,
  event: NewEvent<T>,
): EventEnvelope<T> {
  const time = event.time === undefined ? new Date() : new Date(event.time);
  return {
    id: event.id ?? randomUUID(),
    type: topic.type,
    version: topic.version,
    time: time.toISOString(),
    workspaceId: event.workspaceId,
    ...(event.accountId !== undefined ? { accountId: event.accountId } : {}),
    source,
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    data: event.data,
  };
}

/**
 * The JSON of buildEnvelope(topic, source, event) around a payload that is already serialized,
 * so a hot path serializes each payload once (the ingestion API measures the payload's size
 * from the same string it sends).
 */
export function envelopeJson<T>(topic: { type: string; version: number }, source: string, event: NewEvent<T>, dataJson: string): string {
  const head = JSON.stringify(buildEnvelope(topic, source, { ...event, data: null }));
  // buildEnvelope puts `data` last, so the head ends with "data":null}.
  return `${head.slice(0, -'null}'.length)}${dataJson}}`;
}

/** Kafka message key: all events of one account land in one partition, in order. */
export function partitionKey(envelope: Pick<EventEnvelope, 'accountId' | 'workspaceId'>): string {
  return envelope.accountId ? `${envelope.workspaceId}:${envelope.accountId}` : envelope.workspaceId;
}

