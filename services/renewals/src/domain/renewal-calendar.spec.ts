import { daysUntil, dueHorizon, nextHorizon, parseHorizons, utcDate } from './renewal-calendar';

const H = [120, 90, 60, 30];

describe('renewal calendar', () => {
  it('counts whole UTC days to the end date', () => {
    expect(daysUntil('2026-03-02', '2026-01-16')).toBe(45);
    expect(daysUntil('2026-01-16', '2026-01-16')).toBe(0);
    expect(daysUntil('2026-01-15', '2026-01-16')).toBe(-1);
    expect(utcDate(new Date('2026-01-16T23:59:59.999Z'))).toBe('2026-01-16');
  });

  it('fires nothing before the widest horizon is reached', () => {
    expect(dueHorizon(121, H, null)).toBeNull();
  });

  it('fires a horizon on the day it is reached', () => {
    expect(dueHorizon(120, H, null)).toBe(120);
    expect(dueHorizon(90, H, 120)).toBe(90);
  });

  it('fires only the nearest of several passed horizons (a late import)', () => {
    expect(dueHorizon(45, H, null)).toBe(60);
    expect(dueHorizon(5, H, null)).toBe(30);
  });

  it('does not fire a horizon again, nor a wider one after a nearer one fired', () => {
    expect(dueHorizon(45, H, 60)).toBeNull();
    expect(dueHorizon(100, H, 60)).toBeNull();
    expect(dueHorizon(29, H, 60)).toBe(30);
  });

  it('fires nothing for a contract that already ended', () => {
    expect(dueHorizon(-1, H, null)).toBeNull();
  });

  it('tells which horizon comes next', () => {
    expect(nextHorizon(200, H, null)).toBe(120);
    expect(nextHorizon(45, H, null)).toBe(60);
    expect(nextHorizon(45, H, 60)).toBe(30);
    expect(nextHorizon(10, H, 30)).toBeNull();
  });

  it('reads horizons from configuration, widest first, and names a bad value', () => {
    expect(parseHorizons('30, 60,120,90')).toEqual([120, 90, 60, 30]);
    expect(() => parseHorizons('90,soon')).toThrow('"soon" is not a whole number of days');
    expect(() => parseHorizons('30,30')).toThrow('distinct');
    expect(() => parseHorizons('')).toThrow('at least one');
  });
});
