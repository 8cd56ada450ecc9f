import { ALL_TOPICS, wireTopicName } from '@cairn/contracts';
import helmet from '@fastify/helmet';
import { KafkaEventTransport, provisionTopics } from '@cairn/messaging';
import { collectProcessMetrics, configureLogging, createLogger, httpRequests, PinoNestLogger } from '@cairn/observability';
import { INestApplication, Module, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { Clock } from './clock';
import { ConfigError, ServiceConfig } from './config';
import { loadServiceConfig, RuntimeModule, ServiceDefinition } from './service';
import { ServiceExceptionFilter } from './http-errors';
import { inputProblem } from './input-guard';
import { KafkaReadiness } from './readiness';
import { KAFKA } from './tokens';

export interface BootstrapOptions {
  /** Variables on top of the process' environment (the test harness passes each service's own). */
  env?: Record<string, string | undefined>;
  /** Where the application reads wall-clock time from; tests pass a clock they move. */
  clock?: Clock;
}

/**
 * Starts one Cairn service as a hybrid app: Fastify HTTP API + Kafka consumer. Its configuration
 * class is loaded and validated first (a ConfigError names every bad variable) and provided, with
 * the clock, to the whole application.
 */
export async function bootstrapService<C extends ServiceConfig>(definition: ServiceDefinition<C>, options: BootstrapOptions = {}): Promise<INestApplication> {
  const config = loadServiceConfig(definition, { ...process.env, ...options.env });
  configureLogging({ service: definition.name, level: config.LOG_LEVEL });
  const log = createLogger('bootstrap');
  collectProcessMetrics(definition.name);
  log.info({ config: config.describe() }, 'starting');

  @Module({ imports: [RuntimeModule.forRoot(config, options.clock), definition.module(config)] })
  class ServiceRoot {}

  const app = await NestFactory.create<NestFastifyApplication>(
    ServiceRoot,
    new FastifyAdapter({
      bodyLimit: definition.bodyLimitBytes ?? 1024 * 1024,
      // A client that trickles its request or never finishes it is cut off, not waited for.
      requestTimeout: 30_000, connectionTimeout: 60_000, keepAliveTimeout: 65_000,
      // `/v1/track/` is `/v1/track`: some HTTP clients append a slash to a configured host or path.
      routerOptions: { ignoreTrailingSlash: true },
    }),
    { logger: new PinoNestLogger(), bufferLogs: true },
  );
  await app.register(helmet as never, { contentSecurityPolicy: false, ...definition.helmet } as never);
  guardInput(app, definition);
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const kafka = app.get<Kafka>(KAFKA);
  // A hybrid app's microservice can only get filters through the app's own configuration.
  app.useGlobalFilters(new ServiceExceptionFilter(app.getHttpAdapter()));
  const transport = new KafkaEventTransport({
    kafka, groupId: config.consumerGroup, dataSource: app.get(DataSource), namespace: config.KAFKA_TOPIC_NAMESPACE,
    consumer: { partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY },
  });
  app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
  app.get(KafkaReadiness).transport = transport;
  app.enableShutdownHooks();
  instrumentHttp(app);
  if (definition.configure) await definition.configure(app, config);

  // The security schemes the routes reference (@ApiBearerAuth, @ApiBasicAuth, @ApiCookieAuth).
  // API tokens are HMAC-signed Cairn tokens, not JWTs.
  const builder = new DocumentBuilder()
    .setTitle(definition.title)
    .setDescription(definition.description)
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'cairn API token', description: 'A Cairn API token (cairn_…), e.g. from npm run token' }, 'bearer');
  if (definition.name === 'ingestion') builder.addBasicAuth({ type: 'http', scheme: 'basic', description: 'Segment write key as the user name, empty password' }, 'basic');
  if (definition.name === 'console') builder.addCookieAuth('cairn_session', { type: 'apiKey', in: 'cookie', description: 'Console session (sign in at POST /api/session); writes also need x-csrf-token' }, 'session');
  const document = SwaggerModule.createDocument(app, builder.build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });

  await provisionTopics(kafka, ALL_TOPICS.map((t) => wireTopicName(t.name, config.KAFKA_TOPIC_NAMESPACE)), {
    partitions: config.KAFKA_TOPIC_PARTITIONS, replicationFactor: config.KAFKA_REPLICATION_FACTOR,
  });
  // HTTP first: the API answers (and /health says 503 until the consumer is in its group) while
  // the consumer joins, which after a crash can take until the dead member's session expires.
  await app.listen(config.port, config.HOST);
  await app.startAllMicroservices();
  log.info({ url: `http://${config.HOST}:${config.port}`, topics: transport.subscribedTopics }, 'ready');
  return app;
}

/** A service's main.ts: start it, or exit 78 (EX_CONFIG) with a message naming every bad variable. */
export async function runService<C extends ServiceConfig>(definition: ServiceDefinition<C>): Promise<void> {
  try {
    await bootstrapService(definition);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`cairn-${definition.name}: ${e.message}\n`);
    process.exit(78);
  }
}

/** Refuses input no handler should meet (see inputProblem) with a 400 naming where it is. */
function guardInput(app: NestFastifyApplication, definition: ServiceDefinition<any>): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('preValidation', async (request, reply) => {
    const url = request.url.split('?')[0];
    const problem = inputProblem(request.params, 'path')
      ?? inputProblem(request.query, 'query')
      ?? inputProblem(request.body, 'body', { nul: !definition.checksNulInBody?.(url) });
    if (problem) return reply.status(400).send({ statusCode: 400, error: 'Bad Request', message: problem });
  });
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
