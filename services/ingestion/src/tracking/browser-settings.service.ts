import { Injectable, NotFoundException } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { WriteKeysService } from '../write-keys/write-keys.service';

function firstHeader(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.split(',')[0].trim() || undefined;
}

/**
 * What analytics.js (analytics-next) fetches from `${cdnURL}/v1/projects/<writeKey>/settings`
 * before it sends anything: Cairn answers it itself. The settings name no destination, no
 * remote plugin and no middleware (nothing else to download), turn off the library's own
 * metrics, and point its Segment.io destination back at the host the page asked, so a page
 * configured with only `cdnURL` sends its calls here and nowhere else.
 */
@Injectable()
export class BrowserSettingsService {
  constructor(private readonly keys: WriteKeysService) {}

  async settings(request: FastifyRequest, writeKey: string) {
    const key = await this.keys.resolve(writeKey);
    if (key.status !== 'valid') {
      throw new NotFoundException({ success: false, message: key.status === 'revoked' ? 'this write key has been revoked' : 'no source has this write key' });
    }
    // Behind a proxy the public host and scheme are the forwarded ones.
    const host = firstHeader(request.headers['x-forwarded-host']) ?? request.headers.host ?? request.hostname;
    const protocol = firstHeader(request.headers['x-forwarded-proto']) ?? request.protocol ?? 'http';
    return {
      integrations: {
        'Segment.io': {
          apiKey: writeKey,
          apiHost: `${host}/v1`,
          protocol,
          unbundledIntegrations: [],
          addBundledMetadata: false,
          maybeBundledConfigIds: {},
        },
      },
      plan: {
        track: { __default: { enabled: true, integrations: {} } },
        identify: { __default: { enabled: true } },
        group: { __default: { enabled: true } },
      },
      enabledMiddleware: {},
      middlewareSettings: {},
      metrics: { sampleRate: 0 },
      legacyVideoPluginsEnabled: false,
      remotePlugins: [],
    };
  }
}
