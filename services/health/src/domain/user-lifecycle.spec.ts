import { DEFAULT_LIFECYCLE_SETTINGS, engagementLevel, lifecycleStage, LifecycleSettings, UserFacts, userAttributes, validateLifecycleSettings } from './user-lifecycle';

const asOf = new Date('2026-03-31T12:00:00Z');
const daysBefore = (n: number) => new Date(asOf.getTime() - n * 86_400_000).toISOString();
const settings: LifecycleSettings = { keyFeatures: ['report.created', 'dashboard.shared'], onboardingActiveDays: 5, keyFeaturesToAdopt: null };
const facts = (over: Partial<UserFacts> = {}): UserFacts => ({
  firstSeenAt: daysBefore(20), lastActiveAt: daysBefore(1), activeDaysTotal: 6, activeDays30d: 6,
  keyFeaturesUsed: ['dashboard.shared', 'report.created'], answers: {}, role: null, accountId: null, traits: {}, departed: false, ...over,
});

describe('lifecycleStage', () => {
  it('calls a user new for their first seven days', () => {
    expect(lifecycleStage(facts({ firstSeenAt: daysBefore(6.9), lastActiveAt: daysBefore(0) }), settings, asOf)).toBe('new');
    expect(lifecycleStage(facts({ firstSeenAt: daysBefore(7) }), settings, asOf)).toBe('adopted');
  });

  it('keeps a user onboarding until both the active days and every key feature are reached', () => {
    expect(lifecycleStage(facts({ activeDaysTotal: 4 }), settings, asOf)).toBe('onboarding');
    expect(lifecycleStage(facts({ keyFeaturesUsed: ['report.created'] }), settings, asOf)).toBe('onboarding');
    expect(lifecycleStage(facts(), settings, asOf)).toBe('adopted');
  });

  it('needs only keyFeaturesToAdopt of the key features when that is set, and none when no key feature is configured', () => {
    expect(lifecycleStage(facts({ keyFeaturesUsed: ['report.created'] }), { ...settings, keyFeaturesToAdopt: 1 }, asOf)).toBe('adopted');
    expect(lifecycleStage(facts({ keyFeaturesUsed: [] }), DEFAULT_LIFECYCLE_SETTINGS, asOf)).toBe('adopted');
  });

  it('calls a user dormant after fourteen days without activity, whatever their stage was', () => {
    expect(lifecycleStage(facts({ lastActiveAt: daysBefore(13.9) }), settings, asOf)).toBe('adopted');
    expect(lifecycleStage(facts({ lastActiveAt: daysBefore(14) }), settings, asOf)).toBe('dormant');
    // Never active: counted from when the user was first seen.
    expect(lifecycleStage(facts({ lastActiveAt: null, activeDaysTotal: 0, firstSeenAt: daysBefore(10) }), settings, asOf)).toBe('onboarding');
    expect(lifecycleStage(facts({ lastActiveAt: null, activeDaysTotal: 0, firstSeenAt: daysBefore(15) }), settings, asOf)).toBe('dormant');
  });
});

describe('engagementLevel', () => {
  it('grades active days in the last 30: 0 inactive, 1–3 low, 4–11 medium, 12+ high', () => {
    expect([0, 1, 3, 4, 11, 12, 30].map(engagementLevel)).toEqual(['inactive', 'low', 'low', 'medium', 'medium', 'high', 'high']);
  });
});

describe('userAttributes', () => {
  it('takes satisfaction from the latest answer of any kind and keeps each kind\'s score', () => {
    const a = userAttributes(facts({
      role: 'admin', accountId: 'acme', traits: { plan: 'pro' },
      answers: {
        nps: { score: 9, category: 'promoter', at: '2026-03-01T00:00:00Z' },
        csat: { score: 2, category: 'unsatisfied', at: '2026-03-20T00:00:00Z' },
      },
    }), settings, asOf);
    expect(a).toEqual({
      lifecycleStage: 'adopted', engagementLevel: 'medium', activeDays30d: 6, activeDaysTotal: 6, satisfaction: 'unsatisfied',
      npsScore: 9, csatScore: 2, keyFeaturesUsed: 2, role: 'admin', accountId: 'acme', traits: { plan: 'pro' }, departed: false,
    });
    expect(userAttributes(facts(), settings, asOf).satisfaction).toBe('unknown');
  });
});

describe('validateLifecycleSettings', () => {
  it('names duplicate key features and an adoption count above the key features listed', () => {
    expect(validateLifecycleSettings({ keyFeatures: ['a', 'b', 'a'], onboardingActiveDays: 3, keyFeaturesToAdopt: 4 })).toEqual([
      "keyFeatures[2]: 'a' appears more than once",
      'keyFeaturesToAdopt: 4 is more than the 3 key features listed',
    ]);
  });
});
