import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DeliveryModule } from '../delivery/delivery.module';
import { PlaybooksModule } from '../playbooks/playbooks.module';
import { DryRunService } from './dry-run.service';
import { PlaybookRunner } from './playbook-runner.service';
import { SignalsController } from './signals.controller';
import { TriggersConsumer } from './triggers.consumer';

@Module({
  imports: [AccountsModule, PlaybooksModule, DeliveryModule],
  controllers: [TriggersConsumer, SignalsController],
  providers: [PlaybookRunner, DryRunService],
  exports: [PlaybookRunner],
})
export class TriggersModule {}
