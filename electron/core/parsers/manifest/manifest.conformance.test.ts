/**
 * Hash manifests against ../shared/corpus: jc's md5sum/sha256sum/sha384sum (GNU) and macOS md5 (BSD) /
 * shasum captures with jc's expected parses (values compared, not field names), and the Honeynet
 * Forensic Challenge 2001 manifests (including `./`-prefixed paths and the empty-file MD5).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDir, corpusFile, recordConformance, type ConformanceFileResult, type ConformanceMiss } from '../../../testing/corpus';
import { parseManifestLine } from './index';

const corpus = corpusDir();
if (corpus === null) {
  console.warn('[conformance:manifest] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

const JC = ['jc/centos-7.7/md5sum', 'jc/centos-7.7/sha256sum', 'jc/centos-7.7/sha384sum', 'jc/osx-10.14.6/md5', 'jc/osx-10.14.6/shasum'];

function lines(path: string): string[] {
  return readFileSync(corpusFile(path), 'utf8').split('\n').filter((l) => l.trim() !== '');
}

describe.skipIf(corpus === null)('hash manifest conformance', () => {
  it.each(JC)('%s matches jc\'s expected (name, hash) values line by line', (base) => {
    const expected = JSON.parse(readFileSync(corpusFile(`${base}.json`), 'utf8')) as Array<Record<string, string>>;
    const got = lines(`${base}.out`).map((l) => parseManifestLine(l));
    const misses: ConformanceMiss[] = [];
    expected.forEach((exp, i) => {
      const r = got[i];
      const values = Object.values(exp).sort();
      const actual = r?.ok === true ? [String(r.event.extra['path']), String(r.event.extra['hash'])].sort() : [];
      if (JSON.stringify(actual) !== JSON.stringify(values)) {
        misses.push({ line: i + 1, expected: values.join(' '), actual: actual.join(' '), why: r?.ok === false ? r.reason : 'values differ' });
      }
    });
    const result: ConformanceFileResult = { file: `${base}.out`, lines: got.length, matched: expected.length - misses.length, mismatched: misses.length, misses };
    recordConformance(`manifest-${base.replace(/\//gu, '-')}`, [result]);
    expect(got.length).toBe(expected.length);
    expect(misses).toEqual([]);
    // the algorithm each tool used, recovered from the digest length (GNU) or the tag (BSD)
    const algorithms = new Set(got.map((r) => (r.ok ? r.event.extra['algorithm'] : null)));
    expect([...algorithms]).toEqual([{ 'jc/centos-7.7/md5sum': 'md5', 'jc/centos-7.7/sha256sum': 'sha256', 'jc/centos-7.7/sha384sum': 'sha384', 'jc/osx-10.14.6/md5': 'md5', 'jc/osx-10.14.6/shasum': 'sha1' }[base]]);
  });

  it('Honeynet FC 2001 manifests: every line is a hash line; ./ paths and the empty-file MD5 are kept as written', () => {
    const files = ['honeynet-fc2001/partition-images/md5sums-bz2.txt', 'honeynet-fc2001/partition-images/md5sums.txt', 'honeynet-fc2001/results-dittrich/md5sums.txt', 'honeynet-fc2001/submissions/andy-md5sums.txt', 'honeynet-fc2001/submissions/teo-md5sums.txt'];
    const all = files.flatMap((f) => lines(f).map((l) => ({ f, r: parseManifestLine(l) })));
    expect(all.filter((x) => !x.r.ok)).toEqual([]);
    const andy = all.filter((x) => x.f.endsWith('andy-md5sums.txt'));
    expect(andy.every((x) => x.r.ok && String(x.r.event.extra['path']).startsWith('./'))).toBe(true);
    const teo = all.find((x) => x.f.endsWith('teo-md5sums.txt') && x.r.ok && x.r.event.extra['path'] === 'md5sums.txt');
    expect(teo?.r.ok === true ? teo.r.event.extra['hash'] : null).toBe('d41d8cd98f00b204e9800998ecf8427e');
  });
});
