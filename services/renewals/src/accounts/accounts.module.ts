import { Module } from '@nestjs/common';
import { AccountsService } from './accounts.service';
import { DirectoryConsumer } from './directory.consumer';
import { SignalsConsumer } from './signals.consumer';

@Module({
  controllers: [DirectoryConsumer, SignalsConsumer],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
