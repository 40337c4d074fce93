import { describe, expect, it } from 'vitest';
import { groupByCategory, shortList } from './findings-model';

describe('findings model', () => {
  it('groups by category in a fixed order, most severe first', () => {
    const groups = groupByCategory([
      { id: 1, category: 'crash', severity: 'high', count: 3 },
      { id: 2, category: 'web_attack', severity: 'low', count: 9 },
      { id: 3, category: 'web_attack', severity: 'critical', count: 1 },
    ] as const);
    expect(groups.map(([c, l]) => `${c}:${l.map((f) => f.id).join(',')}`)).toEqual(['web_attack:3,2', 'crash:1']);
  });
  it('shortens long lists', () => {
    expect(shortList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c +2');
    expect(shortList([])).toBe('—');
  });
});
