import { Type } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, Min, ValidateNested,
} from 'class-validator';

export const SEGMENT_CALL_TYPES = ['track', 'identify', 'group', 'page', 'screen', 'alias'] as const;
export type SegmentCallType = (typeof SEGMENT_CALL_TYPES)[number];

/**
 * cairn.usage.event.v1 — one normalized Segment call (track/identify/group/page/screen/alias),
 * accepted by ingestion's HTTP API or read from the raw topic, validated and clock-skew corrected.
 */
export class UsageEventV1 {
  @IsString() messageId: string;
  @IsIn(SEGMENT_CALL_TYPES) callType: SegmentCallType;
  /** Event name of a track call; page/screen name otherwise. */
  @IsOptional() @IsString() event?: string;
  @IsOptional() @IsString() userId?: string;
  @IsOptional() @IsString() anonymousId?: string;
  /** Account (Segment groupId) the call belongs to, when the caller said so. */
  @IsOptional() @IsString() groupId?: string;
  /** alias: the previous id merged into userId. */
  @IsOptional() @IsString() previousId?: string;
  /** Event time after clock-skew correction (ISO 8601). */
  @IsISO8601() timestamp: string;
  @IsISO8601() receivedAt: string;
  @IsOptional() @IsObject() properties?: Record<string, unknown>;
  @IsOptional() @IsObject() traits?: Record<string, unknown>;
  @IsOptional() @IsObject() context?: Record<string, unknown>;
  /** Write-key source the call came through. */
  @IsOptional() @IsString() sourceId?: string;
}

export class UsageWindow {
  /** First day of the window (YYYY-MM-DD, event time, UTC). */
  @IsString() from: string;
  /** Last day of the window, inclusive. */
  @IsString() to: string;
}

class UsageComparison {
  @ValidateNested() @Type(() => UsageWindow) baselineWindow: UsageWindow;
  @ValidateNested() @Type(() => UsageWindow) currentWindow: UsageWindow;
  /** Average events per day over the baseline window. */
  @IsNumber() baselineDailyAvg: number;
  /** Average events per day over the current window. */
  @IsNumber() currentDailyAvg: number;
  /** (current − baseline) / baseline × 100, rounded to one decimal. */
  @IsNumber() changePct: number;
  /** Human-readable sentence with the numbers. */
  @IsString() reason: string;
}

/** cairn.usage.dropped.v1 — an account's recent usage fell below its own baseline. */
export class UsageDroppedV1 extends UsageComparison {
  /** Threshold (percent drop) that was crossed. */
  @IsNumber() thresholdPct: number;
  /** 'drop' when there is still some usage, 'silence' when the account stopped sending anything. */
  @IsIn(['drop', 'silence']) kind: 'drop' | 'silence';
  /** Identifies the episode; a drop is signalled once until it recovers. */
  @IsString() episodeId: string;
}

/** cairn.usage.recovered.v1 — usage came back above the recovery line after a drop episode. */
export class UsageRecoveredV1 extends UsageComparison {
  @IsString() episodeId: string;
}

/** cairn.usage.summary.v1 — the account's usage summary after its rollups moved (health scores it; playbooks and renewals read it). */
export class UsageSummaryV1 {
  /** Day (event time) the summary is as of. */
  @IsString() asOf: string;
  @IsInt() @Min(0) activeUsers7d: number;
  @IsInt() @Min(0) activeUsers30d: number;
  @IsInt() @Min(0) featuresUsed30d: number;
  @IsOptional() @IsISO8601() lastActivityAt?: string;
  /** Current window vs baseline, percent (negative = less usage); absent while there is no baseline yet. */
  @IsOptional() @IsNumber() usageTrendPct?: number;
  /** The account's first product activity (event time), ISO 8601. */
  @IsOptional() @IsISO8601() firstActivityAt?: string;
  /**
   * First occurrence of the workspace's value event (event time), on or before `asOf`; absent while
   * no value event is configured or the account has not reached it. Time to first value =
   * firstValueAt − firstActivityAt.
   */
  @IsOptional() @IsISO8601() firstValueAt?: string;
  /**
   * true: the account's figures so far, as of its newest (still open) day, sent whenever a chunk
   * of calls moves them; absent: the summary that closes the day `asOf`.
   */
  @IsOptional() @IsBoolean() current?: boolean;
}
