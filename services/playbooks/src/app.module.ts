import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { AccountContractEntity } from './accounts/account-contract.entity';
import { AccountEntity } from './accounts/account.entity';
import { AccountsModule } from './accounts/accounts.module';
import { AlertEntity } from './alerts/alert.entity';
import { AlertsModule } from './alerts/alerts.module';
import { ChannelEntity } from './delivery/channel.entity';
import { DeliveryAttemptEntity, DeliveryEntity } from './delivery/delivery.entity';
import { DeliveryModule } from './delivery/delivery.module';
import { Init1732400000000 } from './migrations/1732400000000-init';
import { EmailAndScans1732500000000 } from './migrations/1732500000000-email-and-scans';
import { ChannelKinds1732600000000 } from './migrations/1732600000000-channel-kinds';
import { PlaybookEntity } from './playbooks/playbook.entity';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { ScansModule } from './scans/scans.module';
import { TaskEntity } from './tasks/task.entity';
import { TasksModule } from './tasks/tasks.module';
import { SignalEntity } from './triggers/signal.entity';
import { TriggersModule } from './triggers/triggers.module';

@Module({
  imports: [
    PlatformModule.forService({
      entities: [AccountEntity, AccountContractEntity, PlaybookEntity, TaskEntity, AlertEntity, ChannelEntity, DeliveryEntity, DeliveryAttemptEntity, SignalEntity],
      migrations: [Init1732400000000, EmailAndScans1732500000000, ChannelKinds1732600000000],
    }),
    AccountsModule,
    PlaybooksModule,
    TasksModule,
    AlertsModule,
    DeliveryModule,
    TriggersModule,
    ScansModule,
  ],
})
export class AppModule {}
