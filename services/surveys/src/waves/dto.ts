import { CONTACT_ROLES } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, MaxLength, ValidateNested,
} from 'class-validator';

export class AudienceDto {
  @ApiPropertyOptional({ example: ['acme'] }) @IsOptional() @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true }) accountIds?: string[];
  @ApiPropertyOptional({ example: ['acme-ana'] }) @IsOptional() @IsArray() @ArrayMaxSize(10_000) @IsString({ each: true }) contactIds?: string[];
  @ApiPropertyOptional({ example: 'enterprise', description: "Accounts whose 'segment' trait is this" }) @IsOptional() @IsString() segment?: string;
  @ApiPropertyOptional({ example: 'growth' }) @IsOptional() @IsString() plan?: string;
  @ApiPropertyOptional({ enum: CONTACT_ROLES, isArray: true }) @IsOptional() @IsArray() @IsIn(CONTACT_ROLES, { each: true }) roles?: string[];
}

export class CreateWaveDto {
  @ApiPropertyOptional({ example: 'Q3 NPS' }) @IsOptional() @IsString() @Length(1, 200) name?: string;
  @ApiProperty({ enum: ['email', 'in_app'], description: 'email: a personal signed link by SMTP; in_app: offered through GET /in-app/surveys' })
  @IsIn(['email', 'in_app']) channel: 'email' | 'in_app';
  @ApiProperty({ type: AudienceDto }) @ValidateNested() @Type(() => AudienceDto) audience: AudienceDto;
  @ApiPropertyOptional({ example: '2026-12-31T00:00:00Z', description: 'When the links stop working (default: SURVEY_WAVE_DEFAULT_EXPIRY_DAYS from now)' })
  @IsOptional() @IsISO8601() expiresAt?: string;
  @ApiPropertyOptional({ description: 'Only say who would be invited (and who skipped, why); create nothing' })
  @IsOptional() @IsBoolean() preview?: boolean;
}

export class LinkQueryDto {
  @ApiProperty({ description: 'The token of a personal survey link' }) @IsString() @MaxLength(2000) token: string;
}

export class LinkAnswerDto {
  @ApiProperty({ description: 'The token of a personal survey link (email) or of an in-app invitation' }) @IsString() @MaxLength(2000) token: string;
  @ApiProperty({ example: 9, description: 'On the survey\'s scale: NPS 0–10, CSAT 1–5, CES 1–7' }) @IsInt() score: number;
  @ApiPropertyOptional({ example: 'Support answered fast' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
}

export class InAppQueryDto {
  @ApiProperty({ example: 'acme-ana', description: 'The signed-in user of your product (Segment userId)' }) @IsString() @Length(1, 200) contactId: string;
}
