import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { AlertsModule } from '../alerts/alerts.module';
import { TasksModule } from '../tasks/tasks.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { PlaybooksModule } from '../playbooks/playbooks.module';
import { DryRunService } from './dry-run.service';
import { PlaybookRunStore } from './playbook-run.store';
import { PlaybookRunner } from './playbook-runner.service';
import { SignalRetention } from './signal-retention.service';
import { SignalStore } from './signal.store';
import { SignalsController } from './signals.controller';
import { TriggersConsumer } from './triggers.consumer';

@Module({
  imports: [AccountsModule, PlaybooksModule, DeliveryModule, TasksModule, AlertsModule],
  controllers: [TriggersConsumer, SignalsController],
  providers: [PlaybookRunner, DryRunService, SignalStore, PlaybookRunStore, SignalRetention],
  exports: [PlaybookRunner],
})
export class TriggersModule {}
