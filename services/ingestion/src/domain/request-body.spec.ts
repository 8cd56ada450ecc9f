import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { decompressBody, parseTrackingBody, RequestBodyError } from './request-body';

const json = JSON.stringify({ userId: 'u', event: 'x' });

describe('tracking request bodies', () => {
  it('undoes gzip, x-gzip, zlib and raw deflate, and identity', async () => {
    for (const [body, encoding] of [[gzipSync(json), 'gzip'], [gzipSync(json), 'x-gzip'], [deflateSync(json), 'deflate'],
      [deflateRawSync(json), 'deflate'], [Buffer.from(json), 'identity'], [Buffer.from(json), undefined]] as const) {
      expect((await decompressBody(body, encoding, 1024)).toString()).toBe(json);
    }
  });

  it('stops at the output limit instead of inflating a bomb', async () => {
    const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024));
    await expect(decompressBody(bomb, 'gzip', 64 * 1024)).rejects.toMatchObject({ status: 413 });
  });

  it('names an encoding it does not know', async () => {
    await expect(decompressBody(Buffer.from(json), 'zstd', 1024)).rejects.toMatchObject({ status: 415, message: expect.stringMatching(/'zstd'/) });
  });

  it('reads JSON whatever the content type says, and names the type when the body is not JSON', () => {
    for (const type of [undefined, 'application/json', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded']) {
      expect(parseTrackingBody(Buffer.from(json), type, JSON.parse)).toEqual({ value: { userId: 'u', event: 'x' }, bytes: json.length });
    }
    expect(() => parseTrackingBody(Buffer.from('a=b'), 'application/x-www-form-urlencoded', JSON.parse))
      .toThrow(/Content-Type 'application\/x-www-form-urlencoded' is not supported/);
    let error: unknown;
    try { parseTrackingBody(Buffer.from('{"a": }'), 'text/plain', JSON.parse); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(RequestBodyError);
    expect((error as Error).message).toMatch(/^invalid JSON at line 1, column 7.*\(Content-Type: text\/plain; the body must be JSON\)$/);
  });

  it('treats an empty body as no body', () => {
    expect(parseTrackingBody(Buffer.from('  '), 'application/json', JSON.parse)).toEqual({ value: undefined, bytes: 2 });
  });
});
