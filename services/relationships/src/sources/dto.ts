import { TICKET_SOURCES, TicketSourceKind } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class CreateSourceDto {
  @ApiProperty({ enum: TICKET_SOURCES }) @IsIn(TICKET_SOURCES) kind: TicketSourceKind;
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) name: string;
  /** Optional id (lower-case letters, digits, dashes); one is generated otherwise. */
  @ApiPropertyOptional() @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'id must be lower-case letters, digits and dashes' }) id?: string;
  /** Zendesk: the webhook's signing secret; Intercom: the app's client secret. Required for both; the API source uses API tokens. */
  @ApiPropertyOptional({ writeOnly: true })
  @ValidateIf((o: CreateSourceDto) => o.kind !== 'api')
  @IsString({ message: 'signingSecret is required for zendesk and intercom sources' }) @MinLength(8) @MaxLength(500)
  signingSecret?: string;
}

export class SetSecretDto {
  @ApiProperty({ writeOnly: true }) @IsString() @MinLength(8) @MaxLength(500) signingSecret: string;
}
