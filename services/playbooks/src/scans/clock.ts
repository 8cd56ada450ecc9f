/**
 * Where playbooks reads "now" from: the scheduled scan (overdue tasks, stalled onboardings)
 * and the due dates of new tasks. Production uses the system clock; tests pass a clock they
 * move, so "15 days later" takes no 15 days.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
