import { ALERT_SEVERITIES } from '@cairn/contracts';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { LimitQuery } from '../common/query';

export const ALERT_STATUSES = ['open', 'acknowledged'] as const;

export class ListAlertsQuery extends LimitQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() accountId?: string;
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES) status?: string;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES }) @IsOptional() @IsIn(ALERT_SEVERITIES) severity?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() recipient?: string;
}

export class InboxQuery extends LimitQuery {
  @ApiPropertyOptional({ enum: ALERT_STATUSES }) @IsOptional() @IsIn(ALERT_STATUSES) status?: string;
  @ApiPropertyOptional({
    enum: ['mine', 'all'],
    description: 'mine: alerts for the token\'s subject (and unaddressed ones); all: every alert of the workspace. '
      + 'Default: mine when the subject is a CSM the workspace knows (owns an account or has alerts), else all.',
  })
  @IsOptional() @IsIn(['mine', 'all']) scope?: 'mine' | 'all';
}
