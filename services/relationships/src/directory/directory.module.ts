import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { DirectoryConsumer } from './directory.consumer';

@Module({ imports: [TicketsModule], controllers: [DirectoryConsumer] })
export class DirectoryModule {}
