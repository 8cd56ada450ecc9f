import { UsageEventV1 } from '@cairn/contracts';
import {
  Activity, accountKey, activityOf, aggregateChunk, callsByAccount, creditedActivities, dayAdvances, returningUsers, timeToFirstValue,
  unattributedRows, userKey, valueReachedBy,
} from './usage-batch';

const t = (iso: string) => Date.parse(iso);
function call(over: Partial<Activity> & { at: number }): Activity {
  const day = new Date(over.at).toISOString().slice(0, 10);
  return { ws: 'ws1', user: 'u1', identified: true, receivedAt: over.at, day, accountId: 'acme', ...over };
}

describe('activityOf', () => {
  const segment = (over: Partial<UsageEventV1>): UsageEventV1 => ({
    callType: 'track', messageId: 'm1', timestamp: '2025-03-01T23:30:00.000Z', receivedAt: '2025-03-02T00:10:00.000Z', ...over,
  } as UsageEventV1);

  it('counts a track call for its user, feature, account and UTC event day', () => {
    expect(activityOf('ws1', segment({ userId: 'ana', anonymousId: 'anon-1', event: 'Export', groupId: 'acme' }))).toEqual({
      ws: 'ws1', user: 'ana', identified: true, at: t('2025-03-01T23:30:00Z'), receivedAt: t('2025-03-02T00:10:00Z'),
      day: '2025-03-01', feature: 'Export', accountId: 'acme',
    });
  });

  it('counts an anonymous call for its anonymousId, as a person who cannot come back from a departure', () => {
    const a = activityOf('ws1', segment({ anonymousId: 'anon-1' }));
    expect(a).toMatchObject({ user: 'anon-1', identified: false });
    expect(a.accountId).toBeUndefined();
  });

  it('uses no feature for page and screen calls, nor for a track call without an event name', () => {
    expect(activityOf('ws1', segment({ callType: 'page', userId: 'ana', event: 'Export' })).feature).toBeUndefined();
    expect(activityOf('ws1', segment({ callType: 'screen', userId: 'ana' })).feature).toBeUndefined();
    expect(activityOf('ws1', segment({ userId: 'ana' }))).not.toHaveProperty('feature');
  });
});

describe('callsByAccount', () => {
  it('groups the calls that name an account per account, keeping their order, and leaves the others out', () => {
    const first = call({ at: t('2025-03-02T10:00:00Z') });
    const other = call({ at: t('2025-03-02T11:00:00Z'), accountId: 'globex' });
    const none = call({ at: t('2025-03-02T12:00:00Z'), accountId: undefined });
    const second = call({ at: t('2025-03-01T10:00:00Z') });
    const byAccount = callsByAccount([first, other, none, second]);
    expect([...byAccount.keys()]).toEqual([accountKey('ws1', 'acme'), accountKey('ws1', 'globex')]);
    expect(byAccount.get(accountKey('ws1', 'acme'))).toEqual([first, second]);
    expect(byAccount.get(accountKey('ws1', 'globex'))).toEqual([other]);
  });
});

describe('aggregateChunk', () => {
  it('counts a chunk into one row per rollup key, in key order', () => {
    const calls = [
      call({ at: t('2025-03-02T10:00:00Z'), feature: 'Export' }),
      call({ at: t('2025-03-01T09:00:00Z'), feature: 'Export' }),
      call({ at: t('2025-03-02T11:00:00Z'), user: 'u2', feature: 'Search' }),
      call({ at: t('2025-03-02T12:00:00Z'), feature: 'Export' }),
      call({ at: t('2025-03-02T13:00:00Z'), accountId: undefined, user: 'lone' }),
      call({ at: t('2025-03-02T14:00:00Z'), ws: 'ws0', accountId: 'acme' }),
    ];
    const r = aggregateChunk(calls);
    expect(r.daily).toEqual([
      { ws: 'ws0', accountId: 'acme', day: '2025-03-02', events: 1 },
      { ws: 'ws1', accountId: 'acme', day: '2025-03-01', events: 1 },
      { ws: 'ws1', accountId: 'acme', day: '2025-03-02', events: 3 },
    ]);
    expect(r.dailyUsers.filter((u) => u.ws === 'ws1' && u.day === '2025-03-02')).toEqual([
      { ws: 'ws1', accountId: 'acme', day: '2025-03-02', user: 'u1', events: 2 },
      { ws: 'ws1', accountId: 'acme', day: '2025-03-02', user: 'u2', events: 1 },
    ]);
    expect(r.features).toEqual([
      { ws: 'ws1', accountId: 'acme', day: '2025-03-01', feature: 'Export', events: 1 },
      { ws: 'ws1', accountId: 'acme', day: '2025-03-02', feature: 'Export', events: 2 },
      { ws: 'ws1', accountId: 'acme', day: '2025-03-02', feature: 'Search', events: 1 },
    ]);
    expect(r.featureFirst).toEqual([
      { ws: 'ws1', accountId: 'acme', feature: 'Export', firstAt: t('2025-03-01T09:00:00Z') },
      { ws: 'ws1', accountId: 'acme', feature: 'Search', firstAt: t('2025-03-02T11:00:00Z') },
    ]);
    // The call without an account still counts for its user.
    expect(r.users.map((u) => [u.ws, u.user, u.events])).toEqual([['ws0', 'u1', 1], ['ws1', 'lone', 1], ['ws1', 'u1', 3], ['ws1', 'u2', 1]]);
    expect(r.accounts.find((a) => a.ws === 'ws1')).toEqual({
      ws: 'ws1', accountId: 'acme', minDay: '2025-03-01', firstDayInOrder: '2025-03-02',
      firstAt: t('2025-03-01T09:00:00Z'), lastAt: t('2025-03-02T12:00:00Z'), lastReceivedAt: t('2025-03-02T12:00:00Z'),
    });
  });
});

