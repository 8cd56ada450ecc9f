import { Module } from '@nestjs/common';
import { PlaybooksModule } from '../playbooks/playbooks.module';
import { TriggersModule } from '../triggers/triggers.module';
import { ScheduledScan } from './scheduled-scan.service';

@Module({
  imports: [PlaybooksModule, TriggersModule],
  providers: [ScheduledScan],
  exports: [ScheduledScan],
})
export class ScansModule {}
