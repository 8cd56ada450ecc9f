import { IsArray, IsIn, IsISO8601, IsNumber, IsObject, IsOptional, IsString } from 'class-validator';

export const CONTACT_ROLES = ['champion', 'decision_maker', 'admin', 'end_user'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];

/** cairn.directory.account-upserted.v1 — an account was created or its traits changed (Segment group). */
export class AccountUpsertedV1 {
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() domain?: string;
  @IsOptional() @IsString() plan?: string;
  @IsOptional() @IsNumber() arr?: number;
  @IsOptional() @IsNumber() seats?: number;
  /** Person (email or user id) who owns the account on the CS side. */
  @IsOptional() @IsString() csmOwner?: string;
  @IsOptional() @IsString() lifecycleStage?: string;
  @IsObject() traits: Record<string, unknown>;
  /** When the change happened (the Segment call's timestamp), which may be long before it was processed (a replayed history). */
  @IsOptional() @IsISO8601() observedAt?: string;
}

/** cairn.directory.contact-upserted.v1 — a person (Segment identify) was created or changed. */
export class ContactUpsertedV1 {
  @IsString() contactId: string;
  @IsArray() @IsString({ each: true }) accountIds: string[];
  @IsOptional() @IsString() email?: string;
  @IsOptional() @IsString() name?: string;
  @IsOptional() @IsString() title?: string;
  @IsOptional() @IsIn(CONTACT_ROLES) role?: ContactRole;
  @IsObject() traits: Record<string, unknown>;
  /** When the change happened (the Segment call's timestamp), which may be long before it was processed (a replayed history). */
  @IsOptional() @IsISO8601() observedAt?: string;
}

export const DEPARTURE_RULES = ['traits', 'email-domain', 'removed', 'inactive'] as const;
export type DepartureRule = (typeof DEPARTURE_RULES)[number];

/** cairn.directory.contact-departed.v1 — a key contact (champion, decision maker) left the account. */
export class ContactDepartedV1 {
  @IsString() contactId: string;
  @IsOptional() @IsString() email?: string;
  @IsOptional() @IsString() name?: string;
  @IsIn(CONTACT_ROLES) role: ContactRole;
  /** Which detection rule fired. */
  @IsIn(DEPARTURE_RULES) rule: DepartureRule;
  /** The facts behind it, e.g. { trait: 'status', value: 'left' }. */
  @IsObject() evidence: Record<string, unknown>;
  @IsISO8601() departedAt: string;
  @IsString() reason: string;
}
