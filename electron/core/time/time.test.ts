import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedTime } from '../../../shared/domain/parsed';
import { createYearResolver, formatZonedSeconds, inferYears, isValidZone, listZones, resolveTime, utcToZonedWall, yearFromReference, zonedWallToUtc } from './index';

const Z = 'Europe/Zurich';

function wall(y: number, mo: number, d: number, h: number, mi: number, s = 0) {
  return { year: y, month: mo, day: d, hour: h, minute: mi, second: s };
}

describe('zonedWallToUtc', () => {
  it('converts ordinary winter and summer times', () => {
    expect(zonedWallToUtc(wall(2024, 1, 15, 12, 0), Z)).toEqual({ epochMs: Date.UTC(2024, 0, 15, 11, 0), offsetMinutes: 60, ambiguous: false, nonexistent: false });
    expect(zonedWallToUtc(wall(2024, 7, 15, 12, 0), Z)).toEqual({ epochMs: Date.UTC(2024, 6, 15, 10, 0), offsetMinutes: 120, ambiguous: false, nonexistent: false });
    expect(zonedWallToUtc(wall(2024, 7, 15, 12, 0), 'America/New_York').offsetMinutes).toBe(-240);
    expect(zonedWallToUtc(wall(2024, 7, 15, 12, 0), 'Asia/Kolkata').offsetMinutes).toBe(330);
    expect(zonedWallToUtc(wall(2024, 7, 15, 12, 0), 'UTC').epochMs).toBe(Date.UTC(2024, 6, 15, 12, 0));
  });

  it('flags the spring-forward gap (2024-03-31 02:30 Zurich) and pushes it forward', () => {
    const r = zonedWallToUtc(wall(2024, 3, 31, 2, 30), Z);
    expect(r).toEqual({ epochMs: Date.UTC(2024, 2, 31, 1, 30), offsetMinutes: 60, ambiguous: false, nonexistent: true });
    expect(formatZonedSeconds(r.epochMs, Z)).toBe('2024-03-31T03:30:00');
    // the hour around the gap is exact
    expect(zonedWallToUtc(wall(2024, 3, 31, 1, 59, 59), Z)).toMatchObject({ epochMs: Date.UTC(2024, 2, 31, 0, 59, 59), nonexistent: false });
    expect(zonedWallToUtc(wall(2024, 3, 31, 3, 0), Z)).toMatchObject({ epochMs: Date.UTC(2024, 2, 31, 1, 0), offsetMinutes: 120, nonexistent: false });
  });

  it('flags the fall-back overlap (2024-10-27 02:30 Zurich) and picks the earlier instant', () => {
    const r = zonedWallToUtc(wall(2024, 10, 27, 2, 30), Z);
    expect(r).toEqual({ epochMs: Date.UTC(2024, 9, 27, 0, 30), offsetMinutes: 120, ambiguous: true, nonexistent: false });
    expect(zonedWallToUtc(wall(2024, 10, 27, 3, 0), Z)).toMatchObject({ epochMs: Date.UTC(2024, 9, 27, 2, 0), ambiguous: false, offsetMinutes: 60 });
    expect(zonedWallToUtc(wall(2024, 10, 27, 1, 59, 59), Z)).toMatchObject({ epochMs: Date.UTC(2024, 9, 26, 23, 59, 59), ambiguous: false });
  });

  it('is stable when called repeatedly (cache) and handles millis', () => {
    for (let i = 0; i < 3; i++) {
      expect(zonedWallToUtc({ ...wall(2024, 10, 27, 2, 30), millis: 250.5 }, Z).epochMs).toBe(Date.UTC(2024, 9, 27, 0, 30) + 250.5);
      expect(zonedWallToUtc(wall(2024, 3, 31, 2, 30), Z).nonexistent).toBe(true);
    }
  });

  it('round-trips through utcToZonedWall for random instants', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2037, 0, 1) }), fc.constantFrom(Z, 'America/New_York', 'Australia/Lord_Howe', 'Asia/Tehran'), (ms, zone) => {
        const s = Math.floor(ms / 1000) * 1000;
        const w = utcToZonedWall(s, zone);
        const back = zonedWallToUtc(w, zone);
        if (back.ambiguous) {
          expect(back.epochMs === s || back.epochMs < s).toBe(true);
        } else {
          expect(back.epochMs).toBe(s);
          expect(back.nonexistent).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('rejects unknown zones', () => {
    expect(() => zonedWallToUtc(wall(2024, 1, 1, 0, 0), 'Mars/Olympus')).toThrow(RangeError);
    expect(isValidZone('Mars/Olympus')).toBe(false);
    expect(isValidZone('')).toBe(false);
    expect(isValidZone(Z)).toBe(true);
  });

  it('lists zones including UTC', () => {
    const zones = listZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain(Z);
    expect(zones.length).toBeGreaterThan(300);
  });
});

