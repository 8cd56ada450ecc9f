import { Module } from '@nestjs/common';
import { RenewalCalendarConfig } from './calendar.config';
import { CalendarController } from './calendar.controller';
import { RenewalCalendarScheduler } from './renewal-calendar.scheduler';
import { RenewalCalendarService } from './renewal-calendar.service';

@Module({
  controllers: [CalendarController],
  providers: [
    { provide: RenewalCalendarConfig, useFactory: () => RenewalCalendarConfig.load() },
    RenewalCalendarService,
    RenewalCalendarScheduler,
  ],
  exports: [RenewalCalendarService],
})
export class CalendarModule {}
