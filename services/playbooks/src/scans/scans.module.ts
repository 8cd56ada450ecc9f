import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { PlaybooksModule } from '../playbooks/playbooks.module';
import { TasksModule } from '../tasks/tasks.module';
import { TriggersModule } from '../triggers/triggers.module';
import { ScheduledScan } from './scheduled-scan.service';

@Module({
  imports: [PlaybooksModule, TriggersModule, TasksModule, AccountsModule],
  providers: [ScheduledScan],
  exports: [ScheduledScan],
})
export class ScansModule {}
