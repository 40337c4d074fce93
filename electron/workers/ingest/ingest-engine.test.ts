import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { runIngest } from './ingest-engine';
import { rebuild } from './testing/rebuild';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');
const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

describe('ingest engine on the sample case', () => {
  let tmp: TempDir;
  let open: OpenCase;
  beforeEach(() => {
    tmp = makeTempDir();
    open = createCaseFile({ ...meta, path: tmp.file('s.dossier') });
  });
  afterEach(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('accounts for every line and rebuilds every file byte for byte', async () => {
    const summary = await runIngest(open.db, { root: SAMPLE, timeZone: 'Europe/Berlin' });
    expect(summary.status).toBe('complete');
    const rows = open.db.prepare("SELECT id, rel_path, format, lines, events, raw_only, sha256, content_sha256, outcome FROM evidence ORDER BY rel_path").all() as Array<Record<string, unknown>>;
    console.table(rows.map((r) => ({ ...r, sha256: String(r['sha256']).slice(0, 12), content_sha256: String(r['content_sha256']).slice(0, 12) })));
    for (const r of rows) {
      const file = join(SAMPLE, String(r['rel_path']));
      const disk = readFileSync(file);
      expect(r['sha256']).toBe(createHash('sha256').update(disk).digest('hex'));
      const content = file.endsWith('.gz') ? gunzipSync(disk) : disk;
      expect(rebuild(open, Number(r['id'])).equals(content)).toBe(true);
      const lines = content.length === 0 ? 0 : content.toString('latin1').split('\n').length - (content.at(-1) === 10 ? 1 : 0);
      // a line can carry more than one event (a bodyfile entry's MACB times): rows = events + raw lines
      const stored = open.db.prepare('SELECT count(*) AS n, count(DISTINCT line_no) AS l FROM events WHERE evidence_id = ?').get(r['id']) as { n: number; l: number };
      expect(Number(r['events']) + Number(r['raw_only'])).toBe(stored.n);
      expect(stored.l).toBe(lines);
      expect(Number(r['lines'])).toBe(lines);
    }
    const formats = Object.fromEntries(rows.map((r) => [r['rel_path'], r['format']]));
    expect(formats).toMatchObject({
      'var/log/apache2/access.log': 'apache_access',
      'var/log/apache2/access.log.2.gz': 'apache_access',
      'var/log/apache2/error.log': 'apache_error',
      'var/log/auth.log': 'auth',
      'var/log/fail2ban.log': 'fail2ban',
      'var/log/syslog': 'syslog',
      'md5sums.txt': 'hash_manifest',
      'hashes/baseline/md5sums.txt': 'hash_manifest',
      'hashes/2024-03-16/md5sums.txt': 'hash_manifest',
      'bodyfile/bodyfile.txt': 'bodyfile',
      'strace/4001.log': 'strace',
    });
    // auth.log and syslog have no year; git does not keep file times, so their year comes from the
    // dated Apache logs of the case (the sample's story is in March 2024).
    const years = open.db.prepare("SELECT rel_path, year_base, year_reason, first_ts FROM evidence WHERE year_base IS NOT NULL ORDER BY rel_path").all() as Array<{ rel_path: string; year_base: number; year_reason: string; first_ts: number }>;
    const touched = statSync(join(SAMPLE, 'var/log/auth.log')).mtime.getUTCFullYear() !== 2024;
    for (const y of years) {
      expect(y.year_base).toBe(2024);
      expect(y.year_reason).toBe(touched ? 'case_source' : 'file_mtime');
      expect(new Date(y.first_ts).toISOString().slice(0, 7)).toBe('2024-03');
    }
    expect(years.map((y) => y.rel_path)).toEqual(['var/log/auth.log', 'var/log/syslog']);
  });
});
