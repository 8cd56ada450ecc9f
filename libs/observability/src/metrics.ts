import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** One registry per process, served at GET /metrics in Prometheus text format. */
export const metricsRegistry = new Registry();
let defaultsCollected = false;

export function collectProcessMetrics(service: string): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  metricsRegistry.setDefaultLabels({ service });
  // The event-loop delay histogram samples with a timer of its own: prom-client's default 10 ms
  // woke every idle service 100 times a second; 100 ms still catches any stall worth a graph.
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });
}

export const consumerLag = new Gauge({
  name: 'cairn_consumer_lag',
  help: 'Messages between the last processed offset and the partition high watermark',
  labelNames: ['group', 'topic', 'partition'] as const,
  registers: [metricsRegistry],
});

export const consumedMessages = new Counter({
  name: 'cairn_consumer_messages_total',
  help: 'Messages handled by outcome (processed, duplicate, dead_lettered)',
  labelNames: ['group', 'topic', 'outcome'] as const,
  registers: [metricsRegistry],
});

export const handlerErrors = new Counter({
  name: 'cairn_consumer_handler_errors_total',
  help: 'Handler failures by kind (invalid, retryable, infrastructure)',
  labelNames: ['group', 'topic', 'kind'] as const,
  registers: [metricsRegistry],
});

export const handlerDuration = new Histogram({
  name: 'cairn_consumer_handler_seconds',
  help: 'Time to handle one message, database transaction included',
  labelNames: ['group', 'topic'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metricsRegistry],
});

export const outboxPending = new Gauge({
  name: 'cairn_outbox_pending',
  help: 'Outbox rows not yet published, as of the last relay pass',
  registers: [metricsRegistry],
});

export const outboxPublished = new Counter({
  name: 'cairn_outbox_published_total',
  help: 'Events published by the outbox relay',
  labelNames: ['topic'] as const,
  registers: [metricsRegistry],
});

export const httpRequests = new Counter({
  name: 'cairn_http_requests_total',
  help: 'HTTP requests by route and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});
