import { Type } from 'class-transformer';
import { IsArray, IsIn, IsInt, IsISO8601, IsNumber, IsOptional, IsString, ValidateNested } from 'class-validator';

export const HEALTH_BANDS = ['red', 'yellow', 'green'] as const;
export type HealthBand = (typeof HEALTH_BANDS)[number];

export class HealthScore {
  @IsNumber() score: number;
  @IsIn(HEALTH_BANDS) band: HealthBand;
}

/** One measure's part in a score: what it saw, what it gave, why. */
export class MeasureExplanation {
  @IsString() measure: string;
  @IsOptional() raw?: number | string | boolean | null;
  /** 0–100 points, or null when the measure had no data and was left out. */
  @IsOptional() @IsNumber() points: number | null;
  @IsNumber() weight: number;
  /** Points × renormalized weight: what this measure added to the score. */
  @IsNumber() contribution: number;
  @IsString() detail: string;
  @IsOptional() @IsString() lastEventId?: string;
  /** Measure group (adoption, relationship, sentiment, commercial). */
  @IsOptional() @IsString() group?: string;
}

export class SignalCause {
  @IsString() eventId: string;
  @IsString() type: string;
  @IsString() summary: string;
}

/** A CSM's override of an account's band (and score), in force until it expires or is cleared. */
export class HealthOverride {
  @IsIn(HEALTH_BANDS) band: HealthBand;
  /** The score shown instead of the computed one; absent: the computed score stays. */
  @IsOptional() @IsNumber() score?: number;
  @IsString() reason: string;
  @IsString() by: string;
  @IsISO8601() expiresAt: string;
  /** What the scorecard computed underneath. */
  @ValidateNested() @Type(() => HealthScore) computed: HealthScore;
}

/** cairn.health.changed.v1 — an account's score or band moved, with the explanation. */
export class HealthChangedV1 {
  @IsString() scorecardId: string;
  /** Version of the scorecard that produced `current`. */
  @IsOptional() @IsInt() scorecardVersion?: number;
  @IsOptional() @ValidateNested() @Type(() => HealthScore) previous: HealthScore | null;
  @ValidateNested() @Type(() => HealthScore) current: HealthScore;
  @IsArray() @ValidateNested({ each: true }) @Type(() => MeasureExplanation) explanation: MeasureExplanation[];
  @ValidateNested() @Type(() => SignalCause) cause: SignalCause;
  @IsString() summary: string;
  /** Present while a CSM override is in force: `current` is the overridden score and band. */
  @IsOptional() @ValidateNested() @Type(() => HealthOverride) override?: HealthOverride;
}
