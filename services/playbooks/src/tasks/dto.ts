import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { LimitQuery } from '../common/query';
import { TASK_STATUSES, TASK_UPDATE_STATUSES } from '../domain/task-status';

export class ListTasksQuery extends LimitQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() accountId?: string;
  @ApiPropertyOptional({ description: 'A person, or "none" for unassigned tasks' }) @IsOptional() @IsString() assignee?: string;
  @ApiPropertyOptional({ enum: TASK_STATUSES }) @IsOptional() @IsIn(TASK_STATUSES) status?: string;
  @ApiPropertyOptional({ description: 'Tasks due before this instant (ISO 8601)' }) @IsOptional() @IsISO8601() dueBefore?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() playbookId?: string;
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: tasks the scheduled scan found past their due date while open or in progress' })
  @IsOptional() @IsIn(['true', 'false']) overdue?: 'true' | 'false';
}

export class UpdateTaskDto {
  @ApiProperty({ enum: TASK_UPDATE_STATUSES }) @IsIn(TASK_UPDATE_STATUSES) status: (typeof TASK_UPDATE_STATUSES)[number];
  @ApiPropertyOptional({ description: 'Required when dismissing' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}
