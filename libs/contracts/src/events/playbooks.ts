import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsOptional, IsString, ValidateNested } from 'class-validator';
import { SignalCause } from './health';

export const TASK_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** cairn.playbook.task-created.v1 */
export class TaskCreatedV1 {
  @IsString() taskId: string;
  @IsString() playbookId: string;
  @IsString() title: string;
  @IsString() description: string;
  @IsIn(TASK_PRIORITIES) priority: TaskPriority;
  @IsOptional() @IsString() assignee?: string;
  @IsISO8601() dueAt: string;
  @ValidateNested() @Type(() => SignalCause) cause: SignalCause;
}

/** cairn.playbook.alert-raised.v1 */
export class AlertRaisedV1 {
  @IsString() alertId: string;
  @IsString() playbookId: string;
  @IsIn(ALERT_SEVERITIES) severity: AlertSeverity;
  @IsString() title: string;
  @IsString() reason: string;
  @IsOptional() @IsString() taskId?: string;
  @ValidateNested() @Type(() => SignalCause) cause: SignalCause;
}
