/**
 * The floor benchmark's child (`npm run bench:floor`, scripts/bench-floor.mjs): what the parts of an
 * ingest that no engine storing every line can skip cost on this machine, each alone, on one thread,
 * with nothing between them. Issue 11 asks for 0.5x lnav's lines/s; this says how far below that the
 * sum of the parts already is (scripts/bench/floor-summary.mjs does the arithmetic).
 *
 *   node .bench/dist/floor.js <folder with one access log> <work dir>
 *
 * Stages, each timed in wall and process CPU milliseconds:
 * - `hash`: read the file in 1 MiB chunks, SHA-256 and MD5 of every byte (the evidence hashes);
 * - `parse`: split the lines and run the project's access-log parser on each (latin1 decoding, the
 *   cheapest; nothing kept, no interning);
 * - `compress`: the raw bytes in 256 KiB blocks through the case's raw-block codec (Brotli, quality 0);
 * - `engineIngest`: the real engine (runIngest, its parse worker) into a fresh case: the reference;
 * - `copy`: SQLite alone moving those stored rows and raw blocks into another fresh case
 *   (`INSERT ... SELECT`, one transaction per table, foreign keys off; `copyRows` and `copyBlocks` are the
 *   two tables): the record and B-tree work with no JavaScript at all, i.e. below what any writer binding
 *   values from JavaScript can reach;
 * - `bind`: the same rows (the access rows' columns, NARROW_COLUMNS) inserted into a third fresh case from
 *   JavaScript the way the engine's writer does (prepared 64-row INSERTs, values bound as arguments, a
 *   commit per 50,000 rows); read back in chunks first, and only the inserts and commits are timed: the
 *   floor of a writer in this stack (JavaScript and better-sqlite3). Raw blocks are not part of it;
 * - `indexes`: the timeline indexes built on the copy, with the ingest connection's settings (8 MiB cache,
 *   `threads = 2`: the sorter's helper thread counts in the CPU time).
 * Prints one JSON object on stdout.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseAccessLine } from '../core/parsers/apache/access';
import { closeCaseFile, createCaseFile } from '../db/case-file';
import { asWritable, bindRun } from '../db/connection/sql';
import { TIMELINE_INDEXES } from '../db/indexes';
import { compressRawBlockSync } from '../db/queries/raw-lines';
import { NARROW_COLUMNS, ROWS_PER_STATEMENT } from '../workers/ingest/event-writer';
import { runIngest } from '../workers/ingest/ingest-engine';
import { configureIngestConnection } from '../workers/ingest/run-ingest-job';

type Stage = { wallMs: number; cpuMs: number; [detail: string]: unknown };

const CHUNK = 1 << 20;
const BLOCK = 256 * 1024;

function timed(run: () => Record<string, unknown>): Stage {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const extra = run();
  const wallMs = Math.round(performance.now() - t0);
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: Math.round((c.user + c.system) / 1000), ...extra };
}

async function timedAsync(run: () => Promise<Record<string, unknown>>): Promise<Stage> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const extra = await run();
  const wallMs = Math.round(performance.now() - t0);
  const c = process.cpuUsage(c0);
  return { wallMs, cpuMs: Math.round((c.user + c.system) / 1000), ...extra };
}

/** Calls `each(buffer, length)` for every chunk of the file, in order, in one reused buffer. */
function chunks(file: string, each: (buf: Buffer, length: number) => void): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) {
        return;
      }
      each(buf, n);
    }
  } finally {
    closeSync(fd);
  }
}

function hashStage(file: string): Stage {
  return timed(() => {
    const sha = createHash('sha256');
    const md5 = createHash('md5');
    let bytes = 0;
    chunks(file, (buf, n) => {
      const view = buf.subarray(0, n);
      sha.update(view);
      md5.update(view);
      bytes += n;
    });
    return { bytes, sha256: sha.digest('hex') };
  });
}

