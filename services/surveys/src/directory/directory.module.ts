import { Module } from '@nestjs/common';
import { DirectoryConsumer } from './directory.consumer';
import { DirectoryService } from './directory.service';

@Module({
  controllers: [DirectoryConsumer],
  providers: [DirectoryService],
  exports: [DirectoryService],
})
export class DirectoryModule {}
