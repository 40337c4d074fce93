/**
 * Hostile evidence through the real ingest and the real exports: every line accounted for, the
 * raw bytes rebuilt exactly, the folder untouched, CSV cells never start a formula, and JSONL
 * keeps payloads as literal strings. The case folder is generated at test time
 * (e2e/fixtures/hostile-case.ts); nothing hostile is committed as files.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLines, FORMULAS, TERMINAL_ESCAPES, writeHostileCase, XSS_PAYLOADS, type HostileCase } from '../../../e2e/fixtures/hostile-case';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { EXPORT_COLUMNS, exportEvents } from '../../services/export-events';
import { runIngest, type IngestSummary } from './ingest-engine';
import { rebuild } from './testing/rebuild';

const meta = { name: 'Hostile', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

type Ev = { id: number; rel_path: string; outcome: string; status: string; lines: number; events: number; raw_only: number; oversized: number; invalid_utf8: number };

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      if (st.isDirectory()) {
        walk(p);
      } else {
        const content = st.isFile() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'link';
        out[relative(dir, p).split(sep).join('/')] = `${content} ${st.size} ${st.mtimeMs} ${st.mode}`;
      }
    }
  };
  walk(dir);
  return out;
}

/** RFC 4180 reader for the export (every cell is quoted; rows end with CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '"') {
      throw new Error(`unquoted cell at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
    }
    i += 1;
    let cell = '';
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        throw new Error('unterminated cell');
      }
      cell += text.slice(i, q);
      if (text[q + 1] === '"') {
        cell += '"';
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    row.push(cell);
    if (text[i] === ',') {
      i += 1;
    } else if (text.startsWith('\r\n', i)) {
      rows.push(row);
      row = [];
      i += 2;
    } else {
      throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))} after a cell at ${i}`);
    }
  }
  return rows;
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

describe('hostile evidence: ingest and export', () => {
  let tmp: TempDir;
  let open: OpenCase;
  let hostile: HostileCase;
  let before: Record<string, string>;
  let summary: IngestSummary;
  let csvRows: string[][];
  let jsonl: string;
  const evidence = (): Ev[] => open.db.prepare('SELECT id, rel_path, outcome, status, lines, events, raw_only, oversized, invalid_utf8 FROM evidence ORDER BY rel_path').all() as Ev[];

  beforeAll(async () => {
    tmp = makeTempDir('dossier-hostile-');
    hostile = writeHostileCase(tmp.file('hostile-case'));
    before = snapshot(hostile.root);
    open = createCaseFile({ ...meta, path: tmp.file('hostile.dossier') });
    summary = await runIngest(open.db, { root: hostile.root, timeZone: 'UTC' });
    let csv = '';
    exportEvents(open.db, { format: 'csv', write: (c) => (csv += c) });
    csvRows = parseCsv(csv);
    jsonl = '';
    exportEvents(open.db, { format: 'jsonl', write: (c) => (jsonl += c) });
    console.info(
      `[hostile-ingest] ${hostile.files.length} files (${hostile.skippedNames.length} names refused by the file system: ${JSON.stringify(hostile.skippedNames)}), ` +
        `${hostile.payloads.length} planted payloads, ${summary.lines} lines, ${csvRows.length - 1} CSV rows, ${jsonl.split('\n').length - 1} JSONL records`,
    );
  });
  afterAll(() => {
    closeCaseFile(open);
    tmp.cleanup();
  });

  it('completes, lists every file (odd names included) and never follows the link out of the folder', () => {
    expect(summary.status).toBe('complete');
    const paths = evidence().map((e) => e.rel_path);
    for (const f of hostile.files) {
      expect(paths, f).toContain(f);
    }
    expect(paths).toContain(hostile.scriptNamedFile);
    // The payloads went through the real parsers, not only the text fallback.
    const formats = Object.fromEntries((open.db.prepare('SELECT rel_path, format FROM evidence').all() as Array<{ rel_path: string; format: string }>).map((r) => [r.rel_path, r.format]));
    expect(formats).toMatchObject({
      'var/log/apache2/access.log': 'apache_access',
      'var/log/apache2/error.log': 'apache_error',
      'var/log/auth.log': 'auth',
      'var/log/fail2ban.log': 'fail2ban',
    });
    // The notes start a third of their lines with an RFC 3339 time: text or syslog, either is fine.
    expect(['text', 'syslog']).toContain(formats['notes/analyst-notes.txt']);
    if (hostile.newlineNamedFile !== null) {
      expect(paths).toContain(hostile.newlineNamedFile);
    }
    if (hostile.traversalLink !== null) {
      const link = evidence().find((e) => e.rel_path === hostile.traversalLink);
      expect(link?.outcome).toBe('symlink_outside');
      expect(link?.lines).toBe(0);
    }
  });

  it('accounts for every line and rebuilds every file byte for byte', () => {
    for (const [rel, data] of hostile.bytes) {
      const e = evidence().find((x) => x.rel_path === rel);
      expect(e, rel).toBeDefined();
      if (e === undefined) {
        continue;
      }
      expect(e.lines, rel).toBe(countLines(data));
      expect(e.events + e.raw_only, rel).toBe(e.lines);
      const stored = open.db.prepare('SELECT count(*) AS n FROM events WHERE evidence_id = ?').get(e.id) as { n: number };
      expect(stored.n, rel).toBe(e.lines);
      expect(rebuild(open, e.id).equals(data), `${rel} rebuilt`).toBe(true);
    }
    const long = evidence().find((e) => e.rel_path === 'long-line.log');
    expect(long).toMatchObject({ lines: 3, oversized: 1 });
    expect(evidence().find((e) => e.rel_path === 'invalid-utf8.log')?.invalid_utf8).toBeGreaterThan(0);
  });

  it('leaves the case folder untouched', () => {
    expect(snapshot(hostile.root)).toEqual(before);
  });

  it('stores parsed fields as literal text (payloads are data, not markup)', () => {
    const users = (open.db.prepare("SELECT s.value FROM events e JOIN strings s ON s.id = e.user").all() as Array<{ value: string }>).map((r) => r.value);
    expect(users).toContain('<script>alert(1)</script>');
    expect(users).toContain('@SUM(A1)');
    const messages = (open.db.prepare('SELECT message FROM events').all() as Array<{ message: string }>).map((r) => r.message);
    for (const p of XSS_PAYLOADS) {
      expect(messages.some((m) => m.includes(p)), p).toBe(true);
    }
    expect(messages).toContain("=cmd|' /C calc'!A0");
  });

  it('CSV: the header is the export columns, and no cell starts a formula once unquoted', () => {
    expect(csvRows[0]).toEqual([...EXPORT_COLUMNS]);
    const data = csvRows.slice(1);
    expect(data.length).toBe(summary.lines - 0);
    let cells = 0;
    let neutralised = 0;
    for (const row of data) {
      expect(row.length).toBe(EXPORT_COLUMNS.length);
      for (const cell of row) {
        cells += 1;
        expect(FORMULA_START.has(cell.charAt(0)), `cell starts a formula: ${JSON.stringify(cell.slice(0, 80))}`).toBe(false);
        if (cell.startsWith("'") && FORMULA_START.has(cell.charAt(1))) {
          neutralised += 1;
        }
      }
    }
    // The formulas are still there, behind the apostrophe: nothing was dropped.
    const all = data.flat();
    for (const f of FORMULAS) {
      expect(all.some((c) => c === `'${f}` || c.includes(f)), f).toBe(true);
    }
    expect(all).toContain("'=cmd|' /C calc'!A0");
    expect(neutralised).toBeGreaterThan(FORMULAS.length);
    console.info(`[hostile-ingest] CSV: ${cells} cells checked, ${neutralised} neutralised with a leading apostrophe`);
  });

  it('JSONL: every line parses, and payloads stay literal strings', () => {
    const lines = jsonl.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(summary.lines);
    // Control characters travel escaped, never as raw bytes that a terminal would act on.
    expect(jsonl).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/u); // eslint-disable-line no-control-regex
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const values = records.flatMap((r) => Object.values(r).filter((v): v is string => typeof v === 'string'));
    for (const p of [...XSS_PAYLOADS, ...FORMULAS, ...TERMINAL_ESCAPES]) {
      expect(values.some((v) => v.includes(p)), JSON.stringify(p)).toBe(true);
    }
    for (const p of hostile.payloads) {
      expect(values.some((v) => v.includes(p.payload.replace(/\\"/gu, '"')) || v.includes(p.payload)), `${p.file} ${p.field} ${JSON.stringify(p.payload)}`).toBe(true);
    }
    const ua = records.find((r) => r['http_user_agent'] === "=cmd|' /C calc'!A0");
    expect(ua, 'the formula user agent is exported unchanged in JSONL').toBeDefined();
    expect(records.find((r) => r['user'] === '<script>alert(1)</script>')).toBeDefined();
    const nul = records.find((r) => typeof r['raw'] === 'string' && r['raw'].includes('nul\u0000byte'));
    expect(nul, 'the NUL byte survives as a character').toBeDefined();
  });
});
