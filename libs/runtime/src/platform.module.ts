import { ApiTokenGuard } from '@cairn/auth';
import { createKafka, outboxChannel, OutboxRelay, OutboxWriter } from '@cairn/messaging';
import { READINESS_CHECKS } from '@cairn/observability';
import { initializeServiceDataSource, serviceDataSourceOptions } from '@cairn/persistence';
import {
  DynamicModule, Global, Inject, Injectable, Module, OnApplicationBootstrap, OnApplicationShutdown,
} from '@nestjs/common';
import { APP_GUARD, Reflector } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Kafka } from 'kafkajs';
import { DataSource, EntitySchema, MixedList } from 'typeorm';
import { ServiceConfig } from './config';
import { PlatformController } from './platform.controller';
import { DatabaseReadiness, KafkaReadiness } from './readiness';
import { KAFKA, SERVICE_NAME } from './tokens';

export interface PlatformModuleOptions {
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
}

/** Runs the service's outbox relay for as long as the application lives. */
@Injectable()
export class OutboxRelayLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly relay: OutboxRelay;
  constructor(@Inject(KAFKA) kafka: Kafka, config: ServiceConfig, readiness: KafkaReadiness) {
    this.relay = new OutboxRelay({
      kafka, databaseUrl: config.DATABASE_URL, schema: config.schema, channel: outboxChannel(config.schema),
      namespace: config.KAFKA_TOPIC_NAMESPACE,
    });
    readiness.relay = this.relay;
  }
  async onApplicationBootstrap() { await this.relay.start(); }
  async onApplicationShutdown() { await this.relay.stop(); }
}

/**
 * Everything a Cairn service shares: validated configuration, its own Postgres schema
 * (migrated at start-up), Kafka, the outbox, API-token auth on every route, /health, /metrics.
 */
@Global()
@Module({})
export class PlatformModule {
  /** The configuration and the clock come from bootstrapService() (RuntimeModule). */
  static forService(options: PlatformModuleOptions): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ServiceConfig],
          useFactory: (config: ServiceConfig) => serviceDataSourceOptions({
            url: config.DATABASE_URL,
            schema: config.schema,
            entities: options.entities,
            migrations: options.migrations,
            poolSize: config.DATABASE_POOL_SIZE,
            applicationName: `cairn-${config.CAIRN_SERVICE}`,
          }),
          dataSourceFactory: async (o) => initializeServiceDataSource(new DataSource(o!), (o as { schema: string }).schema),
        }),
      ],
      controllers: [PlatformController],
      providers: [
        { provide: SERVICE_NAME, useFactory: (c: ServiceConfig) => c.CAIRN_SERVICE, inject: [ServiceConfig] },
        { provide: KAFKA, useFactory: (c: ServiceConfig) => createKafka({ brokers: c.brokers, clientId: `cairn-${c.CAIRN_SERVICE}` }), inject: [ServiceConfig] },
        { provide: OutboxWriter, useFactory: (c: ServiceConfig) => new OutboxWriter(c.CAIRN_SERVICE, c.schema), inject: [ServiceConfig] },
        KafkaReadiness,
        OutboxRelayLifecycle,
        {
          provide: READINESS_CHECKS,
          useFactory: (ds: DataSource, kafka: KafkaReadiness) => [new DatabaseReadiness(ds), kafka],
          inject: [DataSource, KafkaReadiness],
        },
        {
          provide: APP_GUARD,
          useFactory: (reflector: Reflector, c: ServiceConfig) => new ApiTokenGuard(reflector, c.CAIRN_AUTH_SECRET),
          inject: [Reflector, ServiceConfig],
        },
      ],
      exports: [SERVICE_NAME, KAFKA, OutboxWriter, KafkaReadiness, OutboxRelayLifecycle, TypeOrmModule],
    };
  }
}
