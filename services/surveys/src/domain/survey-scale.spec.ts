import { classifyScore, scoreProblem } from './survey-scale';

describe('survey scales', () => {
  it('classifies NPS answers: 9–10 promoter, 7–8 passive, 0–6 detractor', () => {
    expect([0, 6, 7, 8, 9, 10].map((s) => classifyScore('nps', s)))
      .toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter']);
  });

  it('classifies CSAT answers: 4–5 satisfied, 1–3 unsatisfied', () => {
    expect([1, 3, 4, 5].map((s) => classifyScore('csat', s))).toEqual(['unsatisfied', 'unsatisfied', 'satisfied', 'satisfied']);
  });

  it('classifies CES effort answers: 1–3 low effort, 4–7 high effort', () => {
    expect([1, 3, 4, 7].map((s) => classifyScore('ces', s))).toEqual(['low_effort', 'low_effort', 'high_effort', 'high_effort']);
  });

  it('names the range of the kind when a score is outside it', () => {
    expect(scoreProblem('nps', 11)).toBe('score: must be a whole number from 0 to 10 on the NPS scale (got 11)');
    expect(scoreProblem('csat', 0)).toMatch(/from 1 to 5 on the CSAT scale \(got 0\)/);
    expect(scoreProblem('ces', 8)).toMatch(/from 1 to 7 on the CES scale/);
    expect(scoreProblem('nps', 7.5)).toMatch(/whole number/);
    expect(scoreProblem('nps', 0)).toBeNull();
    expect(() => classifyScore('ces', 0)).toThrow(RangeError);
  });
});
