import { describe, expect, it } from 'vitest';
import { filterZones } from './filter-zones';

const zones = ['UTC', 'America/New_York', 'Europe/Zurich', 'Europe/Zagreb', 'Asia/Tokyo'];

describe('filterZones', () => {
  it('returns everything for an empty query', () => {
    expect(filterZones(zones, '  ')).toEqual(zones);
  });
  it('matches words in any part, ignoring case and underscores', () => {
    expect(filterZones(zones, 'new york')).toEqual(['America/New_York']);
    expect(filterZones(zones, 'ZUR')).toEqual(['Europe/Zurich']);
    expect(filterZones(zones, 'europe/z')).toEqual(['Europe/Zagreb', 'Europe/Zurich']);
  });
  it('ranks city prefixes first', () => {
    expect(filterZones(['Europe/Tokyo_Fake', 'Asia/Tokyo'], 'tok')).toEqual(['Asia/Tokyo', 'Europe/Tokyo_Fake']);
  });
});
