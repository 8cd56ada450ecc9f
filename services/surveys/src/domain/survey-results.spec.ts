import { summarizeResponses } from './survey-results';

const dist = (entries: Array<[number, number]>) => new Map(entries);

describe('survey results', () => {
  it('computes NPS as % promoters minus % detractors from the counts', () => {
    // 3 promoters (10, 10, 9), 1 passive (7), 2 detractors (6, 2): (3 − 2) / 6 = 16.7
    const r = summarizeResponses('nps', dist([[10, 2], [9, 1], [7, 1], [6, 1], [2, 1]]));
    expect(r).toMatchObject({
      responses: 6, nps: 16.7, averageScore: 7.33, smallSample: true,
      categories: { promoter: 3, passive: 1, detractor: 2 },
      distribution: { 10: 2, 9: 1, 7: 1, 6: 1, 2: 1 },
    });
  });

  it('gives an NPS of −100 when everyone is a detractor and 0 for equal shares', () => {
    expect(summarizeResponses('nps', dist([[0, 4]])).nps).toBe(-100);
    expect(summarizeResponses('nps', dist([[10, 1], [8, 1], [1, 1]])).nps).toBe(0);
  });

  it('computes CSAT as the share of satisfied answers', () => {
    // 5, 4, 4 satisfied; 3, 1 not: 3 / 5 = 60 %
    const r = summarizeResponses('csat', dist([[5, 1], [4, 2], [3, 1], [1, 1]]));
    expect(r).toMatchObject({ responses: 5, csatPct: 60, categories: { satisfied: 3, unsatisfied: 2 }, averageScore: 3.4 });
    expect(r.nps).toBeUndefined();
  });

  it('computes CES as the mean effort score', () => {
    // (2 + 2 + 3 + 6) / 4 = 3.25
    const r = summarizeResponses('ces', dist([[2, 2], [3, 1], [6, 1]]));
    expect(r).toMatchObject({ responses: 4, cesAverage: 3.25, categories: { low_effort: 3, high_effort: 1 } });
  });

  it('reports no score, and a small sample, when nobody answered', () => {
    expect(summarizeResponses('nps', dist([]))).toMatchObject({ responses: 0, nps: null, averageScore: null, smallSample: true, categories: { promoter: 0, passive: 0, detractor: 0 } });
  });

  it('stops calling the sample small at 30 answers', () => {
    expect(summarizeResponses('csat', dist([[5, 30]])).smallSample).toBe(false);
  });
});
