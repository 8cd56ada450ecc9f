import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { describeJsonError } from './json-error';

/**
 * How a tracking request's body becomes a call: decompressed per its Content-Encoding (with the
 * output capped, so a small bomb cannot inflate into gigabytes), then read as JSON whatever the
 * Content-Type says, because Segment's clients disagree about it: analytics.js posts JSON as
 * text/plain (a "simple" CORS request), beacons too, some HTTP libraries send none, others
 * application/x-www-form-urlencoded by default for a Buffer. A body that is not JSON is refused
 * naming the type it came with.
 */

export class RequestBodyError extends Error {
  constructor(readonly status: 400 | 413 | 415, message: string) {
    super(message);
  }
}

export const SUPPORTED_ENCODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

function tooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as { code?: string })?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** Undoes Content-Encoding (a comma list is applied in order, so undone in reverse). */
export async function decompressBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const codings = (contentEncoding ?? '').split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity');
  let body = raw;
  for (const coding of codings.reverse()) {
    const opts = { maxOutputLength: maxBytes };
    try {
      if (coding === 'gzip' || coding === 'x-gzip') body = await gunzip(body, opts);
      else if (coding === 'deflate') {
        // RFC 9110 deflate is zlib-wrapped; some clients send raw deflate all the same.
        body = await inflate(body, opts).catch((e) => (tooLarge(e) ? Promise.reject(e) : inflateRaw(body, opts)));
      } else if (coding === 'br') body = await brotli(body, opts);
      else {
        throw new RequestBodyError(415, `Content-Encoding '${coding}' is not supported: send the body uncompressed or as ${SUPPORTED_ENCODINGS.join(', ')}`);
      }
    } catch (e) {
      if (e instanceof RequestBodyError) throw e;
      if (tooLarge(e)) {
        throw new RequestBodyError(413, `request body decompresses to more than ${maxBytes} bytes; the limit is 500 KB (512000 bytes) per request — send smaller batches`);
      }
      throw new RequestBodyError(400, `request body is not valid ${coding} data (Content-Encoding: ${coding}): ${(e as Error).message}`);
    }
  }
  return body;
}

/** The media type without parameters, lower case; undefined when the header is absent or empty. */
export function mediaType(contentType: string | undefined): string | undefined {
  const t = contentType?.split(';')[0].trim().toLowerCase();
  return t ? t : undefined;
}

function declaresJson(type: string | undefined): boolean {
  return type === undefined || type === 'application/json' || type.endsWith('+json') || type === 'text/plain';
}

export interface DecodedBody {
  value: unknown;
  /** Size of the decompressed body: what Segment's limits count. */
  bytes: number;
}

/**
 * Parses a (decompressed) tracking body. `parse` is the JSON parser to use (Fastify's secure
 * one refuses prototype poisoning); it throws on bad JSON.
 */
export function parseTrackingBody(body: Buffer, contentType: string | undefined, parse: (text: string) => unknown): DecodedBody {
  const bytes = body.length;
  const text = body.toString('utf8');
  if (text.trim() === '') return { value: undefined, bytes };
  try {
    return { value: parse(text), bytes };
  } catch (e) {
    const type = mediaType(contentType);
    const syntax = describeJsonError(text);
    if (declaresJson(type)) {
      const where = syntax === 'invalid JSON' ? (e as Error).message : syntax;
      throw new RequestBodyError(400, type === undefined || type === 'application/json' ? where : `${where} (Content-Type: ${type}; the body must be JSON)`);
    }
    throw new RequestBodyError(400, `Content-Type '${type}' is not supported and the body is not JSON: send the call as JSON (application/json, or text/plain from a browser)`);
  }
}
