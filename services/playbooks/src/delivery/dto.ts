import { ALERT_SEVERITIES } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength, ValidateBy, ValidateIf } from 'class-validator';
import { LimitQuery } from '../common/query';
import { EmailRecipients, emailRecipientsProblem } from '../domain/email-recipients';

export const CHANNEL_TYPES = ['webhook', 'slack', 'email'] as const;
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'failed', 'cancelled'] as const;

/** `to` of an email channel; the message names the bad entry. */
function IsEmailRecipients() {
  return ValidateBy({
    name: 'isEmailRecipients',
    validator: {
      validate: (value: unknown) => emailRecipientsProblem(value) === undefined,
      defaultMessage: (args) => emailRecipientsProblem(args?.value) ?? 'to: invalid',
    },
  });
}

export class CreateChannelDto {
  @ApiProperty({ enum: CHANNEL_TYPES }) @IsIn(CHANNEL_TYPES) type: (typeof CHANNEL_TYPES)[number];

  @ApiPropertyOptional({ example: 'https://hooks.example.com/cairn', description: 'Webhook and Slack channels: where alerts are POSTed' })
  @ValidateIf((o: CreateChannelDto) => o.type !== 'email' || o.url !== undefined)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['owner'] }, { type: 'array', items: { type: 'string' } }],
    example: ['owner', 'cs-leads@vendor.example'],
    description: 'Email channels: "owner" (the account\'s CSM owner) or a list of addresses, which may include "owner"',
  })
  @ValidateIf((o: CreateChannelDto) => o.type === 'email' || o.to !== undefined)
  @IsEmailRecipients()
  to?: EmailRecipients;

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
