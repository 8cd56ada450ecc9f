import { ALERT_SEVERITIES } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength } from 'class-validator';
import { LimitQuery } from '../common/query';

export const CHANNEL_TYPES = ['webhook', 'slack'] as const;
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'cancelled'] as const;

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES }) @IsIn(CHANNEL_TYPES) type: (typeof CHANNEL_TYPES)[number];
  @ApiProperty({ example: 'https://hooks.example.com/cairn' })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url: string;
  @ApiPropertyOptional({ description: 'HMAC-SHA256 signing secret. Omitted for a webhook: one is generated and shown once, in this response.' })
  @IsOptional() @IsString() @Length(1, 500) secret?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional({ enum: ALERT_SEVERITIES, default: 'info', description: 'Only alerts at least this severe are sent' })
  @IsOptional() @IsIn(ALERT_SEVERITIES) minSeverity?: string;
}

export class ListDeliveriesQuery extends LimitQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() alertId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() channelId?: string;
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES }) @IsOptional() @IsIn(DELIVERY_STATUSES) status?: string;
}
