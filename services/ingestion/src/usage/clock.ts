/** Wall-clock time for the scheduled scans (silence, inactive champions); tests pass their own instant. */
export abstract class Clock {
  abstract now(): Date;
}

export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
