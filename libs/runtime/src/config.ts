import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync,
} from 'class-validator';
import { SERVICE_NAMES, ServiceName } from '@cairn/contracts';

export class ConfigError extends Error {}

const SECRETS = Symbol('cairn:config-secrets');

/** Marks a configuration property whose value is never echoed in an error or a log line. */
export function Secret(): PropertyDecorator {
  return (target, property) => {
    const ctor = target.constructor as { [SECRETS]?: Set<string | symbol> };
    ctor[SECRETS] = new Set([...(ctor[SECRETS] ?? []), property]);
  };
}

function isSecret(cls: Function, property: string): boolean {
  for (let c: any = cls; c && c !== Object; c = Object.getPrototypeOf(c)) {
    if ((c as { [SECRETS]?: Set<string | symbol> })[SECRETS]?.has(property)) return true;
  }
  return /SECRET|PASSWORD|TOKEN/.test(property);
}

/**
 * Loads a configuration class from environment variables. Property names are the variable
 * names, so each error names the variable to fix. Throws ConfigError listing every problem.
 */
export function loadConfig<T extends object>(cls: new () => T, env: Record<string, string | undefined>): T {
  const known = new Set(getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false).map((m) => m.propertyName));
  const defined = Object.fromEntries(Object.entries(env).filter(([k, v]) => known.has(k) && v !== undefined && v !== ''));
  const config = plainToInstance(cls, defined, { enableImplicitConversion: true });
  const problems = validateSync(config, { forbidUnknownValues: false }).map((e) => {
    // Secrets are never echoed; credentials inside URLs are masked.
    const value = String(defined[e.property] ?? '').replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
    const shown = isSecret(cls, e.property) ? '' : ` (got ${JSON.stringify(defined[e.property] === undefined ? null : value)})`;
    return `${e.property}${shown}: ${Object.values(e.constraints ?? {}).reverse().join('; ')}`;
  });
  if (problems.length) {
    throw new ConfigError(`invalid configuration (${cls.name}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return config;
}

export const DEFAULT_PORTS: Record<ServiceName, number> = {
  ingestion: 3001, surveys: 3002, health: 3003, playbooks: 3004, renewals: 3005, console: 3006, relationships: 3007,
};

/**
 * What every Cairn service reads from its environment. Each service declares one subclass with its
 * own settings (services/<name>/src/config.ts); `bootstrapService()` loads and validates it and
 * provides it to the application under both classes. Nothing else reads `process.env`.
 */
export class ServiceConfig {
  /** Set by `bootstrapService()` from the service definition, not by the environment. */
  @IsIn([...SERVICE_NAMES]) CAIRN_SERVICE: ServiceName;

  @IsOptional() @IsInt() @Min(0) @Max(65535) PORT?: number;

  @IsString() HOST: string = '127.0.0.1';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL: string = 'postgres://postgres@127.0.0.1:5432/cairn';

  @IsInt() @Min(1) @Max(100) DATABASE_POOL_SIZE: number = 10;

  @Matches(/^[^,\s:]+:\d+(,[^,\s:]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port…]' })
  KAFKA_BROKERS: string = '127.0.0.1:9092';

  @IsInt() @Min(1) @Max(1000) KAFKA_TOPIC_PARTITIONS: number = 6;

  /**
   * Partitions one service instance handles at the same time (each still in order). 1 keeps a
   * small box's Postgres free of contention (lowest latency); more overlaps a busy consumer's
   * CPU with its database round trips (throughput): see README, performance.
   */
  @IsInt() @Min(1) @Max(64) KAFKA_CONSUMER_CONCURRENCY: number = 1;

  @IsInt() @Min(1) @Max(5) KAFKA_REPLICATION_FACTOR: number = 1;

  @IsOptional() @Matches(/^[A-Za-z0-9._-]+$/) KAFKA_CONSUMER_GROUP?: string;

  /** Prefix of every topic on the wire, for environments sharing one cluster. */
  @IsOptional() @Matches(/^[a-z0-9][a-z0-9-]{0,40}$/, { message: 'KAFKA_TOPIC_NAMESPACE must be lower-case letters, digits and dashes' })
  KAFKA_TOPIC_NAMESPACE?: string;

  /** Signs API tokens; shared by all services. Never logged. */
  @Secret()
  @IsString({ message: 'CAIRN_AUTH_SECRET must be set (32+ characters, shared by all services)' })
  @MinLength(32, { message: 'CAIRN_AUTH_SECRET must be at least 32 characters' })
  CAIRN_AUTH_SECRET: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace']) LOG_LEVEL: string = 'info';

  get port(): number { return this.PORT ?? DEFAULT_PORTS[this.CAIRN_SERVICE]; }
  get brokers(): string[] { return this.KAFKA_BROKERS.split(','); }
  get consumerGroup(): string { return this.KAFKA_CONSUMER_GROUP ?? `cairn-${this.CAIRN_SERVICE}`; }
  get schema(): string { return this.CAIRN_SERVICE; }

  /** For the start-up log line: no secrets, no passwords. */
  describe(): Record<string, unknown> {
    return {
      service: this.CAIRN_SERVICE, port: this.port, host: this.HOST,
      database: this.DATABASE_URL.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
      brokers: this.brokers, topicNamespace: this.KAFKA_TOPIC_NAMESPACE, partitions: this.KAFKA_TOPIC_PARTITIONS, consumerGroup: this.consumerGroup,
    };
  }
}
