import { PlatformModule } from '@cairn/runtime';
import { Module, Type } from '@nestjs/common';
import { AccountEntity } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { CalendarModule } from './calendar/calendar.module';
import { Clock, SystemClock } from '@cairn/runtime';
import { ClockModule } from '@cairn/runtime';
import { RenewalNoticeEntity } from './calendar/renewal-notice.entity';
import { ContractEntity } from './contracts/contract.entity';
import { ContractsModule } from './contracts/contracts.module';
import { Init1732300000000 } from './migrations/1732300000000-init';
import { Calendar1732400000000 } from './migrations/1732400000000-calendar';

export interface RenewalsAppOptions {
  /** Where the renewal calendar reads the time from; tests pass a clock they move. */
  clock?: Clock;
}

/** The renewals application module, with the given clock (the system clock by default). */
export function createAppModule(options: RenewalsAppOptions = {}): Type<unknown> {
  @Module({
    imports: [
      PlatformModule.forService({
        service: 'renewals',
        entities: [ContractEntity, RenewalNoticeEntity, AccountEntity],
        migrations: [Init1732300000000, Calendar1732400000000],
      }),
      ClockModule.forRoot(options.clock ?? new SystemClock()),
      AccountsModule,
      CalendarModule,
      ContractsModule,
      AnalyticsModule,
    ],
  })
  class AppModule {}
  return AppModule;
}

export const AppModule = createAppModule();
