import { metricsRegistry } from '@cairn/observability';
import { Counter } from 'prom-client';

export const ingestedCalls = new Counter({
  name: 'cairn_ingest_calls_total',
  help: 'Segment calls received, by way in (http, kafka) and outcome (accepted, rejected)',
  labelNames: ['via', 'outcome'] as const,
  registers: [metricsRegistry],
});
