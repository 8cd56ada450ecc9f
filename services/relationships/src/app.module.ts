import { PlatformModule } from '@cairn/runtime';
import { Module } from '@nestjs/common';
import { DirectoryModule } from './directory/directory.module';
import { Init1733100000000 } from './migrations/1733100000000-init';
import { SourcesModule } from './sources/sources.module';
import { TicketsModule } from './tickets/tickets.module';

@Module({
  imports: [
    PlatformModule.forService({ entities: [], migrations: [Init1733100000000] }),
    SourcesModule,
    TicketsModule,
    DirectoryModule,
  ],
})
export class AppModule {}
