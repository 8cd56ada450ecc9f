import { ServiceName } from '@cairn/contracts';
import { DynamicModule, Global, Module, Type } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Clock, SystemClock } from './clock';
import { loadConfig, ServiceConfig } from './config';

/**
 * Everything that makes one Cairn service: its name, its one configuration class, its
 * application module. `bootstrapService()` is the only thing that turns a definition into a
 * running process; main.ts and the test harness both go through it.
 */
export interface ServiceDefinition<C extends ServiceConfig = ServiceConfig> {
  name: ServiceName;
  /** The service's one typed configuration class (a subclass of ServiceConfig). */
  config: new () => C;
  /** The application module, given the validated configuration (which may shape it: ingestion's API-only tier). */
  module: (config: C) => Type<unknown>;
  title: string;
  description: string;
  /** Largest accepted request body (ingestion raises it for Segment batches). */
  bodyLimitBytes?: number;
  /**
   * Routes whose handlers check NUL characters in the body themselves, item by item (the Segment
   * API refuses one bad event of a batch, not the batch); depth is checked for every route.
   */
  checksNulInBody?: (path: string) => boolean;
  /**
   * helmet's options where a service differs from an API's defaults (no CSP, resources same-origin):
   * the console serves pages (a CSP), ingestion's tracking API is called from any origin.
   */
  helmet?: Record<string, unknown>;
  /** Hook to register extra Fastify content parsers, routes etc. before listening. */
  configure?: (app: NestFastifyApplication, config: C) => void | Promise<void>;
}

export function defineService<C extends ServiceConfig>(definition: ServiceDefinition<C>): ServiceDefinition<C> {
  return definition;
}

/** Loads and validates a service's configuration from `env` (throws ConfigError naming every bad variable). */
export function loadServiceConfig<C extends ServiceConfig>(definition: ServiceDefinition<C>, env: Record<string, string | undefined>): C {
  return loadConfig(definition.config, { ...env, CAIRN_SERVICE: definition.name });
}

/**
 * Provides the validated configuration (as ServiceConfig and as the service's own class) and the
 * clock to the whole application. Built by bootstrapService(); services never declare these.
 */
@Global()
@Module({})
export class RuntimeModule {
  static forRoot(config: ServiceConfig, clock: Clock = new SystemClock()): DynamicModule {
    const own = config.constructor as Type<ServiceConfig>;
    const providers = [
      { provide: ServiceConfig, useValue: config },
      { provide: Clock, useValue: clock },
      ...(own !== ServiceConfig ? [{ provide: own, useValue: config }] : []),
    ];
    return { module: RuntimeModule, providers, exports: providers.map((p) => p.provide) };
  }
}
