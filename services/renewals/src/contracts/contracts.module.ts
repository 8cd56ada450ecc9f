import { Module } from '@nestjs/common';
import { ContractsController } from './contracts.controller';
import { ContractsService } from './contracts.service';
import { HealthConsumer } from './health.consumer';

@Module({
  controllers: [ContractsController, HealthConsumer],
  providers: [ContractsService],
})
export class ContractsModule {}
