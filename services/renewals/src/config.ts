import { ServiceConfig } from '@cairn/runtime';
import { IsInt, Max, Min, Validate, ValidatorConstraint, ValidatorConstraintInterface, ValidationArguments } from 'class-validator';
import { DEFAULT_HORIZONS_DAYS, parseHorizons } from './domain/renewal-calendar';

@ValidatorConstraint({ name: 'horizons' })
class HorizonList implements ValidatorConstraintInterface {
  private problem = '';
  validate(value: unknown): boolean {
    try {
      parseHorizons(String(value));
      return true;
    } catch (e) {
      this.problem = (e as Error).message;
      return false;
    }
  }
  defaultMessage(_: ValidationArguments): string {
    return `RENEWAL_HORIZONS_DAYS ${this.problem}`;
  }
}

/** The renewals service's configuration: what every service reads (ServiceConfig) plus its own settings. */
export class RenewalsConfig extends ServiceConfig {
  /** Days before the end date at which renewal.upcoming fires, comma-separated. */
  @Validate(HorizonList) RENEWAL_HORIZONS_DAYS: string = DEFAULT_HORIZONS_DAYS.join(',');

  /** How often the calendar looks for horizons reached (it also looks at start-up). */
  @IsInt() @Min(100) @Max(3_600_000) RENEWAL_SCAN_INTERVAL_MS: number = 60_000;

  get horizons(): number[] {
    return parseHorizons(this.RENEWAL_HORIZONS_DAYS);
  }
}
