import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { ContactsController } from './contacts.controller';
import { DirectoryApiService } from './directory-api.service';
import { DirectoryService } from './directory.service';

@Module({
  controllers: [AccountsController, ContactsController],
  providers: [DirectoryService, DirectoryApiService],
  exports: [DirectoryService, DirectoryApiService],
})
export class DirectoryModule {}
