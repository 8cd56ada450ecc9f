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

export const TASK_STATUS_VALUES = ['open', 'in_progress', 'done', 'dismissed'] as const;

/** cairn.playbook.task-status-changed.v1 — a task moved from one status to another. */
export class TaskStatusChangedV1 {
  @IsString() taskId: string;
  @IsString() playbookId: string;
  @IsString() title: string;
  @IsIn(TASK_STATUS_VALUES) previousStatus: (typeof TASK_STATUS_VALUES)[number];
  @IsIn(TASK_STATUS_VALUES) status: (typeof TASK_STATUS_VALUES)[number];
  @IsOptional() @IsString() reason?: string;
  /** Who moved it (the API token's subject). */
  @IsOptional() @IsString() changedBy?: string;
  @IsISO8601() changedAt: string;
}

/** cairn.playbook.alert-acknowledged.v1 — an open alert was acknowledged (published once per alert). */
export class AlertAcknowledgedV1 {
  @IsString() alertId: string;
  @IsString() playbookId: string;
  @IsOptional() @IsString() acknowledgedBy?: string;
  @IsISO8601() acknowledgedAt: string;
}
