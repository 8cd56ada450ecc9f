import { PlatformModule } from '@cairn/runtime';
import { Module, Type } from '@nestjs/common';
import { AccountContractEntity } from './accounts/account-contract.entity';
import { AccountEntity } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { AlertEntity } from './alerts/alert.entity';
import { AlertsModule } from './alerts/alerts.module';
import { PlaybooksConfigModule } from './config.module';
import { ChannelEntity } from './delivery/channel.entity';
import { DeliveryAttemptEntity, DeliveryEntity } from './delivery/delivery.entity';
import { DeliveryModule } from './delivery/delivery.module';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { EmailAndScans1732500000000 } from './migrations/1732500000000-email-and-scans';
import { PlaybookEntity } from './playbooks/playbook.entity';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { Clock, SystemClock } from '@cairn/runtime';
import { ClockModule } from '@cairn/runtime';
import { ScansModule } from './scans/scans.module';
import { TaskEntity } from './tasks/task.entity';
import { TasksModule } from './tasks/tasks.module';
import { SignalEntity } from './triggers/signal.entity';
import { TriggersModule } from './triggers/triggers.module';

export interface PlaybooksAppOptions {
  /** Where the scheduled scan and new tasks read the time from; tests pass a clock they move. */
  clock?: Clock;
}

/** The playbooks application module, with the given clock (the system clock by default). */
export function createAppModule(options: PlaybooksAppOptions = {}): Type<unknown> {
  @Module({
    imports: [
      PlatformModule.forService({
        service: 'playbooks',
        entities: [AccountEntity, AccountContractEntity, PlaybookEntity, TaskEntity, AlertEntity, ChannelEntity, DeliveryEntity, DeliveryAttemptEntity, SignalEntity],
        migrations: [Init1732400000000, EmailAndScans1732500000000],
      }),
      PlaybooksConfigModule,
      ClockModule.forRoot(options.clock ?? new SystemClock()),
      AccountsModule,
      PlaybooksModule,
      TasksModule,
      AlertsModule,
      DeliveryModule,
      TriggersModule,
      ScansModule,
    ],
  })
  class AppModule {}
  return AppModule;
}

export const AppModule = createAppModule();
