import { IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, Min } from 'class-validator';

export const TICKET_SOURCES = ['zendesk', 'intercom', 'api'] as const;
export type TicketSourceKind = (typeof TICKET_SOURCES)[number];

/** Cairn's status of a ticket, whatever the help desk calls it (Intercom "snoozed" is pending). */
export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_CHANGES = ['opened', 'updated', 'solved'] as const;
export type TicketChange = (typeof TICKET_CHANGES)[number];

/**
 * cairn.support.ticket-changed.v1 — a help-desk ticket of a known account was opened, changed or
 * solved. Only tickets mapped to an account are published; an unmapped ticket is published once it
 * is mapped (with its current state).
 */
export class TicketChangedV1 {
  /** Cairn's id of the ticket (stable per source and help-desk id). */
  @IsString() ticketId: string;
  @IsIn(TICKET_SOURCES) source: TicketSourceKind;
  @IsString() sourceId: string;
  /** The help desk's own id (Zendesk ticket id, Intercom conversation id). */
  @IsString() externalId: string;
  @IsIn(TICKET_CHANGES) change: TicketChange;
  @IsIn(TICKET_STATUSES) status: TicketStatus;
  @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @IsArray() @IsString({ each: true }) tags: string[];
  /** Escalated: tagged with the escalation tag, or urgent. */
  @IsBoolean() escalated: boolean;
  @IsOptional() @IsString() subject?: string;
  @IsISO8601() openedAt: string;
  /** When the help desk last changed the ticket (event time). */
  @IsISO8601() updatedAt: string;
  @IsOptional() @IsISO8601() solvedAt?: string;
  @IsOptional() @IsInt() @Min(0) firstResponseMinutes?: number;
  @IsOptional() @IsInt() @Min(0) resolutionMinutes?: number;
  /** good / bad (Zendesk's satisfaction rating; Intercom's 1–5 rating: 4–5 good, 1–2 bad, 3 neither). */
  @IsOptional() @IsIn(['good', 'bad', 'neutral']) satisfaction?: 'good' | 'bad' | 'neutral';
  /** The rating on its own scale (Intercom 1–5), when there is one. */
  @IsOptional() @IsInt() @Min(1) @Max(5) satisfactionScore?: number;
}
