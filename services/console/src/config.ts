import { ServiceConfig } from '@cairn/runtime';
import {
  IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, Validate, ValidationArguments, ValidatorConstraint, ValidatorConstraintInterface,
} from 'class-validator';
import { join } from 'node:path';
import { OwningService } from './domain/access';
import { ROLES, Role } from './domain/roles';

const URL_PATTERN = /^https?:\/\/[^\s/]+(\/\S*)?$/;

@ValidatorConstraint({ name: 'oidcComplete' })
class OidcComplete implements ValidatorConstraintInterface {
  validate(_: unknown, args: ValidationArguments): boolean {
    const c = args.object as ConsoleConfig;
    return !!(c.CONSOLE_OIDC_CLIENT_ID && c.CONSOLE_OIDC_WORKSPACE && c.CONSOLE_PUBLIC_URL);
  }
  defaultMessage(): string {
    return 'single sign-on also needs CONSOLE_OIDC_CLIENT_ID, CONSOLE_OIDC_WORKSPACE and CONSOLE_PUBLIC_URL';
  }
}

/** The console's configuration: what every service reads (ServiceConfig) plus its CONSOLE_* settings. */
export class ConsoleConfig extends ServiceConfig {
  @Matches(URL_PATTERN) CONSOLE_INGESTION_URL: string = 'http://127.0.0.1:3001';
  @Matches(URL_PATTERN) CONSOLE_SURVEYS_URL: string = 'http://127.0.0.1:3002';
  @Matches(URL_PATTERN) CONSOLE_HEALTH_URL: string = 'http://127.0.0.1:3003';
  @Matches(URL_PATTERN) CONSOLE_PLAYBOOKS_URL: string = 'http://127.0.0.1:3004';
  @Matches(URL_PATTERN) CONSOLE_RENEWALS_URL: string = 'http://127.0.0.1:3005';
  /** A session unused this long is gone. */
  @IsInt() @Min(1) @Max(24 * 60) CONSOLE_SESSION_IDLE_MINUTES: number = 30;
  /** Failed sign-ins in a row before a user is locked … */
  @IsInt() @Min(1) @Max(100) CONSOLE_LOCKOUT_ATTEMPTS: number = 5;
  /** … for this long. */
  @IsInt() @Min(1) @Max(24 * 60) CONSOLE_LOCKOUT_MINUTES: number = 15;
  /** Lifetime of the API token minted for each forwarded call. */
  @IsInt() @Min(5) @Max(3600) CONSOLE_TOKEN_TTL_SECONDS: number = 60;
  /** Cookies marked Secure (serve the console over https in production). */
  @IsBoolean() CONSOLE_SECURE_COOKIES: boolean = false;
  /** Where browsers reach the console; single sign-on's redirect URI is built from it. */
  @IsOptional() @Matches(URL_PATTERN) CONSOLE_PUBLIC_URL?: string;
  @IsOptional() @IsString() CONSOLE_WEB_DIR?: string;
  /** Single sign-on (OpenID Connect, authorization code + PKCE); off unless the issuer is set. */
  @IsOptional() @Matches(URL_PATTERN) @Validate(OidcComplete) CONSOLE_OIDC_ISSUER?: string;
  @IsOptional() @IsString() CONSOLE_OIDC_CLIENT_ID?: string;
  @IsOptional() @IsString() CONSOLE_OIDC_CLIENT_SECRET?: string;
  /** Workspace that users signing in through the provider belong to. */
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9_-]{0,62}$/) CONSOLE_OIDC_WORKSPACE?: string;
  /** ID-token claim naming the user's role (admin, cs-ops, csm, viewer). */
  @IsString() CONSOLE_OIDC_ROLE_CLAIM: string = 'cairn_role';
  @IsIn(ROLES) CONSOLE_OIDC_DEFAULT_ROLE: Role = 'viewer';

  serviceUrl(service: OwningService): string {
    const urls: Record<OwningService, string> = {
      ingestion: this.CONSOLE_INGESTION_URL, surveys: this.CONSOLE_SURVEYS_URL, health: this.CONSOLE_HEALTH_URL,
      playbooks: this.CONSOLE_PLAYBOOKS_URL, renewals: this.CONSOLE_RENEWALS_URL,
    };
    return urls[service].replace(/\/+$/, '');
  }

  get webDir(): string {
    return this.CONSOLE_WEB_DIR ?? join(__dirname, '..', 'web', 'dist');
  }

  get ssoEnabled(): boolean {
    return !!this.CONSOLE_OIDC_ISSUER;
  }
}
