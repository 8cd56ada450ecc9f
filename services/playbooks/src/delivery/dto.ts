import { ALERT_SEVERITIES } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, IsUUID, Length, MaxLength, ValidateBy } from 'class-validator';
import { LimitQuery } from '../common/query';
import { EmailRecipients, emailRecipientsProblem } from '../domain/email-recipients';
import { CHANNEL_KINDS } from './channels/channel.registry';

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
  /** Checked against the channel registry (a 400 names an unknown kind). */
  @ApiProperty({ enum: CHANNEL_KINDS }) @IsString() @MaxLength(40) type: string;

  @ApiPropertyOptional({ example: 'https://hooks.example.com/cairn', description: 'The kinds that POST (webhook, Slack, …): where alerts are POSTed' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http(s) URL' })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({
    oneOf: [{ type: 'string', enum: ['owner'] }, { type: 'array', items: { type: 'string' } }],
    example: ['owner', 'cs-leads@vendor.example'],
    description: 'Email channels: "owner" (the account\'s CSM owner) or a list of addresses, which may include "owner"',
  })
  @IsOptional()
  @IsEmailRecipients()
  to?: EmailRecipients;

  @ApiPropertyOptional({ description: 'HMAC-SHA256 signing secret, for the kinds that POST. Omitted for a webhook: one is generated and shown once, in this response.' })
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
