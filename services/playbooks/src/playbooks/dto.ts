import { ALERT_SEVERITIES, TASK_PRIORITIES } from '@cairn/contracts';
import { ApiHideProperty, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsArray, IsBoolean, IsDefined, IsInt, IsNumber, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { TRIGGER_TYPES } from '../domain/triggers';

/**
 * Only the outer shape is checked here; the conditions and actions are checked by the domain
 * (`parsePlaybookDefinition`), which names the exact path of each problem.
 */
export class PlaybookDto {
  @ApiProperty({ example: 'Big drop on at-risk accounts' }) @IsString() name: string;
  @ApiPropertyOptional() @IsOptional() @IsString() description?: string;
  @ApiProperty({ enum: TRIGGER_TYPES, example: 'usage.dropped' }) @IsString() trigger: string;
  @ApiPropertyOptional({
    description: 'Declarative conditions: {all|any: [...]}, {not: {...}} or {field, op, value}; ops: eq, neq, in, nin, lt, lte, gt, gte, exists, contains',
    example: { all: [{ field: 'account.band', op: 'in', value: ['red', 'yellow'] }, { field: 'event.changePct', op: 'lte', value: -30 }] },
  })
  @IsOptional() @IsObject() conditions?: Record<string, unknown>;
  @ApiProperty({
    description: `createTask {title, description?, priority (${TASK_PRIORITIES.join('|')}), dueInDays, assignee ('owner' or a person), escalations?} `
      + `and/or raiseAlert {severity (${ALERT_SEVERITIES.join('|')}), title, recipient?, escalations?}; titles and descriptions take {{account.name}}, {{event.reason}} …`,
    example: [
      { type: 'createTask', title: 'Call {{account.name}}', description: '{{event.reason}}', priority: 'high', dueInDays: 2, assignee: 'owner' },
      { type: 'raiseAlert', severity: 'warning', title: 'Usage drop at {{account.name}}' },
    ],
  })
  @IsArray() @IsObject({ each: true }) actions: Record<string, unknown>[];
  @ApiPropertyOptional({ default: 24 }) @IsOptional() @IsNumber() cooldownHours?: number;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() enabled?: boolean;

  // Read-only fields of a playbook as GET returns it: accepted and ignored, so GET → edit → PUT works.
  @ApiHideProperty() @Allow() id?: unknown;
  @ApiHideProperty() @Allow() workspaceId?: unknown;
  @ApiHideProperty() @Allow() defaultKey?: unknown;
  @ApiHideProperty() @Allow() version?: unknown;
  @ApiHideProperty() @Allow() createdAt?: unknown;
  @ApiHideProperty() @Allow() updatedAt?: unknown;
}

const EDITABLE = ['name', 'description', 'trigger', 'conditions', 'actions', 'cooldownHours', 'enabled'] as const;

/** The editable part of a submitted playbook. */
export function editable(dto: PlaybookDto): Record<string, unknown> {
  return Object.fromEntries(EDITABLE.filter((k) => dto[k] !== undefined).map((k) => [k, dto[k]]));
}

export class DryRunDto {
  @ApiPropertyOptional({ default: 30, description: 'Replay the signals of the last N days (event time)' })
  @IsOptional() @IsInt() @Min(1) @Max(365) days?: number;
}

export class DryRunDraftDto extends DryRunDto {
  // ValidateNested alone lets null through (found by the fault suite: a 500 in editable()).
  @ApiProperty({ type: PlaybookDto }) @IsDefined() @IsObject() @ValidateNested() @Type(() => PlaybookDto) playbook: PlaybookDto;
}
