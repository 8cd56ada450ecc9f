/**
 * Where the renewal calendar reads "now" from. Production uses the system clock; tests give
 * the application a clock they move, so "30 days later" takes no 30 days.
 */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
