import { Injectable } from '@nestjs/common';

/** Wall-clock time for scheduled work (the full recompute); replaceable in tests. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
