import { describe, expect, it } from 'vitest';
import type { ScannedFile } from '../../../shared/domain/evidence';
import { buildFileSettings, canOverride, withOverride } from './file-overrides';

const file: ScannedFile = { path: 'a.log', size: 1, mtimeUtc: null, kind: 'file', container: 'plain', format: 'text', confidence: 1, reason: '', uacArea: null, alreadyInCase: false };

describe('file overrides', () => {
  it('sends only files with a change', () => {
    let o = withOverride({}, 'a.log', { format: 'apache_error' });
    o = withOverride(o, 'b.log', { timeZone: 'Europe/Zurich' });
    o = withOverride(o, 'c.log', { format: 'auth' });
    o = withOverride(o, 'c.log', { format: undefined });
    expect(buildFileSettings(o)).toEqual({ ok: true, files: { 'a.log': { format: 'apache_error' }, 'b.log': { timeZone: 'Europe/Zurich' } } });
  });
  it('needs a LogFormat for the custom Apache format, and drops it for other formats', () => {
    let o = withOverride({}, 'a.log', { format: 'apache_access_custom' });
    expect(buildFileSettings(o)).toEqual({ ok: false, missingLogFormat: ['a.log'] });
    o = withOverride(o, 'a.log', { logFormat: ' %h %t "%r" %>s ' });
    expect(buildFileSettings(o)).toEqual({ ok: true, files: { 'a.log': { format: 'apache_access_custom', logFormat: '%h %t "%r" %>s' } } });
    o = withOverride(o, 'a.log', { format: 'apache_access' });
    expect(o).toEqual({ 'a.log': { format: 'apache_access' } });
  });
  it('lets only plain or compressed files be forced', () => {
    expect(canOverride(file)).toBe(true);
    expect(canOverride({ ...file, container: 'tar' })).toBe(false);
    expect(canOverride({ ...file, kind: 'symlink_outside' })).toBe(false);
  });
});
