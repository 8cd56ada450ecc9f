import { Module } from '@nestjs/common';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';
import { TaskStore } from './task.store';

@Module({
  controllers: [TasksController],
  providers: [TasksService, TaskStore],
  exports: [TaskStore],
})
export class TasksModule {}
