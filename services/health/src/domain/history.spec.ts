import { byEventTime, endOfDay, PointInTimeAccount, SignalFact, signalsAsOf } from './history';

const fact = (kind: SignalFact['kind'], at: string, value: unknown, subject = '', eventId = `${kind}-${at}`): SignalFact => ({ kind, subject, at, eventId, value });

describe('point-in-time signals', () => {
  const facts: SignalFact[] = [
    fact('account', '2026-03-01T10:00:00.000Z', { seats: 10 }),
    fact('contact', '2026-03-02T10:00:00.000Z', { role: 'champion', name: 'Ana' }, 'ana'),
    fact('usage', endOfDay('2026-03-09'), { activeUsers7d: 5, activeUsers30d: 8, featuresUsed30d: 3, usageTrendPct: 4 }),
    fact('nps', '2026-03-05T10:00:00.000Z', { score: 9, category: 'promoter', surveyId: 's', responseId: 'r1' }, 'r1'),
    fact('departure', '2026-03-10T08:00:00.000Z', { role: 'champion', name: 'Ana', reason: 'left the company' }, 'ana'),
    fact('nps', '2026-03-11T10:00:00.000Z', { score: 3, category: 'detractor', surveyId: 's', responseId: 'r2' }, 'r2'),
  ];

  it('uses only facts dated before the day, whatever order they are given in', () => {
    const s = signalsAsOf([...facts].reverse(), '2026-03-10');
    expect(s.championPresent?.value).toBe(true);
    expect(s.nps?.value.score).toBe(9);
    expect(s.npsPrevious).toBeUndefined();
    expect(s.activeUsers30d?.value).toBe(8);
    expect(s).toEqual(signalsAsOf(facts, '2026-03-10'));
  });

  it('a summary of a day counts from the next day on', () => {
    expect(signalsAsOf(facts, '2026-03-09').activeUsers30d).toBeUndefined();
    expect(signalsAsOf(facts, '2026-03-10').activeUsers30d?.value).toBe(8);
  });

  it('sees the champion leave and the newer answer push the older one to npsPrevious', () => {
    const s = signalsAsOf(facts, '2026-03-12');
    expect(s.championPresent?.value).toBe(false);
    expect(s.championNote?.value).toBe('Ana (champion) left: left the company');
    expect(s.nps?.value.score).toBe(3);
    expect(s.npsPrevious?.value.score).toBe(9);
  });

  it('knows an override only while it is set and not expired', () => {
    const a = new PointInTimeAccount();
    for (const f of [
      fact('override', '2026-03-01T00:00:00.000Z', { overrideId: 'o', state: 'set', band: 'red', reason: 'r', expiresAt: '2026-03-20T00:00:00.000Z' }, 'o'),
    ].sort(byEventTime)) a.apply(f);
    expect(a.overrideAt(new Date('2026-03-10T00:00:00Z'))?.band).toBe('red');
    expect(a.overrideAt(new Date('2026-03-20T00:00:00Z'))).toBeUndefined();
    a.apply(fact('override', '2026-03-05T00:00:00.000Z', { overrideId: 'o', state: 'cleared' }, 'o'));
    expect(a.overrideAt(new Date('2026-03-10T00:00:00Z'))).toBeUndefined();
  });
});
