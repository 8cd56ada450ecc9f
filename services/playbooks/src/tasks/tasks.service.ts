import { Topics } from '@cairn/contracts';
import { OutboxWriter } from '@cairn/messaging';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, FindOptionsWhere, IsNull, LessThan, Not } from 'typeorm';
import { checkTaskTransition, TaskStatus } from '../domain/task-status';
import { ListTasksQuery, UpdateTaskDto } from './dto';
import { TaskEntity } from './task.entity';

@Injectable()
export class TasksService {
  constructor(@InjectDataSource() private readonly db: DataSource, private readonly outbox: OutboxWriter) {}

  list(workspaceId: string, q: ListTasksQuery): Promise<TaskEntity[]> {
    const where: FindOptionsWhere<TaskEntity> = { workspaceId };
    if (q.accountId) where.accountId = q.accountId;
    if (q.assignee) where.assignee = q.assignee === 'none' ? IsNull() : q.assignee;
    if (q.status) where.status = q.status;
    if (q.playbookId) where.playbookId = q.playbookId;
    if (q.dueBefore) where.dueAt = LessThan(new Date(q.dueBefore));
    if (q.overdue) where.overdueAt = q.overdue === 'true' ? Not(IsNull()) : IsNull();
    return this.db.getRepository(TaskEntity).find({ where, order: { dueAt: 'ASC', createdAt: 'ASC' }, take: q.limit ?? 100 });
  }

  async get(workspaceId: string, id: string): Promise<TaskEntity> {
    const t = await this.db.getRepository(TaskEntity).findOneBy({ workspaceId, id });
    if (!t) throw new NotFoundException(`task '${id}' not found`);
    return t;
  }

  async update(workspaceId: string, id: string, dto: UpdateTaskDto, by: string | undefined): Promise<TaskEntity> {
    return this.db.transaction(async (m) => {
      const repo = m.getRepository(TaskEntity);
      const task = await repo.findOne({ where: { workspaceId, id }, lock: { mode: 'pessimistic_write' } });
      if (!task) throw new NotFoundException(`task '${id}' not found`);
      const check = checkTaskTransition(task.status as TaskStatus, dto.status, dto.reason);
      if (!check.ok) throw new BadRequestException([check.problem]);
      if (!check.changed) return task;
      const closed = dto.status === 'done' || dto.status === 'dismissed';
      const now = new Date();
      await repo.update({ workspaceId, id }, {
        status: dto.status, statusReason: dto.reason?.trim() || null, statusChangedBy: by ?? null,
        updatedAt: now, closedAt: closed ? now : null,
      });
      // Read models (the console's task queue, portfolio counts) learn of the move from this event.
      await this.outbox.publish(m, Topics.taskStatusChanged, {
        workspaceId, accountId: task.accountId, time: now,
        data: {
          taskId: id, playbookId: task.playbookId, title: task.title, previousStatus: task.status as TaskStatus, status: dto.status,
          ...(dto.reason?.trim() ? { reason: dto.reason.trim() } : {}), ...(by ? { changedBy: by } : {}), changedAt: now.toISOString(),
        },
      });
      return repo.findOneByOrFail({ workspaceId, id });
    });
  }
}
