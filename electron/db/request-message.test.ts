import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAccessLine } from '../core/parsers/apache/access';
import { requestMessage, splitRequest } from '../core/parsers/apache/scan';
import { createCaseFile, closeCaseFile } from './case-file';
import { migration0110 } from './migrations/0110-derived-request-message';
import { REQUEST_METHODS, REQUEST_PROTOCOLS, RQ_QUERY, requestCode, requestMessageOf } from './request-message';
import { makeTempDir } from './testing/test-db';
import { runIngest } from '../workers/ingest/ingest-engine';

const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };

/** The code of a message built the parser's way from a request line. */
function codeOf(request: string, status: number | null): { message: string; code: number; path: string | null; query: string | null } {
  const message = requestMessage(request, status);
  const r = splitRequest(request);
  return { message, code: requestCode(message, r.method, r.path, r.query, r.protocol, status), path: r.path, query: r.query };
}

describe('the rebuilt request message', () => {
  it("lists in migration 0110's SQL the same methods and protocols, code for code", () => {
    const pairs = (from: string): Array<[number, string]> =>
      [...from.matchAll(/WHEN (\d+) THEN '([^']+)'/g)].map((m) => [Number(m[1]), m[2] as string]);
    const methods = migration0110.sql.slice(migration0110.sql.indexOf('rq & 15'), migration0110.sql.indexOf('END'));
    const protocols = migration0110.sql.slice(migration0110.sql.indexOf('(rq >> 4) & 15'));
    expect(pairs(methods)).toEqual(REQUEST_METHODS.map((m, i) => [i + 1, m]));
    expect(pairs(protocols).slice(0, REQUEST_PROTOCOLS.length)).toEqual(REQUEST_PROTOCOLS.map((p, i) => [i + 1, p]));
  });

  it('codes only messages the row rebuilds exactly', () => {
    expect(codeOf('GET /a HTTP/1.1', 200).code).toBe(1 | (1 << 4));
    expect(codeOf('POST /a?b=1&c HTTP/1.0', 404).code).toBe(2 | (2 << 4) | RQ_QUERY);
    expect(codeOf('GET /a? HTTP/2', 200).code).toBe(1 | (4 << 4) | RQ_QUERY); // an empty query still has its `?`
    expect(codeOf('GET /a b HTTP/1.1', 200).code).toBe(1 | (1 << 4)); // a space in the URL
    expect(codeOf('GET  /a HTTP/1.1', 200).code).toBe(-1); // two spaces: the path does not follow one space
    expect(codeOf('GET /a  HTTP/1.1', 200).code).toBe(-1);
    expect(codeOf('get /a HTTP/1.1', 200).code).toBe(-1); // not a method of the table
    expect(codeOf('GET /a HTTP/1.2', 200).code).toBe(-1);
    expect(codeOf('GET /a', 200).code).toBe(-1); // no protocol
    expect(codeOf('GET /a HTTP/1.1', null).code).toBe(-1); // no status: no `(…)`
    expect(codeOf('-', 400).code).toBe(-1);
    expect(requestCode('GET /a HTTP/1.1 (0200)', 'GET', '/a', null, 'HTTP/1.1', 200)).toBe(-1);
    expect(requestCode('GET /a HTTP/1.1 (200) ', 'GET', '/a', null, 'HTTP/1.1', 200)).toBe(-1);
    expect(requestCode('GET /a HTTP/1.1 (201)', 'GET', '/a', null, 'HTTP/1.1', 200)).toBe(-1);
    expect(requestCode('GET /a HTTP/1.1 (-1)', 'GET', '/a', null, 'HTTP/1.1', -1)).toBe(-1);
  });

  it('gives back the message the parser made, in SQLite and in JS, for any request', () => {
    const tmp = makeTempDir();
    const open = createCaseFile({ ...meta, path: tmp.file('rq.dossier') });
    try {
      const db = open.db;
      const insert = db.prepare("INSERT INTO event_rows (evidence_id, line_no, byte_offset, kind, path, status, msg, rq) VALUES (1, 1, 0, 1, ?, ?, ?, ?) RETURNING id").pluck();
      const read = db.prepare('SELECT message FROM events WHERE id = ?').pluck();
      const word = fc.string({ unit: fc.constantFrom('a', '/', '?', ' ', '%', '"', '\\', 'é', '😀', '=', '&', '.', '-'), maxLength: 12 });
      const method = fc.oneof(fc.constantFrom(...REQUEST_METHODS), fc.constantFrom('get', 'FOO', 'M-SEARCH', ''));
      const protocol = fc.oneof(fc.constantFrom(...REQUEST_PROTOCOLS), fc.constantFrom('HTTP/1.2', 'HTTP/', 'http/1.1', ''));
      let coded = 0;
      fc.assert(
        fc.property(method, word, fc.option(word), protocol, fc.option(fc.integer({ min: 0, max: 999 })), (m, path, query, p, status) => {
          const request = [m, `/${path}${query === null ? '' : `?${query}`}`, p].filter((s) => s !== '').join(' ');
          const { message, code, path: parsedPath, query: parsedQuery } = codeOf(request, status);
          if (code < 0) {
            return;
          }
          coded += 1;
          const msg = (code & RQ_QUERY) !== 0 ? (parsedQuery ?? '') : '';
          expect(requestMessageOf(code, msg, parsedPath ?? '', status ?? 0)).toBe(message);
          const id = insert.get(parsedPath, status, msg, code) as number;
          expect(read.get(id)).toBe(message);
        }),
        { numRuns: 2000 },
      );
      expect(coded).toBeGreaterThan(200);
    } finally {
      closeCaseFile(open);
      tmp.cleanup();
    }
  });

  it("takes the access parser's request line for the code, and agrees with reading the message, for any request", () => {
    const word = fc.string({ unit: fc.constantFrom('a', '/', '?', ' ', '%', '\\"', '\\', 'é', '=', '&', '.', '-', '\t'), maxLength: 10 });
    const method = fc.oneof(fc.constantFrom(...REQUEST_METHODS), fc.constantFrom('get', 'FOO', ''));
    const protocol = fc.oneof(fc.constantFrom(...REQUEST_PROTOCOLS), fc.constantFrom('HTTP/1.2', 'HTTP/', ''));
    const gap = fc.constantFrom(' ', ' ', ' ', '  ', '');
    let coded = 0;
    fc.assert(
      fc.property(method, gap, word, fc.option(word), gap, protocol, fc.integer({ min: 100, max: 599 }), (m, g1, path, query, g2, p, status) => {
        const request = `${m}${g1}/${path}${query === null ? '' : `?${query}`}${g2}${p}`;
        const r = parseAccessLine(`192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "${request}" ${status} 512`);
        if (!r.ok || r.event.http === null) {
          return;
        }
        const h = r.event.http;
        const read = requestCode(r.event.message, h.method, h.path, h.query, h.protocol, h.status);
        expect(requestCode(r.event.message, h.method, h.path, h.query, h.protocol, h.status, h.request)).toBe(read);
        coded += read >= 0 ? 1 : 0;
      }),
      { numRuns: 3000 },
    );
    expect(coded).toBeGreaterThan(150);
  });

  it("rebuilds real access lines' messages through the access parser", () => {
    const lines = [
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "GET /index.php?id=1%27%20OR%201=1 HTTP/1.1" 200 512 "-" "curl/8"',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "HEAD / HTTP/1.0" 304 -',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "\\x16\\x03\\x01" 400 226',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "GET /../../etc/passwd HTTP/1.1" 404 0',
      '192.0.2.1 - - [10/Oct/2023:13:55:36 +0200] "-" 408 -',
    ];
    const codes = lines.map((line) => {
      const r = parseAccessLine(line);
      expect(r.ok).toBe(true);
      if (!r.ok || r.event.http === null) {
        return -1;
      }
      const h = r.event.http;
      const code = requestCode(r.event.message, h.method, h.path, h.query, h.protocol, h.status);
      if (code >= 0) {
        expect(requestMessageOf(code, (code & RQ_QUERY) !== 0 ? (h.query ?? '') : '', h.path ?? '', h.status ?? 0)).toBe(r.event.message);
      }
      return code;
    });
    expect(codes.map((c) => c >= 0)).toEqual([true, true, false, true, false]);
  });

  it('stores ingested access lines without their message, and the events view gives every message back', async () => {
    const requests = [
      'GET /index.php?id=1%27%20OR%201=1 HTTP/1.1', 'POST /wp-login.php HTTP/1.0', 'HEAD / HTTP/2.0', 'GET /a? HTTP/1.1',
      'GET /../../etc/passwd HTTP/1.1', 'GET /<script>alert(1)</script> HTTP/1.1', 'GET /\\x1b[31mred HTTP/1.1', 'get /lower HTTP/1.1',
      'GET  /two-spaces HTTP/1.1', 'GET /x HTTP/1.2', 'GET /no-protocol', '-', '\\x16\\x03\\x01', 'PROPFIND /dav/ HTTP/1.1', 'GET /é?q=ü HTTP/1.1',
    ];
    const lines = requests.flatMap((r, i) => [
      `192.0.2.${i + 1} - - [10/Oct/2023:13:55:${String(i).padStart(2, '0')} +0200] "${r}" ${i % 2 === 0 ? 200 : 404} 512 "-" "curl/8"`,
      `192.0.2.${i + 1} - - [10/Oct/2023:13:56:${String(i).padStart(2, '0')} +0200] "${r}" 301 -`,
    ]);
    const tmp = makeTempDir();
    const root = tmp.file('case');
    mkdirSync(root);
    writeFileSync(`${root}/access.log`, `${lines.join('\n')}\n`);
    const open = createCaseFile({ ...meta, path: tmp.file('ingest.dossier') });
    try {
      // The single-thread path; parse-worker.test.ts shows the worker stores the same rows, byte for byte.
      expect((await runIngest(open.db, { root, timeZone: 'UTC', parseWorker: false })).status).toBe('complete');
      const rows = open.db.prepare('SELECT e.line_no, e.message, r.rq, r.msg FROM events e JOIN event_rows r ON r.id = e.id ORDER BY e.line_no').all() as Array<{
        line_no: number; message: string; rq: number | null; msg: string;
      }>;
      expect(rows).toHaveLength(lines.length);
      rows.forEach((row, i) => {
        const parsed = parseAccessLine(lines[i] ?? '');
        expect(parsed.ok).toBe(true);
        expect(row.message, lines[i]).toBe(parsed.ok ? parsed.event.message : null);
        // A rebuilt message stores only its query (or nothing); any other keeps its text.
        expect(row.msg).toBe(row.rq === null ? row.message : row.rq & RQ_QUERY ? (parsed.ok ? (parsed.event.http?.query ?? '') : '') : '');
      });
      expect(rows.filter((r) => r.rq !== null).length).toBeGreaterThanOrEqual(16);
      expect(rows.filter((r) => r.rq === null).length).toBeGreaterThanOrEqual(10);
    } finally {
      closeCaseFile(open);
      tmp.cleanup();
    }
  });
});
