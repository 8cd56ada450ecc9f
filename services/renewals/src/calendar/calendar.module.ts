import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';
import { RenewalCalendarScheduler } from './renewal-calendar.scheduler';
import { RenewalCalendarService } from './renewal-calendar.service';

@Module({
  controllers: [CalendarController],
  providers: [
    RenewalCalendarService,
    RenewalCalendarScheduler,
  ],
  exports: [RenewalCalendarService],
})
export class CalendarModule {}
