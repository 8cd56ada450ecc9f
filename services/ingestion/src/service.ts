import { defineService } from '@cairn/runtime';
import { createAppModule } from './app.module';
import { IngestionConfig } from './config';
import { BODY_READ_LIMIT_BYTES } from './tracking/json-body';

export const ingestionService = defineService({
  name: 'ingestion',
  config: IngestionConfig,
  module: (config) => createAppModule({ consume: config.consumes }),
  title: 'Cairn ingestion',
  description: 'Segment-compatible tracking API (/v1/track, identify, group, page, screen, alias, batch), write keys, '
    + 'account and contact directory, usage rollups, usage-drop and champion-departure detection.',
  // The Segment limits (32 KB per event, 500 KB per request) are checked by the API itself, with a clear message.
  bodyLimitBytes: BODY_READ_LIMIT_BYTES,
  // Browsers post telemetry from the customer's own origin.
  helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } },
});
