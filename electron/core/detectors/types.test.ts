import { describe, expect, it } from 'vitest';
import { fmtCount } from './types';

describe('fmtCount', () => {
  it('counts in English, with the plurals of the nouns the detectors use', () => {
    expect(fmtCount(1, 'address')).toBe('1 address');
    expect(fmtCount(2, 'address')).toBe('2 addresses');
    expect(fmtCount(3, 'crash')).toBe('3 crashes');
    expect(fmtCount(12_345, 'request')).toBe('12,345 requests');
    expect(fmtCount(0, 'failed login')).toBe('0 failed logins');
    expect(fmtCount(2, 'refused or failed sudo attempt')).toBe('2 refused or failed sudo attempts');
    expect(fmtCount(1, 'minute')).toBe('1 minute');
  });
});
