/**
 * Bodyfiles against ../shared/corpus: plaso's test bodyfiles (24 entries and no warning; the corrupt
 * one 3 entries and one warning, as plaso's tests/parsers/bodyfile.py expects; plaso's per-timestamp
 * event counts 71 and 10 equal our MACB letters plus untimed entries), the Sleuth Kit PR's fls -m outputs of the DFTT
 * images, and dfImageTools' NTFS bodyfile (89 entries).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { corpusDir, corpusFile, recordConformance } from '../../../testing/corpus';
import { parseBodyfileLine } from './index';

const corpus = corpusDir();
if (corpus === null) {
  console.warn('[conformance:bodyfile] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

type Summary = { lines: number; entries: ParsedEvent[]; unparsed: Array<{ line: number; reason: string }>; warnings: number; events: number; letters: number; untimed: number };

/** Lines split on LF only (as plaso reads them): a raw CR stays inside its name. */
function summarise(path: string): Summary {
  const text = readFileSync(corpusFile(path), 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') {
    lines.pop();
  }
  const s: Summary = { lines: lines.length, entries: [], unparsed: [], warnings: 0, events: 0, letters: 0, untimed: 0 };
  lines.forEach((l, i) => {
    const r = parseBodyfileLine(l);
    if (!r.ok) {
      s.unparsed.push({ line: i + 1, reason: r.reason });
      return;
    }
    s.entries.push(r.event);
    if (r.event.extra['warning'] !== undefined) {
      s.warnings += 1;
    }
    const labels = [String(r.event.extra['macb']), ...(r.event.moreTimes ?? []).map((m) => String(m.extra['macb']))];
    s.events += labels.length;
    s.untimed += r.event.time === null ? 1 : 0;
    s.letters += labels.join('').replace(/\./gu, '').length;
  });
  recordConformance(`bodyfile-${path.replace(/\//gu, '-')}`, [
    { file: path, lines: s.lines, matched: s.entries.length, mismatched: s.unparsed.length, misses: s.unparsed.map((u) => ({ line: u.line, expected: 'entry', actual: 'unparsed', why: u.reason })) },
  ]);
  return s;
}

const byName = (s: Summary, name: string) => s.entries.find((e) => e.extra['name'] === name);
const iso = (e: ParsedEvent | undefined) => (e?.time?.kind === 'absolute' ? new Date(e.time.epochMs).toISOString() : null);

describe.skipIf(corpus === null)('bodyfile conformance', () => {
  it('plaso bodyfile: 24 entries, no warning, the comment line reported; 71 timestamps (plaso\'s event count)', () => {
    const s = summarise('plaso/bodyfile/bodyfile');
    expect(s.entries.length).toBe(24);
    expect(s.warnings).toBe(0);
    expect(s.unparsed).toEqual([{ line: 6, reason: 'comment' }]);
    // plaso makes one event per non-zero time field, and one "not a time" event for an entry without any
    expect(s.letters + s.untimed).toBe(71);
    expect(s.untimed).toBe(4);
    const f = byName(s, '/a_directory/another_file');
    expect(f?.extra).toMatchObject({ inode: '16', uid: '151107', gid: '5000', atime: '1337961583', mtime: '1337961584', ctime: '1337961585', crtime: '0', mode: 'r/rrw-------' });
    // atime 2012-05-25T15:59:43, mtime …:44, ctime …:45, no crtime: three events
    expect(iso(f)).toBe('2012-05-25T15:59:43.000Z');
    expect(f?.moreTimes?.map((m) => [m.extra['macb'], m.time.kind === 'absolute' ? new Date(m.time.epochMs).toISOString() : null])).toEqual([
      ['m...', '2012-05-25T15:59:44.000Z'],
      ['..c.', '2012-05-25T15:59:45.000Z'],
    ]);
    expect(byName(s, '/passwordz\r.txt')?.extra['inode']).toBe('26');
    expect(byName(s, '\\testdir2')?.extra).toMatchObject({ inode: '48-1', uid: null, gid: null });
    expect(byName(s, '/file|with|pipes')?.extra['inode']).toBe('64-128-2');
    expect(byName(s, '/file_symboliclink1')?.extra['link_target']).toBe('/mnt/ext/testdir1/testfile1');
  });

  it('plaso bodyfile.corrupt: 3 entries and 1 warning (a raw CR in a name); 10 timestamps', () => {
    const s = summarise('plaso/bodyfile/bodyfile.corrupt');
    expect(s.entries.length).toBe(3);
    expect(s.warnings).toBe(1);
    expect(s.unparsed).toEqual([]);
    expect(s.letters + s.untimed).toBe(10);
    expect(byName(s, '/passwords\r.txt')?.extra['warning']).toBe('name contains unescaped control characters');
    const w = byName(s, '/Windows\\System32');
    expect(w?.extra['inode']).toBe('1688849860339456');
    expect(iso(w)).toBe('2019-03-19T04:37:22.000Z');
  });

  it.each([
    ['sleuthkit/2-fat-img-kw.dd.bodyfile', 12],
    ['sleuthkit/3-ntfs-img-kw-1.dd.bodyfile', 63],
    ['sleuthkit/4-ext3-img-kw-1.dd.bodyfile', 6],
    ['sleuthkit/dfimagetools-ntfs.vhd.bodyfile', 89],
  ])('%s: every line is an entry (%i)', (path, n) => {
    const s = summarise(path);
    expect(s.unparsed).toEqual([]);
    expect(s.entries.length).toBe(n);
    expect(s.lines).toBe(n);
    // every entry has at least one event; entries without any time are single untimed events
    expect(s.events).toBeGreaterThanOrEqual(n);
  });

  it('fls edge cases: FAT crtime without ctime, NTFS ADS and $FILE_NAME twins, ext3 deleted and $OrphanFiles', () => {
    const fat = summarise('sleuthkit/2-fat-img-kw.dd.bodyfile');
    expect(byName(fat, '/file1.dat')?.extra).toMatchObject({ macb: '.a..' });
    expect(byName(fat, '/file1.dat')?.moreTimes?.[0]?.extra).toEqual({ macb: 'm..b' });
    expect(byName(fat, '/_ILE5.DAT (deleted)')?.extra['deleted']).toBe(true);
    expect(byName(fat, '/$MBR')?.time).toBeNull();
    const ntfs = summarise('sleuthkit/3-ntfs-img-kw-1.dd.bodyfile');
    expect(byName(ntfs, '/$BadClus:$Bad')?.extra).toMatchObject({ inode: '8-128-1', size: 8224768 });
    expect(byName(ntfs, '/$AttrDef ($FILE_NAME)')?.extra['inode']).toBe('4-48-2');
    const ext3 = summarise('sleuthkit/4-ext3-img-kw-1.dd.bodyfile');
    expect(byName(ext3, '/file3 (deleted)')?.extra['deleted']).toBe(true);
    expect(byName(ext3, '/$OrphanFiles')?.extra['mode']).toBe('V/V---------');
  });
});
