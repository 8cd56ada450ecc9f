import { outcomeProblems } from './renewal-outcome';

describe('renewal outcomes', () => {
  it('requires a reason and an ARR of 0 for a churn', () => {
    expect(outcomeProblems('churned', 48000, 0, 'went to a competitor')).toEqual([]);
    expect(outcomeProblems('churned', 48000, 0)).toEqual(['reason: is required when the outcome is churned']);
    expect(outcomeProblems('churned', 48000, 100, 'budget')).toEqual(['arrAfter: must be 0 when the outcome is churned (got 100)']);
  });

  it('requires more ARR for an expansion and less (but some) for a contraction', () => {
    expect(outcomeProblems('expanded', 48000, 60000)).toEqual([]);
    expect(outcomeProblems('expanded', 48000, 48000)[0]).toMatch(/^arrAfter: must be more than the ARR before \(48000\)/);
    expect(outcomeProblems('contracted', 48000, 30000)).toEqual([]);
    expect(outcomeProblems('contracted', 48000, 0)[0]).toMatch(/^arrAfter: must be above 0 and below/);
  });

  it('accepts a renewal at any ARR above 0', () => {
    expect(outcomeProblems('renewed', 48000, 49440)).toEqual([]);
    expect(outcomeProblems('renewed', 48000, 0)[0]).toMatch(/record churned instead/);
  });
});
