import { describe, expect, it } from 'vitest';
import { addFilterValue, checkIpInput, chipsFor, parsePidInput, parseStatusInput, removeFilterValue, withoutField } from './filter-model';

const ctx = { zone: 'UTC', evidenceName: (id: number) => `file${id}`, tagName: (id: number) => `tag${id}` };

describe('filter model', () => {
  it('adds and removes list values without duplicates', () => {
    const f = addFilterValue(addFilterValue({}, 'srcIps', '10.0.0.0/8'), 'srcIps', '10.0.0.0/8');
    expect(f).toEqual({ srcIps: ['10.0.0.0/8'] });
    expect(removeFilterValue(f, 'srcIps', '10.0.0.0/8')).toEqual({});
    expect(addFilterValue({ pids: [1] }, 'pids', 2)).toEqual({ pids: [1, 2] });
  });
  it('has one removable chip per value', () => {
    const filter = { from: Date.UTC(2024, 2, 16, 1), to: Date.UTC(2024, 2, 16, 2), text: 'sshd', hosts: ['a', 'b'], evidenceIds: [3], tagIds: [7], statuses: ['4xx' as const], starred: true };
    const chips = chipsFor(filter, ctx);
    expect(chips.map((c) => `${c.label}: ${c.value}`)).toEqual([
      'Time: 2024-03-16 01:00 → 2024-03-16 02:00',
      'Search: sshd',
      'Evidence file: file3',
      'Host: a',
      'Host: b',
      'HTTP status: 4xx',
      'Tag: tag7',
      'Only: starred',
    ]);
    const hostA = chips.find((c) => c.key === 'hosts:a');
    expect(hostA?.remove(filter).hosts).toEqual(['b']);
    expect(chips[0]?.remove(filter)).not.toHaveProperty('from');
    expect(chips.at(-1)?.remove(filter)).not.toHaveProperty('starred');
  });
  it('checks IP input lightly (the server validates for real)', () => {
    expect(checkIpInput('198.51.100.0/24')).toBeNull();
    expect(checkIpInput('10.1.2.3')).toBeNull();
    expect(checkIpInput('2001:db8::/32')).toBeNull();
    expect(checkIpInput('::ffff:10.0.0.1')).toBeNull();
    expect(checkIpInput('10.0.0.0/33')).toMatch(/0–32/u);
    expect(checkIpInput('300.1.1.1')).toMatch(/255/u);
    expect(checkIpInput('example.com')).toMatch(/does not look like/u);
    expect(checkIpInput('')).not.toBeNull();
  });
  it('parses status and pid input', () => {
    expect(parseStatusInput('404')).toBe(404);
    expect(parseStatusInput('4XX')).toBe('4xx');
    expect(parseStatusInput('6xx')).toBeNull();
    expect(parseStatusInput('42')).toBeNull();
    expect(parsePidInput(' 7000 ')).toBe(7000);
    expect(parsePidInput('-1')).toBeNull();
  });
  it('drops one field for facet counts', () => {
    expect(withoutField({ hosts: ['a'], users: ['u'] }, 'hosts')).toEqual({ users: ['u'] });
  });
});
