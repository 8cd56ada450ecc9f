import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString } from 'class-validator';

/** cairn.renewal.contract-upserted.v1 — a contract was created or changed. */
export class ContractUpsertedV1 {
  @IsString() contractId: string;
  @IsNumber() arr: number;
  @IsString() currency: string;
  @IsISO8601() startDate: string;
  @IsISO8601() endDate: string;
  @IsBoolean() autoRenew: boolean;
  @IsOptional() @IsString() owner?: string;
}

/** cairn.renewal.upcoming.v1 — a contract's end date came within a horizon (120/90/60/30 days). */
export class RenewalUpcomingV1 {
  @IsString() contractId: string;
  @IsISO8601() endDate: string;
  @IsInt() horizonDays: number;
  @IsInt() daysToRenewal: number;
  @IsNumber() arr: number;
  @IsString() currency: string;
  /** Latest health band renewals knew of, when it knew one. */
  @IsOptional() @IsIn(['red', 'yellow', 'green']) healthBand?: 'red' | 'yellow' | 'green';
  @IsOptional() @IsString() owner?: string;
}

export const RENEWAL_OUTCOMES = ['renewed', 'expanded', 'contracted', 'churned'] as const;
export type RenewalOutcome = (typeof RENEWAL_OUTCOMES)[number];

/** cairn.renewal.closed.v1 — the outcome of a renewal was recorded. */
export class RenewalClosedV1 {
  @IsString() contractId: string;
  @IsIn(RENEWAL_OUTCOMES) outcome: RenewalOutcome;
  @IsNumber() arrBefore: number;
  @IsNumber() arrAfter: number;
  @IsOptional() @IsString() reason?: string;
  @IsISO8601() closedAt: string;
}
