#!/usr/bin/env node
'use strict';
// Container HEALTHCHECK: GET http://127.0.0.1:$PORT/health (readiness: database, consumer group, relay).
const port = process.env.PORT ?? '3000';
fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(4000) })
  .then((r) => process.exit(r.status === 200 ? 0 : 1), () => process.exit(1));
