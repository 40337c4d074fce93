import { describe, expect, it } from 'vitest';
import { copyPath, dirName, fileName, joinPath, slugify, suggestedCasePath } from './case-path';

describe('case paths', () => {
  it('slugifies names', () => {
    expect(slugify('ACME breach 2026/03 (web)')).toBe('acme-breach-2026-03-web');
    expect(slugify('Zürich Bäckerei')).toBe('zurich-backerei');
    expect(slugify('  ')).toBe('case');
    expect(slugify('../../etc/passwd')).toBe('etc-passwd');
  });

  it('joins with the separator of the folder', () => {
    expect(joinPath('/home/a/Dossier cases', 'x.dossier')).toBe('/home/a/Dossier cases/x.dossier');
    expect(joinPath('/tmp/', 'x.dossier')).toBe('/tmp/x.dossier');
    expect(joinPath('C:\\Users\\a\\Dossier cases', 'x.dossier')).toBe('C:\\Users\\a\\Dossier cases\\x.dossier');
    expect(suggestedCasePath('/c', 'Web shop')).toBe('/c/web-shop.dossier');
  });

  it('splits paths', () => {
    expect(dirName('/c/a.dossier')).toBe('/c');
    expect(dirName('/a.dossier')).toBe('/');
    expect(fileName('C:\\c\\a.dossier')).toBe('a.dossier');
    expect(copyPath('/c/a.dossier')).toBe('/c/a copy.dossier');
    expect(copyPath('C:\\c\\a.dossier')).toBe('C:\\c\\a copy.dossier');
  });
});
