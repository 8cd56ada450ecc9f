import { SURVEY_KINDS, SurveyKind } from '@cairn/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';

export class CreateSurveyDto {
  @ApiProperty({ example: 'Quarterly NPS' }) @IsString() @Length(1, 200) name: string;
  @ApiProperty({ enum: SURVEY_KINDS, description: 'nps: 0–10, csat: 1–5, ces: 1–7 (effort; lower is better)' })
  @IsIn(SURVEY_KINDS) kind: SurveyKind;
  @ApiPropertyOptional({ description: 'Defaults to the standard question of the kind' })
  @IsOptional() @IsString() @Length(1, 500) question?: string;
  @ApiPropertyOptional({ example: 'What is the main reason for your score?' })
  @IsOptional() @IsString() @Length(1, 500) followUpQuestion?: string;
}

export class RecordResponseDto {
  @ApiProperty({ example: 'acme' }) @IsString() @Length(1, 200) accountId: string;
  @ApiPropertyOptional({ example: 'acme-ana', description: 'Who answered; a second answer of the same contact replaces the first' })
  @IsOptional() @IsString() @Length(1, 200) contactId?: string;
  @ApiProperty({ example: 9, description: 'NPS 0–10, CSAT 1–5, CES 1–7' }) @IsInt() score: number;
  @ApiPropertyOptional({ example: 'Love the dashboards' }) @IsOptional() @IsString() @MaxLength(5000) comment?: string;
  @ApiPropertyOptional({ example: '2026-03-01T10:00:00Z', description: 'When the answer was given, for answers imported after the fact (history); now when absent' })
  @IsOptional() @IsISO8601({ strict: true }) respondedAt?: string;
}

export class ResultsQueryDto {
  @ApiPropertyOptional({ example: '2026-01-01', description: 'Answers given at or after this time (ISO 8601)' })
  @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ example: '2026-04-01', description: 'Answers given before this time (ISO 8601, exclusive)' })
  @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ example: 'acme' }) @IsOptional() @IsString() @Length(1, 200) accountId?: string;
  @ApiPropertyOptional({ description: 'Only answers given in this wave; the response rate is then the wave\'s' })
  @IsOptional() @IsString() waveId?: string;
  @ApiPropertyOptional({ enum: ['account', 'segment', 'plan'], description: 'Also break the results down by account, account segment or plan' })
  @IsOptional() @IsIn(['account', 'segment', 'plan']) groupBy?: 'account' | 'segment' | 'plan';
}

export class ListResponsesQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() accountId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() contactId?: string;
}