describe('dayAdvances', () => {
  it('advances on each call dated after every earlier one, with the newest event time at that moment', () => {
    const calls = [
      { day: '2025-03-05', at: t('2025-03-05T10:00:00Z') },
      { day: '2025-03-07', at: t('2025-03-07T08:00:00Z') },
      { day: '2025-03-06', at: t('2025-03-06T23:00:00Z') },
      { day: '2025-03-07', at: t('2025-03-07T09:00:00Z') },
      { day: '2025-03-08', at: t('2025-03-08T01:00:00Z') },
    ];
    expect(dayAdvances(calls, '2025-03-05', t('2025-03-05T12:00:00Z'))).toEqual([
      { day: '2025-03-07', lastEventAt: t('2025-03-07T08:00:00Z') },
      { day: '2025-03-08', lastEventAt: t('2025-03-08T01:00:00Z') },
    ]);
  });

  it('does not advance on late or same-day calls', () => {
    expect(dayAdvances([{ day: '2025-03-01', at: t('2025-03-01T10:00:00Z') }], '2025-03-05', t('2025-03-05T12:00:00Z'))).toEqual([]);
  });
});

describe('returningUsers', () => {
  const day = 86_400_000;
  it('finds a known user back after more than the gap, judged call by call', () => {
    const base = t('2025-03-01T00:00:00Z');
    const calls = [
      call({ at: base, receivedAt: base + 2 * day }), // 2 days after their last call before the chunk
      call({ at: base, receivedAt: base + 2 * day, user: 'u2' }), // first call ever: nothing to come back from
      call({ at: base, receivedAt: base + 2 * day, user: 'u3', identified: false }),
      call({ at: base, receivedAt: base + 1 * day, user: 'u4' }),
      call({ at: base, receivedAt: base + 1.5 * day, user: 'u4' }), // only 12 h after the previous call
    ];
    const previous = new Map([[userKey('ws1', 'u1'), base], [userKey('ws1', 'u3'), base], [userKey('ws1', 'u4'), base + 0.5 * day]]);
    expect(returningUsers(calls, previous, day)).toEqual([{ ws: 'ws1', user: 'u1' }]);
  });
});

describe('time to first value', () => {
  it('is the time from the first activity to the first value event', () => {
    expect(timeToFirstValue(new Date('2025-03-01T09:00:00Z'), new Date('2025-03-03T15:30:00Z'))).toEqual({ seconds: 196_200, days: 2.3 });
    expect(timeToFirstValue(new Date('2025-03-01T09:00:00Z'), null)).toBeNull();
  });

  it('is reported in a summary only from the day the value event happened', () => {
    const at = new Date('2025-03-03T15:30:00Z');
    expect(valueReachedBy(at, '2025-03-02')).toBeNull();
    expect(valueReachedBy(at, '2025-03-03')).toBe(at);
  });
});

describe('late attribution', () => {
  const base = { ws: 'w', identified: true, receivedAt: 5_000 };
  it('rolls up calls of known users that found no account, per user, day and feature', () => {
    const rows = unattributedRows([
      { ...base, user: 'u', at: 1_000, day: '2025-03-01', feature: 'A' },
      { ...base, user: 'u', at: 3_000, day: '2025-03-01', feature: 'A' },
      { ...base, user: 'u', at: 2_000, day: '2025-03-01' },
      { ...base, user: 'anon', identified: false, at: 1_000, day: '2025-03-01', feature: 'A' },
      { ...base, user: 'v', at: 1_000, day: '2025-03-01', feature: 'A', accountId: 'acme' },
    ]);
    expect(rows).toEqual([
      { ws: 'w', user: 'u', day: '2025-03-01', feature: '', events: 1, firstAt: 2_000, lastAt: 2_000, receivedAt: 5_000 },
      { ws: 'w', user: 'u', day: '2025-03-01', feature: 'A', events: 2, firstAt: 1_000, lastAt: 3_000, receivedAt: 5_000 },
    ]);
  });

  it('credits them back with their counts and time span', () => {
    const credited = creditedActivities([
      { ws: 'w', user: 'u', day: '2025-03-01', feature: 'A', events: 2, firstAt: 1_000, lastAt: 3_000, receivedAt: 5_000 },
      { ws: 'w', user: 'u', day: '2025-03-01', feature: '', events: 1, firstAt: 500, lastAt: 500, receivedAt: 5_000 },
    ], 'acme');
    const r = aggregateChunk(credited);
    expect(r.daily).toEqual([{ ws: 'w', accountId: 'acme', day: '2025-03-01', events: 3 }]);
    expect(r.dailyUsers).toEqual([{ ws: 'w', accountId: 'acme', day: '2025-03-01', user: 'u', events: 3 }]);
    expect(r.features).toEqual([{ ws: 'w', accountId: 'acme', day: '2025-03-01', feature: 'A', events: 2 }]);
    expect(r.accounts[0]).toMatchObject({ firstAt: 500, lastAt: 3_000 });
  });
});
