import { Module } from '@nestjs/common';
import { AccountsController } from './accounts.controller';
import { ContactsController } from './contacts.controller';
import { DirectoryApiService } from './directory-api.service';
import { DirectoryService } from './directory.service';
import { DirectoryStore } from './directory.store';

@Module({
  controllers: [AccountsController, ContactsController],
  providers: [DirectoryService, DirectoryApiService, DirectoryStore],
  exports: [DirectoryService, DirectoryStore],
})
export class DirectoryModule {}
