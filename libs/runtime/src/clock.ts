import { DynamicModule, Global, Module } from '@nestjs/common';

/**
 * Where a service reads wall-clock "now" from (scheduled scans, due dates, recomputes).
 * Production uses the system clock; tests give the application a clock they move, so
 * "30 days later" takes no 30 days. Event-time logic never uses it.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}

/** Provides `Clock` to the whole application: the system clock, or the one a test passes. */
@Global()
@Module({})
export class ClockModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return { module: ClockModule, providers: [{ provide: Clock, useValue: clock }], exports: [Clock] };
  }
}
