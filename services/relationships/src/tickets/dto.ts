import { TICKET_PRIORITIES, TICKET_STATUSES, TicketPriority, TicketStatus } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize, IsArray, IsBoolean, IsEmail, IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min, MinLength,
} from 'class-validator';

/**
 * One ticket state from any help desk without a webhook of its own (Freshdesk, Jira Service
 * Management, in-house tools): POST /tickets with an API token. `eventId` is the dedupe key.
 */
export class TicketApiDto {
  @ApiProperty({ description: 'an api source of the workspace (POST /sources kind=api)' }) @IsString() @MinLength(1) sourceId: string;
  @ApiProperty({ description: 'unique per delivery: a second call with the same eventId is stored once' }) @IsString() @MinLength(1) @MaxLength(200) eventId: string;
  @ApiProperty({ description: 'the help desk\'s ticket id' }) @IsString() @MinLength(1) @MaxLength(200) externalId: string;
  @ApiProperty({ enum: TICKET_STATUSES }) @IsIn(TICKET_STATUSES) status: TicketStatus;
  @ApiPropertyOptional({ enum: TICKET_PRIORITIES }) @IsOptional() @IsIn(TICKET_PRIORITIES) priority?: TicketPriority;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(500) subject?: string;
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) tags?: string[];
  @ApiPropertyOptional() @IsOptional() @IsEmail() requesterEmail?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) organizationId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) organizationName?: string;
  @ApiPropertyOptional({ description: 'the Cairn account, when the caller knows it' }) @IsOptional() @IsString() @MaxLength(200) accountId?: string;
  @ApiProperty() @IsISO8601() openedAt: string;
  @ApiProperty({ description: 'when the help desk last changed the ticket: the newest wins' }) @IsISO8601() updatedAt: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() firstResponseAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() solvedAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() escalated?: boolean;
  @ApiPropertyOptional({ enum: ['good', 'bad', 'neutral'] }) @IsOptional() @IsIn(['good', 'bad', 'neutral']) satisfaction?: 'good' | 'bad' | 'neutral';
  @ApiPropertyOptional({ minimum: 1, maximum: 5 }) @IsOptional() @IsInt() @Min(1) @Max(5) satisfactionScore?: number;
}

export class ListTicketsQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() accountId?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}

export class MapToAccountDto {
  @ApiProperty() @IsString() @MinLength(1) @MaxLength(200) @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) accountId: string;
}
