import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { AccountEntity } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { CalendarModule } from './calendar/calendar.module';
import { RenewalNoticeEntity } from './calendar/renewal-notice.entity';
import { ContractEntity } from './contracts/contract.entity';
import { ContractsModule } from './contracts/contracts.module';
import { Init1732300000000 } from './migrations/1732300000000-init';
import { Calendar1732400000000 } from './migrations/1732400000000-calendar';

@Module({
  imports: [
    PlatformModule.forService({
      entities: [ContractEntity, RenewalNoticeEntity, AccountEntity],
      migrations: [Init1732300000000, Calendar1732400000000],
    }),
    AccountsModule,
    CalendarModule,
    ContractsModule,
    AnalyticsModule,
  ],
})
export class AppModule {}
