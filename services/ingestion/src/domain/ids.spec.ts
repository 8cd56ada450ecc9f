import { usageEventId } from './ids';

describe('usage event ids', () => {
  it('gives a Segment call the same event id per workspace and messageId, whichever way it came in', () => {
    expect(usageEventId('ws1', 'm-1')).toBe(usageEventId('ws1', 'm-1'));
    expect(usageEventId('ws1', 'm-1')).not.toBe(usageEventId('ws2', 'm-1'));
    expect(usageEventId('ws1', 'm-1')).not.toBe(usageEventId('ws1', 'm-2'));
  });
});