describe('inferYears', () => {
  it('increments on Dec→Jan and anchors the last line to the reference', () => {
    const r = inferYears([11, 12, 12, 1, 1, 2], { year: 2024, month: 3 });
    expect(r.years).toEqual([2023, 2023, 2023, 2024, 2024, 2024]);
    expect(r.reasons).toEqual(['file_mtime', 'file_mtime', 'file_mtime', 'rollover', 'rollover', 'rollover']);
    expect(r).toMatchObject({ baseYear: 2023, rollovers: 1 });
  });

  it('moves the whole file back a year when its last month is after the reference month', () => {
    expect(inferYears([9, 10, 11], { year: 2005, month: 8 }).years).toEqual([2004, 2004, 2004]);
    expect(inferYears([9, 10, 11], { year: 2005 }).years).toEqual([2005, 2005, 2005]);
  });

  it('treats big backward jumps as rollovers (plaso) and tolerates one-month wobble', () => {
    // plaso syslog: Jan … Feb … Dec → Mar (rollover) … Dec → Nov → Feb (rollover)
    const r = inferYears([1, 2, 12, 3, 3, 12, 11, 2, 11, 11], { year: 2013, month: 12 });
    expect(r.rollovers).toBe(2);
    expect(r.years).toEqual([2011, 2011, 2011, 2012, 2012, 2012, 2012, 2013, 2013, 2013]);
    expect(inferYears([4, 5, 4, 5], { year: 2024, month: 6 }).years).toEqual([2024, 2024, 2024, 2024]);
  });

  it('handles multi-year files and empty input', () => {
    expect(inferYears([12, 1, 12, 1], { year: 2024, month: 1 }).years).toEqual([2022, 2023, 2023, 2024]);
    expect(inferYears([12, 1, 6, 12, 1], { year: 2024, month: 1 }).years).toEqual([2022, 2023, 2023, 2023, 2024]);
    expect(inferYears([], { year: 2024, month: 1 })).toMatchObject({ years: [], rollovers: 0 });
  });

  it('uses the reference day when given', () => {
    expect(yearFromReference(8, { year: 2005, month: 8, day: 14 }, 14)).toBe(2005);
    expect(yearFromReference(8, { year: 2005, month: 8, day: 14 }, 20)).toBe(2004);
    expect(yearFromReference(9, { year: 2005, month: 8 })).toBe(2004);
  });
});

