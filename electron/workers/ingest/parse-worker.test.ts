import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeCaseFile, createCaseFile, type OpenCase } from '../../db/case-file';
import { makeTempDir, type TempDir } from '../../db/testing/test-db';
import { bundleEntry } from '../../testing/bundle';
import { runIngest, type IngestOptions } from './ingest-engine';
import { decompressRawBlock, RAW_BLOCK_CODEC } from '../../db/queries/raw-lines';
import { BLOCK_BUFFER_BYTES, BufferPool, PARSE_WORKER_YOUNG_GENERATION_MB, ParseWorkerClient } from './parse-client';
import { decodeRow, type LineSource } from './parse-batch';
import { rebuild } from './testing/rebuild';

const SAMPLE = resolve(__dirname, '../../../resources/sample-case');
const meta = { name: 'T', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 't', appVersion: 'test' };
const NOW = new Date('2026-01-02T03:04:05.000Z');

/** Every table of the case, every row, in a stable order (blobs compared byte for byte). */
function dump(open: OpenCase): Record<string, unknown[]> {
  const tables = open.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'events_fts%' AND name NOT IN ('audit', 'case_info', 'schema_migrations') ORDER BY name").all() as Array<{ name: string }>;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    out[t.name] = open.db.prepare(`SELECT * FROM "${t.name}" ORDER BY 1, 2`).all();
  }
  return out;
}

const ACCESS = (i: number, extra = ''): string =>
  `10.${i % 7}.0.${i % 250} - user${i % 3} [10/Oct/2023:13:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')} +0200] "GET /p/${i}${extra} HTTP/1.1" ${i % 9 === 0 ? 404 : 200} ${i % 5000} "-" "agent/${i % 11} ü"`;

