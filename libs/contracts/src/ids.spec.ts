import { createHash } from 'node:crypto';
import { deterministicUuid } from './ids';

describe('deterministicUuid', () => {
  it('derives the same UUID from the same parts, as SHA-256 of the parts joined by |', () => {
    const h = createHash('sha256').update('ws1|usage-dropped|acme|3').digest('hex');
    expect(deterministicUuid('ws1', 'usage-dropped', 'acme', 3)).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`);
    expect(deterministicUuid('ws1', 'usage-dropped', 'acme', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives other parts another id', () => {
    const a = deterministicUuid('task', 'ws', 'pb:usage-drop:acme:ep-1');
    expect(deterministicUuid('task', 'ws', 'pb:usage-drop:acme:ep-1')).toBe(a);
    expect(deterministicUuid('task', 'ws2', 'pb:usage-drop:acme:ep-1')).not.toBe(a);
  });
});
