import { ALL_TOPICS, ServiceName, wireTopicName } from '@cairn/contracts';
import { KafkaEventTransport, provisionTopics, RethrowRpcFilter } from '@cairn/messaging';
import { collectProcessMetrics, createLogger, httpRequests, PinoNestLogger } from '@cairn/observability';
import { INestApplication, Type, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { ConfigError, ServiceConfig, serviceConfig } from './config';
import { KafkaReadiness } from './readiness';
import { KAFKA } from './tokens';

export interface BootstrapOptions {
  /** Largest accepted request body (ingestion raises it for Segment batches). */
  bodyLimitBytes?: number;
  title?: string;
  description?: string;
  /** Hook to register extra Fastify content parsers, routes etc. before listening. */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
}

/**
 * Starts one Cairn service as a hybrid app: Fastify HTTP API + Kafka consumer. Configuration
 * is validated first; the process exits with a message naming every bad variable.
 */
export async function bootstrapService(service: ServiceName, appModule: Type<unknown>, options: BootstrapOptions = {}): Promise<INestApplication> {
  process.env.CAIRN_SERVICE = service;
  const log = createLogger('bootstrap');
  let config: ServiceConfig;
  try {
    config = serviceConfig(service);
  } catch (e) {
    if (e instanceof ConfigError) {
      log.fatal(e.message);
      process.stderr.write(`cairn-${service}: ${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  collectProcessMetrics(service);
  log.info({ config: config.describe() }, 'starting');

  const app = await NestFactory.create<NestFastifyApplication>(
    appModule,
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1024 * 1024 }),
    { logger: new PinoNestLogger(), bufferLogs: true },
  );
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const kafka = app.get<Kafka>(KAFKA);
  // A hybrid app's microservice can only get filters through the app's own configuration.
  app.useGlobalFilters(new RethrowRpcFilter(app.getHttpAdapter()));
  const transport = new KafkaEventTransport({
    kafka, groupId: config.consumerGroup, dataSource: app.get(DataSource), namespace: config.KAFKA_TOPIC_NAMESPACE,
    consumer: { partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY },
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  app.get(KafkaReadiness).transport = transport;
  app.enableShutdownHooks();
  instrumentHttp(app);
  if (options.configure) await options.configure(app);

  const document = SwaggerModule.createDocument(app, new DocumentBuilder()
    .setTitle(options.title ?? `Cairn ${service}`)
    .setDescription(options.description ?? `The ${service} service of Cairn.`)
    .setVersion('1')
    .addBearerAuth()
    .build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  await provisionTopics(kafka, ALL_TOPICS.map((t) => wireTopicName(t.name, config.KAFKA_TOPIC_NAMESPACE)), {
    partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  await app.startAllMicroservices();
  await app.listen(config.port, config.HOST);
  log.info({ url: `http://${config.HOST}:${config.port}`, topics: transport.subscribedTopics }, 'ready');
  return app;
}

function instrumentHttp(app: NestFastifyApplication): void {
  const log = createLogger('http');
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    if (route === '/health' || route === '/metrics') return;
    log.info({ method: request.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
}