describe('the parse worker', () => {
  let tmp: TempDir;
  let workerFile: string;
  let checkpointFile: string;
  let folder: string;
  beforeAll(async () => {
    tmp = makeTempDir();
    workerFile = await bundleEntry('electron/workers/ingest/ingest-parse.worker.ts', 'ingest-parse.worker');
    checkpointFile = await bundleEntry('electron/workers/ingest/checkpoint.worker.ts', 'checkpoint.worker');
    folder = tmp.file('evidence');
    cpSync(SAMPLE, folder, { recursive: true });
    const hostile = join(folder, 'hostile');
    mkdirSync(hostile);
    // Mixed endings, invalid UTF-8, non-ASCII, IPv6, garbage, an oversized line, a final line without terminator.
    const parts: Buffer[] = [];
    for (let i = 0; i < 30_000; i += 1) {
      if (i % 997 === 0) {
        parts.push(Buffer.from([0x31, 0x2e, 0xff, 0xfe, 0x20, 0x67, 0x61, 0x72, 0x62, 0x61, 0x67, 0x65, 0x0a]));
      } else if (i % 1009 === 0) {
        parts.push(Buffer.from(`2001:db8::${(i % 50).toString(16)} - - [10/Oct/2023:14:00:00 +0000] "POST /ä?x=${i} HTTP/2" 500 - "-" "-"\r\n`));
      } else if (i === 12_345) {
        parts.push(Buffer.from(`${ACCESS(i, 'x'.repeat(2 * 1024 * 1024))}\n`));
      } else {
        parts.push(Buffer.from(`${ACCESS(i)}${i % 13 === 0 ? '\r\n' : '\n'}`));
      }
    }
    parts.push(Buffer.from(ACCESS(99_999)));
    const access = Buffer.concat(parts);
    writeFileSync(join(hostile, 'access.log'), access);
    writeFileSync(join(hostile, 'access.log.1.gz'), gzipSync(access.subarray(0, 1_000_000)));
    // Custom LogFormat chosen by the analyst, a fixed year for a year-less auth log.
    writeFileSync(join(hostile, 'custom.log'), Array.from({ length: 5000 }, (_, i) => `${i % 100 + 1}.2.3.4 [10/Oct/2023:13:55:${String(i % 60).padStart(2, '0')} +0000] "GET /c/${i} HTTP/1.0" ${200 + (i % 3)}`).join('\n'));
    writeFileSync(
      join(hostile, 'auth.log'),
      Array.from({ length: 5000 }, (_, i) => `Dec 31 23:59:${String(i % 60).padStart(2, '0')} web sshd[${100 + (i % 40)}]: ${i % 2 === 0 ? `Connection from 198.51.100.${i % 9} port ${4000 + i} on 10.0.0.1 port 22` : 'Failed password for root from 198.51.100.7 port 22 ssh2'}`).join('\n'),
    );
  });
  afterAll(() => tmp.cleanup());

  async function ingest(
    name: string,
    extra: Partial<IngestOptions>,
    observe?: (db: OpenCase['db']) => void,
  ): Promise<{ dump: Record<string, unknown[]>; rebuilt: Map<number, Buffer>; autocheckpointAfter: number }> {
    const open = createCaseFile({ ...meta, path: tmp.file(`${name}.dossier`) });
    try {
      const summary = await runIngest(open.db, {
        ...(observe === undefined ? {} : { onBatch: () => observe(open.db) }),
        root: folder, timeZone: 'Europe/Berlin', now: () => NOW, batchRows: 7000,
        files: { 'hostile/custom.log': { format: 'apache_access_custom', logFormat: '%h %t "%r" %>s' }, 'hostile/auth.log': { year: 2022, timeZone: 'America/New_York' } },
        ...extra,
      });
      expect(summary.status).toBe('complete');
      const d = dump(open);
      const rebuilt = new Map<number, Buffer>();
      for (const e of d['evidence'] as Array<{ id: number; lines: number }>) {
        if (e.lines > 0) {
          rebuilt.set(e.id, rebuild(open, e.id));
        }
      }
      return { dump: d, rebuilt, autocheckpointAfter: Number(open.db.pragma('wal_autocheckpoint', { simple: true })) };
    } finally {
      closeCaseFile(open);
    }
  }

  it('stores exactly what the single-thread path stores, every table, byte for byte', async () => {
    const single = await ingest('single', { parseWorker: false });
    // With the checkpoint worker too: the writer's automatic checkpoints are off while it runs.
    const autocheckpoint: number[] = [];
    const worker = await ingest('worker', { parseWorker: workerFile, parseWorkerMinBytes: 0, checkpointWorker: checkpointFile }, (db) => {
      autocheckpoint.push(Number(db.pragma('wal_autocheckpoint', { simple: true })));
    });
    expect(autocheckpoint.length).toBeGreaterThan(5);
    expect(autocheckpoint.filter((n) => n === 0).length).toBeGreaterThan(autocheckpoint.length / 2);
    // ... and back to the connection's own setting afterwards.
    expect(worker.autocheckpointAfter).toBe(single.autocheckpointAfter);
    expect(worker.autocheckpointAfter).toBeGreaterThan(0);
    expect(Object.keys(worker.dump)).toEqual(Object.keys(single.dump));
    for (const t of Object.keys(single.dump)) {
      expect(worker.dump[t], t).toEqual(single.dump[t]);
    }
    expect([...worker.rebuilt.keys()]).toEqual([...single.rebuilt.keys()]);
    for (const [id, bytes] of single.rebuilt) {
      expect(worker.rebuilt.get(id)?.equals(bytes), `evidence ${id}`).toBe(true);
    }
    const events = single.dump['event_rows'] as Array<{ flags: number }>;
    expect(events.length).toBeGreaterThan(50_000);
  }, 120_000);

  it('reuses the read chunks of plain files and still stores every byte the same (4 KiB chunks: lines and a 2 MiB line across chunks)', async () => {
    const single = await ingest('single-1m', { parseWorker: false });
    const recycled = new Map<string, number>();
    const worker = await ingest('worker-4k', {
      parseWorker: workerFile, parseWorkerMinBytes: 0, readChunkSize: 4096, onChunksRecycled: (path, n) => recycled.set(path, n),
    });
    // Chunks were handed back and read into again (zeroed in between: a byte still referred to would come out as
    // NUL). Not all: a raw block (256 KiB) holds 64 such chunks until it is sealed, the reader keeps 8 spare, and
    // the chunks inside the 2 MiB line make no batch of their own...
    expect(recycled.get('hostile/access.log')).toBeGreaterThan(50);
    // ...only a plain file's: a compressed member's chunks are the decompressor's
    expect(recycled.has('hostile/access.log.1.gz')).toBe(false);
    for (const t of Object.keys(single.dump)) {
      expect(worker.dump[t], t).toEqual(single.dump[t]);
    }
    for (const [id, bytes] of single.rebuilt) {
      expect(worker.rebuilt.get(id)?.equals(bytes), `evidence ${id}`).toBe(true);
    }
    const access = (single.dump['evidence'] as Array<{ id: number; rel_path: string }>).find((e) => e.rel_path === 'hostile/access.log');
    expect(worker.rebuilt.get(access?.id ?? -1)?.equals(readFileSync(join(folder, 'hostile', 'access.log')))).toBe(true);
  }, 120_000);

  it('hands back no chunk the line splitter still holds (lines ending on chunk boundaries, each line committed at once)', async () => {
    // A line whose terminator is the first byte of the next chunk reaches the next batch as a view of the chunk
    // it started in, with no copy. One row per batch: the writer seals its raw block at every line, so only the
    // splitter's account (LineBatch.held) keeps that chunk from being reused meanwhile.
    const dir = tmp.file('spans');
    mkdirSync(dir);
    let text = '';
    let boundaries = 0;
    for (let i = 0; text.length < 30 * 4096; i += 1) {
      const next = (Math.floor(text.length / 4096) + 1) * 4096;
      const plain = ACCESS(i).replace(' ü', ' u');
      const need = next - text.length;
      if (need > plain.length + 40 && need < plain.length + 400) {
        text += `${ACCESS(i, 'p'.repeat(need - plain.length)).replace(' ü', ' u')}\n`;
        boundaries += 1;
      } else {
        text += `${plain}\n`;
      }
    }
    text += `${'x'.repeat(100_000)}\n${ACCESS(1)}`;
    writeFileSync(join(dir, 'access.log'), text);
    expect(boundaries).toBeGreaterThan(20);
    let recycled = 0;
    const open = createCaseFile({ ...meta, path: tmp.file('spans.dossier') });
    try {
      const summary = await runIngest(open.db, {
        root: dir, timeZone: 'UTC', now: () => NOW, batchRows: 1, parseWorker: workerFile, parseWorkerMinBytes: 0, readChunkSize: 4096,
        onChunksRecycled: (_, n) => (recycled = n),
      });
      expect(summary.status).toBe('complete');
      const id = (open.db.prepare("SELECT id FROM evidence WHERE rel_path = 'access.log'").get() as { id: number }).id;
      expect(rebuild(open, id).equals(Buffer.from(text))).toBe(true);
    } finally {
      closeCaseFile(open);
    }
    expect(recycled).toBeGreaterThan(10);
  }, 60_000);

  it('stores rows of both shapes (with and without host, program, pid...) in line order, with their NULLs, on both paths', async () => {
    // Runs of 1 to 70 lines (across the 64-row statements) alternate between a syslog line (a full row:
    // zone offset, host, program, pid) and an unparsed line (a narrow row: the six columns it leaves out
    // are NULL); runs of one line switch shape on every row (the writer then stays with full rows).
    const dir = tmp.file('shapes');
    mkdirSync(dir);
    const lines: string[] = [];
    let syslog = true;
    for (let run = 1; lines.length < 9000; run = (run * 7) % 71 + 1) {
      for (let k = 0; k < run; k += 1) {
        const i = lines.length;
        lines.push(syslog ? `Oct 10 13:00:${String(i % 60).padStart(2, '0')} web${i % 3} sshd[${1000 + i}]: Connection closed by 192.0.2.${i % 200} port ${i}` : `%%% not a syslog line ${i}`);
      }
      syslog = !syslog;
    }
    writeFileSync(join(dir, 'auth.log'), `${lines.join('\n')}\n`);
    for (const extra of [{ parseWorker: false as const }, { parseWorker: workerFile, parseWorkerMinBytes: 0 }]) {
      const open = createCaseFile({ ...meta, path: tmp.file(`shapes-${extra.parseWorker === false ? 'single' : 'worker'}.dossier`) });
      try {
        const summary = await runIngest(open.db, { root: dir, timeZone: 'UTC', now: () => NOW, batchRows: 1000, files: { 'auth.log': { format: 'auth', year: 2023 } }, ...extra });
        expect(summary.status).toBe('complete');
        const rows = open.db
          .prepare('SELECT e.id, e.line_no, e.pid, e.src_port, e.tz_off, e.message, h.value AS host, p.value AS program FROM events e LEFT JOIN strings h ON h.id = e.host LEFT JOIN strings p ON p.id = e.program ORDER BY e.id')
          .all() as Array<{ id: number; line_no: number; pid: number | null; src_port: number | null; tz_off: number | null; message: string; host: string | null; program: string | null }>;
        expect(rows).toHaveLength(lines.length);
        rows.forEach((r, i) => {
          expect(r.line_no).toBe(i + 1);
          if (lines[i]?.startsWith('%%%') === true) {
            expect(r.message).toBe(lines[i]);
            expect([r.pid, r.src_port, r.tz_off, r.host, r.program]).toEqual([null, null, null, null, null]);
          } else {
            expect([r.pid, r.host, r.program, r.tz_off]).toEqual([1000 + i, `web${i % 3}`, 'sshd', 0]);
          }
        });
        expect(rows.filter((r) => r.pid === null).length).toBeGreaterThan(3000);
        expect(rows.filter((r) => r.pid !== null).length).toBeGreaterThan(3000);
      } finally {
        closeCaseFile(open);
      }
    }
  }, 60_000);

  /** A client started from the bundle, in an access-log member, closed after `use`. */
  async function withAccessClient(use: (client: ParseWorkerClient) => Promise<void>): Promise<void> {
    const client = await ParseWorkerClient.start(workerFile);
    expect(client).not.toBeNull();
    if (client === null) {
      return;
    }
    try {
      client.beginMember({ formatId: 'apache_access', path: 'access.log', zone: 'UTC', clockOffsetMs: 0, mtimeMs: NOW.getTime(), analystYear: null });
      await use(client);
    } finally {
      await client.close();
    }
  }

  /** Whole lines, none continued or oversized. */
  const lineSource = (lines: Buffer[]): LineSource => ({
    count: lines.length, continuation: () => false, oversized: () => false, length: (i) => lines[i]?.length ?? 0, bytes: (i) => lines[i] ?? Buffer.alloc(0),
  });

  it('starts from its bundle and parses a batch', async () => {
    await withAccessClient(async (client) => {
      const rows = await client.parse(lineSource([ACCESS(1), 'not a line'].map((l) => Buffer.from(l))));
      expect(rows.rows).toBe(2);
      expect(rows.newStrings).toContain('http_request');
      expect(rows.newIps).toEqual(['10.1.0.1']);
      const clock = await client.endMember();
      expect(clock.state.zone).toBe('UTC');
      expect([...clock.minutes]).toEqual([Math.trunc(Date.UTC(2023, 9, 10, 11, 0, 1) / 60_000), 6, 1]);
    });
  });

  it('gets back the buffers it sends (lines, raw blocks) and packs and assembles later ones in them', async () => {
    await withAccessClient(async (client) => {
      const batch = (from: number, n: number): LineSource => lineSource(Array.from({ length: n }, (_, i) => Buffer.from(ACCESS(from + i))));
      expect(client.resourceLimits?.maxYoungGenerationSizeMb).toBe(PARSE_WORKER_YOUNG_GENERATION_MB);
      expect(client.pooled).toEqual({ lines: 0, blocks: 0 });
      const first = await client.parse(batch(0, 500));
      expect(first.rows).toBe(500);
      expect(client.pooled.lines).toBe(1); // the first batch's buffer came back with its rows
      const second = await client.parse(batch(500, 500)); // packed into it, and back again
      expect(decodeRow(second, 499, { strings: [], ips: [] }, 1, 0).row.path).toBe('/p/999');
      expect(client.pooled.lines).toBe(1);

      // A raw block assembled in a pooled buffer is transferred, not copied; its bytes compress the same.
      const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => ACCESS(i)).join('\n'));
      const raw = client.blocks.buffer(bytes.length);
      expect(raw.buffer.byteLength).toBeGreaterThanOrEqual(BLOCK_BUFFER_BYTES);
      bytes.copy(raw);
      const data = await client.blocks.compress(raw);
      expect(raw.length).toBe(0); // detached: it went to the worker
      expect(decompressRawBlock(data, RAW_BLOCK_CODEC).equals(bytes)).toBe(true);
      expect(client.pooled.blocks).toBe(1);
      const again = client.blocks.buffer(100); // the same buffer again
      expect(client.pooled.blocks).toBe(0);
      client.blocks.done(again); // compressed on the writer's thread: back to the pool
      expect(client.pooled.blocks).toBe(1);
      // Any other buffer is copied and left as it was.
      const mine = Buffer.from('GET / HTTP/1.1\n');
      expect(decompressRawBlock(await client.blocks.compress(mine), RAW_BLOCK_CODEC).toString()).toBe('GET / HTTP/1.1\n');
      expect(mine.toString()).toBe('GET / HTTP/1.1\n');
      await client.endMember();
    });
  });

  it('falls back to this thread when the worker cannot start', async () => {
    const open = createCaseFile({ ...meta, path: tmp.file('fallback.dossier') });
    try {
      const summary = await runIngest(open.db, { root: join(folder, 'hostile'), timeZone: 'UTC', parseWorker: tmp.file('missing.worker.js'), parseWorkerMinBytes: 0 });
      expect(summary.status).toBe('complete');
      const stored = (open.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      expect(summary.lines).toBe(stored);
      expect(stored).toBeGreaterThan(40_000);
    } finally {
      closeCaseFile(open);
    }
  }, 60_000);

  it('cancels between batches and leaves whole batches only', async () => {
    const open = createCaseFile({ ...meta, path: tmp.file('cancel.dossier') });
    try {
      const controller = new AbortController();
      const summary = await runIngest(open.db, {
        root: join(folder, 'hostile'), timeZone: 'UTC', parseWorker: workerFile, parseWorkerMinBytes: 0, batchRows: 3000, signal: controller.signal,
        onBatch: () => controller.abort(),
      });
      expect(summary.status).toBe('cancelled');
      const ev = open.db.prepare('SELECT id, lines FROM evidence WHERE lines > 0').all() as Array<{ id: number; lines: number }>;
      for (const e of ev) {
        const n = (open.db.prepare('SELECT count(*) AS n FROM events WHERE evidence_id = ?').get(e.id) as { n: number }).n;
        const b = (open.db.prepare('SELECT coalesce(sum(rows), 0) AS n FROM ingest_batches WHERE evidence_id = ?').get(e.id) as { n: number }).n;
        expect(n).toBe(b);
        expect(e.lines).toBe(n);
      }
    } finally {
      closeCaseFile(open);
    }
  }, 60_000);

  it('a failure mid-member stops the worker, keeps whole batches, and a second run completes the evidence', async () => {
    const open = createCaseFile({ ...meta, path: tmp.file('fail.dossier') });
    try {
      const root = join(folder, 'hostile');
      let batches = 0;
      await expect(
        runIngest(open.db, {
          root, timeZone: 'UTC', parseWorker: workerFile, parseWorkerMinBytes: 0, batchRows: 4000,
          onBatch: () => {
            batches += 1;
            if (batches === 3) {
              throw new Error('injected failure');
            }
          },
        }),
      ).rejects.toThrow('injected failure');
      const partial = open.db.prepare("SELECT id, lines, status FROM evidence WHERE status = 'partial'").all() as Array<{ id: number; lines: number }>;
      expect(partial).toHaveLength(1);
      expect(partial[0]?.lines).toBe(12_000);
      const again = await runIngest(open.db, { root, timeZone: 'UTC', parseWorker: workerFile, parseWorkerMinBytes: 0, batchRows: 4000 });
      expect(again.status).toBe('complete');
      const stored = (open.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
      const lines = (open.db.prepare("SELECT sum(lines) AS n FROM evidence WHERE status = 'complete'").get() as { n: number }).n;
      expect(stored).toBe(lines);
      expect(open.db.prepare("SELECT count(*) AS n FROM evidence WHERE status != 'complete' AND format != 'archive'").get()).toEqual({ n: 0 });
    } finally {
      closeCaseFile(open);
    }
  }, 60_000);
});

describe('the buffer pool', () => {
  it('lends views of its own buffers, takes back only large enough ones, and keeps a few', () => {
    const pool = new BufferPool(1024);
    const a = pool.take(10);
    expect([a.length, a.byteOffset, a.buffer.byteLength]).toEqual([10, 0, 1024]);
    const big = pool.take(5000); // larger than the capacity: a buffer of its size
    expect(big.buffer.byteLength).toBe(5000);
    pool.give(a.buffer as ArrayBuffer);
    pool.give(new ArrayBuffer(100)); // too small to be of use
    pool.give(undefined);
    expect(pool.size).toBe(1);
    expect(pool.take(1024).buffer).toBe(a.buffer);
    pool.give(big.buffer as ArrayBuffer);
    pool.give(a.buffer as ArrayBuffer);
    expect(pool.take(3000).buffer).toBe(big.buffer); // the first one large enough
    for (let i = 0; i < 20; i += 1) {
      pool.give(new ArrayBuffer(1024));
    }
    expect(pool.size).toBeLessThanOrEqual(6);
  });
});