function parseStage(file: string): Stage {
  return timed(() => {
    let lines = 0;
    let parsed = 0;
    let carry = '';
    const line = (text: string): void => {
      lines += 1;
      if (parseAccessLine(text).ok) {
        parsed += 1;
      }
    };
    chunks(file, (buf, n) => {
      let start = 0;
      let nl = buf.indexOf(10, 0);
      while (nl >= 0 && nl < n) {
        const text = buf.toString('latin1', start, nl);
        line(carry === '' ? text : carry + text);
        carry = '';
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      carry += buf.toString('latin1', start, n);
    });
    if (carry !== '') {
      line(carry);
    }
    return { lines, parsed };
  });
}

function compressStage(file: string): Stage {
  return timed(() => {
    let compressed = 0;
    let blocks = 0;
    chunks(file, (buf, n) => {
      for (let at = 0; at < n; at += BLOCK) {
        compressed += compressRawBlockSync(buf.subarray(at, Math.min(n, at + BLOCK))).byteLength;
        blocks += 1;
      }
    });
    return { blocks, compressedBytes: compressed };
  });
}

function newCase(path: string): Database.Database {
  closeCaseFile(createCaseFile({ path, name: 'floor bench', number: '', examiner: '', description: '', timeZone: 'UTC', classification: '', actor: 'bench', appVersion: 'bench' }));
  const db = new Database(path);
  configureIngestConnection(db);
  return db;
}

/** Rows read per chunk (a multiple of the statement's rows; the engine commits every 50,000 rows). */
const BIND_CHUNK = ROWS_PER_STATEMENT * 782;

function bindStage(sourcePath: string, db: Database.Database): Stage {
  db.pragma('foreign_keys = OFF');
  db.prepare('ATTACH DATABASE ? AS src').run(sourcePath);
  const cols = NARROW_COLUMNS.join(',');
  const read = db.prepare(`SELECT ${cols} FROM src.event_rows WHERE id > ? ORDER BY id LIMIT ${BIND_CHUNK}`).raw();
  const one = `(${NARROW_COLUMNS.map(() => '?').join(',')})`;
  const full = db.prepare(`INSERT INTO main.event_rows (${cols}) VALUES ${Array.from({ length: ROWS_PER_STATEMENT }, () => one).join(',')}`);
  const begin = db.prepare('BEGIN');
  const commit = db.prepare('COMMIT');
  const width = NARROW_COLUMNS.length;
  const values = new Array<unknown>(width * ROWS_PER_STATEMENT);
  let wallMs = 0;
  let cpuUs = 0;
  let rows = 0;
  let after = -1;
  for (;;) {
    const chunk = read.all(after) as unknown[][];
    if (chunk.length === 0) {
      break;
    }
    after = (chunk[chunk.length - 1] as unknown[])[0] as number;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    begin.run();
    let r = 0;
    for (; r + ROWS_PER_STATEMENT <= chunk.length; r += ROWS_PER_STATEMENT) {
      let p = 0;
      for (let j = r; j < r + ROWS_PER_STATEMENT; j += 1) {
        const row = chunk[j] as unknown[];
        for (let q = 0; q < width; q += 1) {
          values[p++] = row[q];
        }
      }
      bindRun(full, values);
    }
    for (; r < chunk.length; r += 1) {
      db.prepare(`INSERT INTO main.event_rows (${cols}) VALUES ${one}`).run(chunk[r] as unknown[]);
    }
    commit.run();
    wallMs += performance.now() - t0;
    const c = process.cpuUsage(c0);
    cpuUs += c.user + c.system;
    rows += chunk.length;
  }
  db.exec('DETACH DATABASE src');
  db.close();
  return { wallMs: Math.round(wallMs), cpuMs: Math.round(cpuUs / 1000), rows };
}

async function main(): Promise<void> {
  const [folder, work] = process.argv.slice(2);
  if (folder === undefined || work === undefined) {
    console.error('usage: floor.js <folder with one access log> <work dir>');
    process.exit(2);
  }
  const files = readdirSync(folder).filter((f) => statSync(join(folder, f)).isFile());
  if (files.length !== 1) {
    console.error(`floor.js: expected one file in ${folder}, found ${files.length}`);
    process.exit(2);
  }
  const file = join(folder, files[0] as string);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });

  const hash = hashStage(file);
  const parse = parseStage(file);
  const compress = compressStage(file);

  const sourcePath = join(work, 'engine.dossier');
  const source = newCase(sourcePath);
  const engineIngest = await timedAsync(async () => {
    const s = await runIngest(asWritable(source), { root: folder, timeZone: 'UTC' });
    return { lines: s.lines, events: s.evidence.reduce((n, e) => n + e.events, 0) };
  });
  source.close();

  const copyPath = join(work, 'copy.dossier');
  const copy = newCase(copyPath);
  copy.pragma('foreign_keys = OFF');
  copy.pragma('synchronous = OFF');
  copy.prepare('ATTACH DATABASE ? AS src').run(sourcePath);
  const copyTable = (table: string): Stage =>
    timed(() => {
      copy.transaction(() => copy.exec(`INSERT INTO main.${table} SELECT * FROM src.${table}`))();
      return { rows: (copy.prepare(`SELECT count(*) AS n FROM main.${table}`).get() as { n: number }).n };
    });
  const copyRows = copyTable('event_rows');
  const copyBlocks = copyTable('raw_blocks');
  const copyStage: Stage = {
    wallMs: copyRows.wallMs + copyBlocks.wallMs, cpuMs: copyRows.cpuMs + copyBlocks.cpuMs, rows: copyRows['rows'], blocks: copyBlocks['rows'],
  };
  copy.exec('DETACH DATABASE src');
  copy.pragma('wal_checkpoint(TRUNCATE)');
  const perIndex: Record<string, number> = {};
  const indexes = timed(() => {
    for (const ix of TIMELINE_INDEXES) {
      const t = performance.now();
      copy.exec(ix.sql);
      perIndex[ix.name] = Math.round(performance.now() - t);
    }
    return { count: TIMELINE_INDEXES.length };
  });
  copy.close();
  const bind = bindStage(sourcePath, newCase(join(work, 'bind.dossier')));
  rmSync(work, { recursive: true, force: true });

  process.stdout.write(`${JSON.stringify({
    file, bytes: hash['bytes'], lines: parse['lines'], cores: availableParallelism(),
    stages: { hash, parse, compress, engineIngest, copy: copyStage, copyRows, copyBlocks, bind, indexes: { ...indexes, perIndexMs: perIndex } },
  })}\n`);
}

void main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