describe('createYearResolver', () => {
  const months = [11, 12, 12, 1, 2, 2];
  it('two-pass equals inferYears', () => {
    const r = createYearResolver({ referenceYear: 2024, referenceMonth: 2, reason: 'file_mtime' });
    months.forEach((m) => r.observe(m));
    const got = months.map((m) => r.yearFor(m));
    const want = inferYears(months, { year: 2024, month: 2 });
    expect(got.map((g) => g.year)).toEqual(want.years);
    expect(got.map((g) => g.reason)).toEqual(want.reasons);
    expect(r.mode()).toBe('two_pass');
  });

  it('single pass uses the per-line rule and reports rollovers', () => {
    const r = createYearResolver({ referenceYear: 2024, referenceMonth: 2, reason: 'file_mtime' });
    const got = months.map((m) => r.yearFor(m));
    expect(got.map((g) => g.year)).toEqual([2023, 2023, 2023, 2024, 2024, 2024]);
    expect(got.map((g) => g.reason)).toEqual(['file_mtime', 'file_mtime', 'file_mtime', 'rollover', 'rollover', 'rollover']);
    expect(r.mode()).toBe('single_pass');
  });

  it("anchor 'start' takes the reference as the first line's year", () => {
    const r = createYearResolver({ referenceYear: 2019, reason: 'analyst', anchor: 'start' });
    expect(months.map((m) => r.yearFor(m).year)).toEqual([2019, 2019, 2019, 2020, 2020, 2020]);
  });

  it('two-pass equals inferYears for random sequences', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 40 }), fc.integer({ min: 1, max: 12 }), (ms, refMonth) => {
        const r = createYearResolver({ referenceYear: 2020, referenceMonth: refMonth, reason: 'file_mtime' });
        ms.forEach((m) => r.observe(m));
        expect(ms.map((m) => r.yearFor(m).year)).toEqual(inferYears(ms, { year: 2020, month: refMonth }).years);
      }),
      { numRuns: 300 },
    );
  });
});

describe('resolveTime', () => {
  const local = (y: number | null, mo: number, d: number, h: number, mi: number, s: number): ParsedTime => ({
    kind: 'local',
    year: y,
    month: mo,
    day: d,
    hour: h,
    minute: mi,
    second: s,
    millis: 0,
    text: 'x',
  });

  it('ignores the zone for absolute times and applies the clock offset last', () => {
    const r = resolveTime({ kind: 'absolute', epochMs: 1000, offsetMinutes: 120, text: 't' }, { zone: Z, clockOffsetMs: -500 });
    expect(r).toMatchObject({ utcMs: 500, zone: 'text', offsetMs: -500, tzOffsetMinutes: 120, yearInferred: null, yearReason: null, text: 't' });
  });

  it('reads local times in the evidence zone and records the inferred year', () => {
    const r = resolveTime(local(null, 8, 14, 12, 0, 0), { zone: Z, clockOffsetMs: 60_000, year: 2005, yearReason: 'file_mtime' });
    expect(r).toMatchObject({ utcMs: Date.UTC(2005, 7, 14, 10, 1, 0), zone: Z, tzOffsetMinutes: 120, yearInferred: 2005, yearReason: 'file_mtime', invalid: null });
    const y = resolveTime(local(2005, 8, 14, 12, 0, 0), { zone: Z, clockOffsetMs: 0, year: 1999 });
    expect(y).toMatchObject({ utcMs: Date.UTC(2005, 7, 14, 10, 0, 0), yearInferred: null, yearReason: null });
  });

  it('flags DST edges', () => {
    expect(resolveTime(local(2024, 3, 31, 2, 30, 0), { zone: Z, clockOffsetMs: 0 })).toMatchObject({ nonexistent: true, utcMs: Date.UTC(2024, 2, 31, 1, 30) });
    expect(resolveTime(local(2024, 10, 27, 2, 30, 0), { zone: Z, clockOffsetMs: 0 })).toMatchObject({ ambiguous: true, utcMs: Date.UTC(2024, 9, 27, 0, 30) });
  });

  it('refuses Feb 29 in a non-leap inferred year and year-less times without a year', () => {
    expect(resolveTime(local(null, 2, 29, 1, 15, 43), { zone: Z, clockOffsetMs: 0, year: 2023, yearReason: 'file_mtime' })).toMatchObject({ utcMs: null, invalid: 'invalid_date' });
    expect(resolveTime(local(null, 2, 29, 1, 15, 43), { zone: Z, clockOffsetMs: 0, year: 2024, yearReason: 'file_mtime' }).utcMs).toBe(Date.UTC(2024, 1, 29, 0, 15, 43));
    expect(resolveTime(local(null, 2, 28, 1, 15, 43), { zone: Z, clockOffsetMs: 0 })).toMatchObject({ utcMs: null, invalid: 'no_year' });
  });
});
