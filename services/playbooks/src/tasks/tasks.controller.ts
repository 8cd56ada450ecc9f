import { AuthSubject, WorkspaceId } from '@cairn/auth';
import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListTasksQuery, UpdateTaskDto } from './dto';
import { TasksService } from './tasks.service';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @ApiOperation({ summary: 'CSM tasks, by due date; filter by account, assignee, status, due date' })
  list(@WorkspaceId() ws: string, @Query() q: ListTasksQuery) {
    return this.tasks.list(ws, q);
  }

  @Get(':id')
  get(@WorkspaceId() ws: string, @Param('id', ParseUUIDPipe) id: string) {
    return this.tasks.get(ws, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Move a task: open → in_progress → done, or dismissed with a reason' })
  update(@WorkspaceId() ws: string, @AuthSubject() subject: string | undefined, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTaskDto) {
    return this.tasks.update(ws, id, dto, subject);
  }
}
