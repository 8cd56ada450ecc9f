import { Module } from '@nestjs/common';
import { SignalStore } from './signal.store';

/** Owner of the signal tables (what health knows of each account): every other feature reads and writes them through SignalStore. */
@Module({
  providers: [SignalStore],
  exports: [SignalStore],
})
export class SignalsModule {}
