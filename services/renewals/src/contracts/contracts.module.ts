import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { CalendarModule } from '../calendar/calendar.module';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { CsvBodyParser } from './csv-body.parser';
import { HealthConsumer } from './health.consumer';

@Module({
  imports: [AccountsModule, CalendarModule],
  controllers: [ContractsController, HealthConsumer],
  providers: [ContractsService, CsvBodyParser],
})
export class ContractsModule {}
