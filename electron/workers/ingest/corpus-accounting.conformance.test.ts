/**
 * Conformance: ingest all of ../shared/corpus and account for every line of every file, check every
 * evidence hash against the corpus's own SHA256SUMS manifest, and the Honeynet partition image's MD5
 * (of the .bz2 and of the decompressed image) against the challenge's md5sums files.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { corpusDir, recordConformance, type ConformanceFileResult } from '../../testing/corpus';
import { runIngest, type IngestSummary } from './ingest-engine';

const corpus = corpusDir();
const meta = { name: 'corpus', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

type Ev = { id: number; rel_path: string; format: string; outcome: string; status: string; lines: number; events: number; raw_only: number; sha256: string | null; md5: string | null; content_md5: string | null; container: string };

function countLines(buf: Buffer): number {
  if (buf.length === 0) {
    return 0;
  }
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) {
    n += 1;
  }
  return buf[buf.length - 1] === 10 ? n : n + 1;
}

describe.skipIf(corpus === null)('corpus accounting (../shared/corpus)', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let summary: IngestSummary;
  let evidence: Ev[];

  beforeAll(async () => {
    if (corpus === null) {
      return;
    }
    tmp = makeTempDir();
    open = createCaseFile({ ...meta, path: tmp.file('corpus.dossier') });
    summary = await runIngest(open.db, { root: corpus, timeZone: 'Europe/Zurich' });
    evidence = open.db.prepare('SELECT * FROM evidence ORDER BY rel_path').all() as Ev[];
  }, 600_000);
  afterAll(() => {
    if (corpus !== null) {
      closeCaseFile(open);
      tmp.cleanup();
    }
  });

  it('lists every file, and every line of every text file is an event or a raw-only line', () => {
    expect(summary.status).toBe('complete');
    const results: ConformanceFileResult[] = [];
    let mismatched = 0;
    for (const e of evidence) {
      if (e.outcome === 'binary' || e.outcome === 'archive' || e.container === 'bzip2') {
        continue;
      }
      const disk = readFileSync(join(corpus ?? '', e.rel_path));
      const content = e.container === 'gzip' ? gunzipSync(disk) : disk;
      const expected = countLines(content);
      // rows = events + raw-only lines; a line may carry more than one event (a bodyfile entry's MACB times)
      const stored = open.db.prepare('SELECT count(*) AS n, count(DISTINCT line_no) AS l FROM events WHERE evidence_id = ?').get(e.id) as { n: number; l: number };
      const ok = e.lines === expected && stored.l === e.lines && e.events + e.raw_only === stored.n;
      if (!ok) {
        mismatched += 1;
      }
      results.push({
        file: e.rel_path,
        lines: expected,
        matched: ok ? expected : 0,
        mismatched: ok ? 0 : expected,
        misses: ok ? [] : [{ line: 0, expected: String(expected), actual: `${e.lines} (${e.events} events + ${e.raw_only} raw)`, why: 'line accounting' }],
      });
    }
    recordConformance('corpus-accounting', results);
    const total = results.reduce((n, r) => n + r.lines, 0);
    console.log(`[conformance:corpus-accounting] ${results.length} text files, ${total} lines, ${mismatched} mismatched; ${evidence.length} evidence rows in all`);
    expect(mismatched).toBe(0);
    expect(total).toBeGreaterThan(30_000);
  });

  it('hashes every file as the corpus manifest does (SHA-256)', () => {
    const manifest = readFileSync(join(corpus ?? '', 'SHA256SUMS'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => [l.slice(66), l.slice(0, 64)] as const);
    const byPath = new Map(evidence.map((e) => [e.rel_path, e]));
    let checked = 0;
    const missing: string[] = [];
    for (const [path, sha] of manifest) {
      if (!existsSync(join(corpus ?? '', path))) {
        missing.push(path); // listed by the manifest but not shipped in this copy of the corpus
        continue;
      }
      const e = byPath.get(path);
      expect(e, path).toBeDefined();
      expect(e?.sha256, path).toBe(sha);
      checked += 1;
    }
    console.log(`[conformance:corpus-hashes] ${checked} files match SHA256SUMS; ${missing.length} listed but absent from this copy`);
    expect(checked).toBeGreaterThan(100);
    const own = createHash('sha256').update(readFileSync(join(corpus ?? '', 'SHA256SUMS'))).digest('hex');
    expect(byPath.get('SHA256SUMS')?.sha256).toBe(own);
  });

  it('matches the Honeynet challenge MD5s of the compressed and the decompressed partition image', () => {
    const img = evidence.find((e) => e.rel_path === 'honeynet-fc2001/partition-images/honeypot.hda7.dd.bz2');
    expect(img).toBeDefined();
    expect(img?.md5).toBe('06dde9c66c13cbed35d475d8eefd397b');
    expect(img?.content_md5).toBe('1b672df23d3af577975809ad4f08c49d');
  });
});
