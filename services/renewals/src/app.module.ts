import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { ContractEntity } from './contracts/contract.entity';
import { ContractsModule } from './contracts/contracts.module';
import { Init1732300000000 } from './migrations/1732300000000-init';

@Module({
  imports: [
    PlatformModule.forService({ service: 'renewals', entities: [ContractEntity], migrations: [Init1732300000000] }),
    ContractsModule,
  ],
})
export class AppModule {}
