import { createHash } from 'node:crypto';
import { deterministicId, usageEventId } from './ids';

describe('deterministic ids', () => {
  it('derives the same UUID from the same parts, as SHA-256 of the parts joined by |', () => {
    const h = createHash('sha256').update('ws1|usage-dropped|acme|3').digest('hex');
    expect(deterministicId('ws1', 'usage-dropped', 'acme', 3)).toBe(`${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`);
    expect(deterministicId('ws1', 'usage-dropped', 'acme', 3)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('gives a Segment call the same event id per workspace and messageId, whichever way it came in', () => {
    expect(usageEventId('ws1', 'm-1')).toBe(usageEventId('ws1', 'm-1'));
    expect(usageEventId('ws1', 'm-1')).not.toBe(usageEventId('ws2', 'm-1'));
    expect(usageEventId('ws1', 'm-1')).not.toBe(usageEventId('ws1', 'm-2'));
  });
});
