import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SOURCE_KINDS } from '../../../../shared/domain/parsed';
import { apacheAccessFormat, apacheErrorFormat, compileLogFormat, parseAccessLine, parseErrorLine, sniffWith } from './index';

function fixture(name: string): string[] {
  return readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8').split('\n');
}

describe('apache format descriptors', () => {
  it('describe the two source kinds', () => {
    expect(apacheAccessFormat).toMatchObject({ id: 'apache_access', sourceKind: 'apache_access', label: 'Apache access log' });
    expect(apacheErrorFormat).toMatchObject({ id: 'apache_error', sourceKind: 'apache_error', label: 'Apache error log' });
    expect(apacheAccessFormat.parse).toBe(parseAccessLine);
    expect(apacheErrorFormat.parse).toBe(parseErrorLine);
    expect(SOURCE_KINDS).toContain(apacheAccessFormat.sourceKind);
    expect(SOURCE_KINDS).toContain(apacheErrorFormat.sourceKind);
    expect(compileLogFormat('%h').ok).toBe(true);
  });

  it('sniffScore separates access and error logs and ignores blank lines', () => {
    const access = fixture('access-variants.log');
    const errors = fixture('error-variants.log');
    expect(access.some((l) => l.trim() === '')).toBe(true);
    expect(apacheAccessFormat.sniffScore(access)).toBe(1);
    expect(apacheErrorFormat.sniffScore(errors)).toBe(1);
    expect(apacheAccessFormat.sniffScore(errors)).toBe(0);
    expect(apacheErrorFormat.sniffScore(access)).toBe(0);
    expect(apacheAccessFormat.sniffScore([])).toBe(0);
    expect(apacheErrorFormat.sniffScore(['', '   '])).toBe(0);
    expect(sniffWith(parseAccessLine, [access[0] ?? '', 'garbage'])).toBe(0.5);
  });
});
