import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
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

export const OVERDUE_TASK_STATUSES = ['open', 'in_progress'] as const;

/** cairn.playbook.task-overdue.v1 — an open or in-progress task passed its due date (once per task). */
export class TaskOverdueV1 {
  @IsString() taskId: string;
  @IsString() playbookId: string;
  @IsString() title: string;
  @IsIn(TASK_PRIORITIES) priority: TaskPriority;
  @IsOptional() @IsString() assignee?: string;
  @IsIn(OVERDUE_TASK_STATUSES) status: (typeof OVERDUE_TASK_STATUSES)[number];
  @IsISO8601() dueAt: string;
  @IsISO8601() createdAt: string;
  /** When the scan found the task overdue (the scan's clock). */
  @IsISO8601() detectedAt: string;
  /** Whole days past due at detection (0 = due earlier the same day). */
  @IsNumber() @Min(0) daysOverdue: number;
  /** One sentence: which task, for which account, due when. */
  @IsString() reason: string;
  @ValidateNested() @Type(() => SignalCause) cause: SignalCause;
}
