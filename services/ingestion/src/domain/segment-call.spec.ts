import { normalizeBatch, normalizeSegmentCall } from './segment-call';
import { locateJsonError } from './json-error';
import { accountFieldsFromTraits, contactFieldsFromTraits, isRemoval } from './directory-traits';

const receivedAt = new Date('2025-03-10T12:00:00.000Z');
const ctx = { receivedAt, generateMessageId: () => 'generated-id', sourceId: 'key-1' };

describe('Segment call intake', () => {
  it('accepts a track call, generating the messageId and stamping receivedAt', () => {
    const r = normalizeSegmentCall({ userId: 42, event: 'Report Exported', properties: { groupId: 'acme' } }, ctx, 'track');
    expect(r).toEqual({ ok: true, event: expect.objectContaining({
      messageId: 'generated-id', callType: 'track', userId: '42', event: 'Report Exported', groupId: 'acme',
      timestamp: receivedAt.toISOString(), receivedAt: receivedAt.toISOString(), sourceId: 'key-1',
    }), json: expect.any(String) });
    // Serialized once, for the size limit and the wire alike.
    expect(r.ok && JSON.parse(r.json)).toEqual(r.ok && r.event);
  });

  it('corrects the client clock: timestamp = receivedAt − (sentAt − timestamp)', () => {
    const r = normalizeSegmentCall({ userId: 'u', event: 'x', timestamp: '2025-03-10T11:00:00Z', sentAt: '2025-03-10T13:00:00Z' }, ctx, 'track');
    expect(r.ok && r.event.timestamp).toBe('2025-03-10T10:00:00.000Z');
  });

  it('keeps historical timestamps and refuses ones more than 24 hours ahead', () => {
    const old = normalizeSegmentCall({ userId: 'u', event: 'x', timestamp: '2024-01-01T00:00:00Z' }, ctx, 'track');
    expect(old.ok && old.event.timestamp).toBe('2024-01-01T00:00:00.000Z');
    const future = normalizeSegmentCall({ userId: 'u', event: 'x', timestamp: '2025-03-12T12:00:00Z', messageId: 'm1' }, ctx, 'track');
    expect(future).toEqual({ ok: false, messageId: 'm1', reason: expect.stringMatching(/^timestamp: .* more than 24 hours after/) });
  });

  it.each([
    [{ event: 'x' }, 'track', /userId or anonymousId/],
    [{ userId: 'u' }, 'track', /^event: required/],
    [{ userId: 'u', event: 'x', timestamp: 'yesterday' }, 'track', /^timestamp: must be an ISO 8601/],
    [{ userId: 'u', event: 'x', properties: [1] }, 'track', /^properties: must be an object/],
    [{ userId: 'u', traits: {} }, 'group', /^groupId: required/],
    [{ userId: 'u' }, 'alias', /^previousId: required/],
  ] as const)('rejects %j as a %s call naming the field', (raw, type, reason) => {
    const r = normalizeSegmentCall(raw, ctx, type);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('rejects an event larger than 32 KB naming the limit', () => {
    const r = normalizeSegmentCall({ userId: 'u', event: 'x', properties: { blob: 'x'.repeat(33_000) } }, ctx, 'track');
    expect(!r.ok && r.reason).toMatch(/limit is 32 KB/);
  });

  it('accepts a group call without a user and takes the account from groupId', () => {
    const r = normalizeSegmentCall({ groupId: 'acme', traits: { name: 'Acme' } }, ctx, 'group');
    expect(r.ok && r.event.groupId).toBe('acme');
  });

  it('never keeps the write key that came in the body', () => {
    const r = normalizeSegmentCall({ userId: 'u', event: 'x', writeKey: 'wk_secret', context: { writeKey: 'wk_secret' } }, ctx, 'track');
    expect(JSON.stringify(r)).not.toContain('wk_secret');
  });

  it('keeps the valid calls of a batch and lists the invalid ones by index', () => {
    const r = normalizeBatch([
      { type: 'track', userId: 'u', event: 'a' },
      { type: 'track', userId: 'u' },
      { type: 'bogus', userId: 'u' },
      { type: 'identify', anonymousId: 'anon', traits: { email: 'a@b.c' } },
    ], ctx);
    expect(r.accepted.map((e) => e.event.callType)).toEqual(['track', 'identify']);
    expect(r.rejected.map((x) => [x.index, x.reason.split(':')[0]])).toEqual([[1, 'event'], [2, 'type']]);
  });
});

describe('invalid JSON location', () => {
  it('names line and column of the first bad character', () => {
    expect(locateJsonError('{\n  "a": }')).toMatchObject({ position: 9, line: 2, column: 8 });
    expect(locateJsonError('{"a":1,}')).toMatchObject({ position: 7 });
    expect(locateJsonError('{"a":1}')).toBeUndefined();
  });
});

describe('directory traits', () => {
  it('reads account facts from group traits under their usual names', () => {
    expect(accountFieldsFromTraits({ name: 'Acme', website: 'https://acme.com', plan: 'pro', arr: '48000', seats: 25, csm_owner: 'kim@vendor.io', lifecycle_stage: 'customer' }))
      .toEqual({ name: 'Acme', domain: 'acme.com', plan: 'pro', arr: 48000, seats: 25, csmOwner: 'kim@vendor.io', lifecycleStage: 'customer' });
    expect(accountFieldsFromTraits({ csmEmail: 'lee@vendor.io' }).csmOwner).toBe('lee@vendor.io');
  });

  it('reads contact facts and the role from identify traits', () => {
    expect(contactFieldsFromTraits({ email: 'Dana@Acme.com', firstName: 'Dana', lastName: 'Reyes', title: 'VP Ops', role: 'Champion' }))
      .toEqual({ email: 'dana@acme.com', name: 'Dana Reyes', title: 'VP Ops', role: 'champion' });
  });

  it('knows a removal group call', () => {
    expect(isRemoval({ removed: true })).toBe(true);
    expect(isRemoval({ action: 'remove' })).toBe(true);
    expect(isRemoval({ name: 'Acme' })).toBe(false);
  });
});
