import type { WalHelper } from './checkpointer';
import type Database from 'better-sqlite3';
import ipaddr from 'ipaddr.js';
import { bindRun, type WritableDb } from '../../db/connection/sql';
import { compressRawBlock, compressRawBlockSync, RAW_BLOCK_CODEC } from '../../db/queries/raw-lines';
import { EventFlag } from '../../../shared/domain/event-flags';
import { canonicalIpv4, Col, textColumn, type IdMap, type RowsMessage } from './parse-batch';


/** Columns of one event row, in insert order. */
export type EventRow = {
  lineNo: number;
  byteOffset: number;
  ts: number | null;
  tzOff: number | null;
  flags: number;
  kind: string;
  sev: number | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  tid: number | null;
  srcIp: string | null;
  srcPort: number | null;
  user: string | null;
  method: string | null;
  path: string | null;
  status: number | null;
  bytes: number | null;
  message: string;
  extra: string | null;
  /** HTTP user agent (interned; findings test each distinct agent once). */
  ua?: string | null;
  /**
   * An HTTP request whose message its columns rebuild (db/request-message.ts `requestCode`): its code;
   * the message is then not stored, only `query` (the text after the path's `?`, when rq has RQ_QUERY).
   * Absent or null: the message is stored as it is.
   */
  rq?: number | null;
  query?: string | null;
};

/** How the writer gets a raw block's buffer, compresses it, and gives back one it compressed itself. */
export type RawBlockCompressor = Readonly<{
  /** A buffer of `bytes` bytes for the block (the writer fills it). */
  buffer: (bytes: number) => Buffer;
  /** Compresses a block from `buffer`, which belongs to the compressor from then on. */
  compress: (raw: Buffer) => Promise<Buffer>;
  /** Takes back a block from `buffer` that the writer compressed on its own thread. */
  done: (raw: Buffer) => void;
}>;

/** Fresh buffers, compressed on the libuv pool. */
export const LOCAL_BLOCKS: RawBlockCompressor = { buffer: (bytes) => Buffer.allocUnsafeSlow(bytes), compress: compressRawBlock, done: () => undefined };

const COLUMNS = [
  'id', 'evidence_id', 'line_no', 'byte_offset', 'ts', 'tz_off', 'flags', 'kind', 'sev', 'host', 'program', 'pid', 'tid',
  'src_ip', 'src_port', 'user', 'method', 'path', 'status', 'bytes', 'msg', 'extra', 'ua', 'rq',
] as const;
/**
 * The columns of a row whose tz_off, host, program, pid, tid and src_port are all NULL (an access-log
 * line: its time carries its own offset): the same row without binding the six NULLs, less CPU per insert
 * (docs/PERFORMANCE.md, session 4). The columns left out default to NULL.
 */
export const NARROW_COLUMNS = ['id', 'evidence_id', 'line_no', 'byte_offset', 'ts', 'flags', 'kind', 'sev', 'src_ip', 'user', 'method', 'path', 'status', 'bytes', 'msg', 'extra', 'ua', 'rq'] as const;
export const ROWS_PER_STATEMENT = 64;
/** Uncompressed size of a raw block: small enough to decompress on demand for "show in context". */
const RAW_BLOCK_BYTES = 256 * 1024;

type PendingBlock = { firstLine: number; lineCount: number; byteOffset: number; rawSize: number; data: Promise<Buffer> };

/** Rows of one column list waiting for their multi-row INSERT (one statement's worth at most). */
class RowChunk {
  readonly values: unknown[];
  pos = 0;
  readonly #db: WritableDb;
  readonly #head: string;
  readonly #one: string;
  readonly #full: Database.Statement<unknown[]>;
  readonly #width: number;
  /** Statements for fewer rows (the end of a batch, a shape switch), prepared on first use. */
  readonly #partial = new Map<number, Database.Statement<unknown[]>>();

  constructor(db: WritableDb, columns: ReadonlyArray<string>) {
    this.#db = db;
    this.#width = columns.length;
    this.values = new Array<unknown>(columns.length * ROWS_PER_STATEMENT);
    this.#head = `INSERT INTO event_rows (${columns.join(',')}) VALUES `;
    this.#one = `(${columns.map(() => '?').join(',')})`;
    this.#full = db.prepare(this.#head + Array.from({ length: ROWS_PER_STATEMENT }, () => this.#one).join(','));
  }

  insertFull(): void {
    bindRun(this.#full, this.values);
  }

  /** Inserts the rows gathered since the last full statement (the end of a batch) and empties the chunk. */
  insertTail(): void {
    const rows = this.pos / this.#width;
    if (rows > 0) {
      let stmt = this.#partial.get(rows);
      if (stmt === undefined) {
        stmt = this.#db.prepare(this.#head + Array.from({ length: rows }, () => this.#one).join(','));
        this.#partial.set(rows, stmt);
      }
      bindRun(stmt, this.values.slice(0, this.pos));
    }
    this.pos = 0;
  }
}

export type BatchStats = Readonly<{ rows: number; firstLine: number; lastLine: number; nextOffset: number }>;

export function ipv4ToInt(text: string): number | null {
  // the usual dotted quad without the library's parse (the writer's cost per new address)
  const v = canonicalIpv4(text);
  if (v >= 0) {
    return v;
  }
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) {
    return null;
  }
  const o = ipaddr.IPv4.parse(text).octets;
  return ((o[0] ?? 0) * 16777216 + (o[1] ?? 0) * 65536 + (o[2] ?? 0) * 256 + (o[3] ?? 0));
}

function ipv6Bytes(text: string): Buffer | null {
  if (!ipaddr.IPv6.isValid(text)) {
    return null;
  }
  try {
    return Buffer.from(ipaddr.IPv6.parse(text).toByteArray());
  } catch {
    return null;
  }
}

/**
 * Writes events of one ingest into the case file in whole batches: interned strings and
 * addresses, multi-row prepared inserts, raw line blocks compressed on the libuv thread pool (the
 * second core) while this thread parses, and one bookkeeping row per batch, all in one transaction.
 */
export class EventWriter {
  readonly #db: WritableDb;
  readonly #strings = new Map<string, number>();
  readonly #ips = new Map<string, number>();
  #nextString: number;
  #nextIp: number;
  #nextEventId: number;
  #newStrings: Array<[number, string]> = [];
  #newIps: Array<[number, string, number | null, Buffer | null]> = [];
  /** One statement's worth of rows of each shape (all columns, narrow), filled by index and reused. */
  readonly #wide: RowChunk;
  readonly #narrow: RowChunk;
  #rowCount = 0;
  /** Lines of the current batch (a line can carry more than one event row). */
  #lineCount = 0;
  #blocks: PendingBlock[] = [];
  #blockParts: Buffer[] = [];
  #blockSize = 0;
  #blockFirstLine = 0;
  #blockLines = 0;
  #blockOffset = 0;
  #batchFirstLine = 0;
  #batchLastLine = 0;
  #batchNextOffset = 0;
  #batchNo = 0;
  #evidenceId = 0;
  readonly #insertString: Database.Statement<unknown[]>;
  readonly #insertIp: Database.Statement<unknown[]>;
  readonly #insertBlock: Database.Statement<unknown[]>;
  readonly #insertBatch: Database.Statement<unknown[]>;
  readonly #bumpEvidence: Database.Statement<unknown[]>;

  /**
   * Where raw blocks are assembled and compressed (RAW_BLOCK_CODEC, db/queries/raw-lines.ts). By
   * default on the libuv pool in fresh buffers; the ingest hands them to the parse worker while that
   * one feeds this writer (its buffers are pooled, parse-client.ts).
   */
  blocks: RawBlockCompressor = LOCAL_BLOCKS;
  /** Checkpoints on another thread during the load (checkpointer.ts); null: SQLite's automatic ones. */
  walHelper: WalHelper | null = null;

  constructor(db: WritableDb) {
    this.#db = db;
    for (const r of db.prepare('SELECT id, value FROM strings').iterate() as IterableIterator<{ id: number; value: string }>) {
      this.#strings.set(r.value, r.id);
    }
    for (const r of db.prepare('SELECT id, text FROM ips').iterate() as IterableIterator<{ id: number; text: string }>) {
      this.#ips.set(r.text, r.id);
    }
    this.#nextString = ((db.prepare('SELECT max(id) AS m FROM strings').get() as { m: number | null }).m ?? 0) + 1;
    this.#nextIp = ((db.prepare('SELECT max(id) AS m FROM ips').get() as { m: number | null }).m ?? 0) + 1;
    this.#nextEventId = ((db.prepare('SELECT max(id) AS m FROM events').get() as { m: number | null }).m ?? 0) + 1;
    this.#wide = new RowChunk(db, COLUMNS);
    this.#narrow = new RowChunk(db, NARROW_COLUMNS);
    this.#insertString = db.prepare('INSERT INTO strings (id, value) VALUES (?, ?)');
    this.#insertIp = db.prepare('INSERT INTO ips (id, text, v4, v6) VALUES (?, ?, ?, ?)');
    this.#insertBlock = db.prepare(
      `INSERT INTO raw_blocks (evidence_id, first_line, line_count, byte_offset, raw_size, data, codec) VALUES (?, ?, ?, ?, ?, ?, ${RAW_BLOCK_CODEC})`,
    );
    this.#insertBatch = db.prepare(
      'INSERT INTO ingest_batches (evidence_id, batch_no, first_line, last_line, rows, next_offset) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.#bumpEvidence = db.prepare(
      `UPDATE evidence SET lines = lines + ?, events = events + ?, raw_only = raw_only + ?, invalid_utf8 = invalid_utf8 + ?,
         oversized = oversized + ?, untimed = untimed + ?,
         first_ts = CASE WHEN ? IS NULL THEN first_ts WHEN first_ts IS NULL OR ? < first_ts THEN ? ELSE first_ts END,
         last_ts = CASE WHEN ? IS NULL THEN last_ts WHEN last_ts IS NULL OR ? > last_ts THEN ? ELSE last_ts END,
         first_event_id = coalesce(first_event_id, ?), last_event_id = coalesce(?, last_event_id)
       WHERE id = ?`,
    );
  }

  get pendingRows(): number {
    return this.#rowCount;
  }

  get nextEventId(): number {
    return this.#nextEventId;
  }

  /** Starts a new evidence member: lines that follow belong to it. */
  beginEvidence(evidenceId: number, firstLine = 1, byteOffset = 0): void {
    this.#evidenceId = evidenceId;
    this.#batchNo = (this.#db.prepare('SELECT coalesce(max(batch_no), 0) AS b FROM ingest_batches WHERE evidence_id = ?').get(evidenceId) as { b: number }).b;
    this.#blockFirstLine = firstLine;
    this.#blockOffset = byteOffset;
    this.#batchFirstLine = firstLine;
    this.#batchLastLine = firstLine - 1;
    this.#batchNextOffset = byteOffset;
  }

  intern(value: string | null): number | null {
    if (value === null) {
      return null;
    }
    let id = this.#strings.get(value);
    if (id === undefined) {
      id = this.#nextString++;
      this.#strings.set(value, id);
      this.#newStrings.push([id, value]);
    }
    return id;
  }

  internIp(text: string | null): number | null {
    if (text === null || text === '') {
      return null;
    }
    let id = this.#ips.get(text);
    if (id === undefined) {
      id = this.#nextIp++;
      this.#ips.set(text, id);
      const v4 = ipv4ToInt(text);
      this.#newIps.push([id, text, v4, v4 === null ? ipv6Bytes(text) : null]);
    }
    return id;
  }

  // counters of the current batch
  #c = { events: 0, rawOnly: 0, invalid: 0, oversized: 0, untimed: 0, minTs: null as number | null, maxTs: null as number | null, firstId: null as number | null };

  /** Adds one line: its event row and its raw bytes (the terminator is appended to the raw block). */
  add(row: EventRow, raw: Buffer, terminator: Buffer | null, counters: Readonly<{ rawOnly: boolean; invalid: boolean; oversized: boolean }>): void {
    this.#insertRow(row);
    this.#lineCount += 1;
    if (counters.rawOnly) {
      this.#c.rawOnly += 1;
    } else {
      this.#c.events += 1;
    }
    if (counters.invalid) {
      this.#c.invalid += 1;
    }
    if (counters.oversized) {
      this.#c.oversized += 1;
    }
    this.#batchLastLine = row.lineNo;
    this.#blockLines += 1;
    this.#appendRaw(raw, terminator, row.byteOffset);
  }

  /**
   * Adds one more event row of the line added last (a further time of it, e.g. a bodyfile entry's
   * MACB times): no raw bytes (they are stored once, with the line), not counted as a line.
   */
  addTime(row: EventRow): void {
    this.#insertRow(row);
    this.#c.events += 1;
  }

  /**
   * Adds one line parsed by the parse worker: row `r` of message `m` (its interned columns mapped to
   * the case's ids by `ids`) and the line's raw bytes. Same effect as `add` with the decoded row.
   */
  addEncoded(m: RowsMessage, r: number, ids: IdMap, lineNo: number, byteOffset: number, raw: Buffer, terminator: Buffer | null, oversized: boolean): void {
    this.#addEncodedLine(m, r, ids, lineNo, byteOffset, oversized);
    this.#appendRaw(raw, terminator, byteOffset);
  }

  /**
   * `addEncoded` for a line that lies, with its terminator, in `base` at [start, end): consecutive such
   * lines of one chunk join the raw block as one piece (no view and no copy per line).
   */
  addEncodedIn(m: RowsMessage, r: number, ids: IdMap, lineNo: number, byteOffset: number, base: Buffer, start: number, end: number): void {
    this.#addEncodedLine(m, r, ids, lineNo, byteOffset, false);
    const length = end - start;
    this.#batchNextOffset = byteOffset + length;
    if (this.#regionBase === base && this.#regionEnd === start) {
      this.#regionEnd = end;
    } else {
      this.#endRegion();
      this.#regionBase = base;
      this.#regionStart = start;
      this.#regionEnd = end;
    }
    this.#blockSize += length;
    if (this.#blockSize >= RAW_BLOCK_BYTES) {
      this.#sealBlock();
    }
  }

  /**
   * Whether bytes in `memory` are still waiting to be copied into a raw block (the open block's pieces): a chunk
   * of the reader must not be reused before (ChunkRecycler).
   */
  holdsBytesOf(memory: ArrayBufferLike): boolean {
    return this.#regionBase?.buffer === memory || this.#blockParts.some((p) => p.buffer === memory);
  }

  /** Bytes of consecutive lines of one chunk waiting to join the raw block as one piece. */
  #regionBase: Buffer | null = null;
  #regionStart = 0;
  #regionEnd = 0;

  #endRegion(): void {
    if (this.#regionBase !== null) {
      this.#blockParts.push(this.#regionBase.subarray(this.#regionStart, this.#regionEnd));
      this.#regionBase = null;
    }
  }

  /** The row and the counters of one line from the parse worker (its raw bytes are the caller's). */
  #addEncodedLine(m: RowsMessage, r: number, ids: IdMap, lineNo: number, byteOffset: number, oversized: boolean): void {
    const o = r * Col.Width;
    const num = m.num;
    this.#insertEncoded(m, r, ids, lineNo, byteOffset);
    this.#lineCount += 1;
    if (((num[o + Col.Flags] ?? 0) & EventFlag.RawOnly) !== 0) {
      this.#c.rawOnly += 1;
    } else {
      this.#c.events += 1;
    }
    if (num[o + Col.Valid] !== 1) {
      this.#c.invalid += 1;
    }
    if (oversized) {
      this.#c.oversized += 1;
    }
    this.#batchLastLine = lineNo;
    this.#blockLines += 1;
  }

  /** A further row of the line added last, from the parse worker (see `addTime`). */
  addEncodedTime(m: RowsMessage, r: number, ids: IdMap, lineNo: number, byteOffset: number): void {
    this.#insertEncoded(m, r, ids, lineNo, byteOffset);
    this.#c.events += 1;
  }

  #insertEncoded(m: RowsMessage, r: number, ids: IdMap, lineNo: number, byteOffset: number): void {
    const num = m.num;
    const o = r * Col.Width;
    const s = ids.strings;
    const v = (c: number): number | null => {
      const x = num[o + c] as number;
      return x === x ? x : null;
    };
    const str = (c: number): number | null => {
      const x = num[o + c] as number;
      return x === x ? (s[x] ?? null) : null;
    };
    const ipx = num[o + Col.Ip] as number;
    this.#put(
      lineNo, byteOffset, v(Col.Ts), v(Col.TzOff), num[o + Col.Flags] as number, str(Col.Kind), v(Col.Sev), str(Col.Host), str(Col.Program), v(Col.Pid), v(Col.Tid),
      ipx === ipx ? (ids.ips[ipx] ?? null) : null, v(Col.Port), str(Col.User), str(Col.Method), textColumn(m, o, Col.PathAt), v(Col.Status), v(Col.Bytes),
      textColumn(m, o, Col.MsgAt) ?? '', textColumn(m, o, Col.ExtraAt), str(Col.Ua), v(Col.Rq),
    );
  }

  /**
   * One event row (the columns of COLUMNS after id and evidence_id) into the statement of its shape: the
   * narrow one when tz_off, host, program, pid, tid and src_port are all NULL, else the wide one.
   */
  #put(
    lineNo: number, byteOffset: number, ts: number | null, tzOff: number | null, flags: number, kind: number | null, sev: number | null,
    host: number | null, program: number | null, pid: number | null, tid: number | null, srcIp: number | null, port: number | null,
    user: number | null, method: number | null, path: string | null, status: number | null, bytes: number | null, msg: string,
    extra: string | null, ua: number | null, rq: number | null,
  ): void {
    const id = this.#nextEventId++;
    this.#c.firstId ??= id;
    const narrow = tzOff === null && host === null && program === null && pid === null && tid === null && port === null && this.#narrowOk();
    if (!narrow) {
      this.#toWide();
    }
    const c = narrow ? this.#narrow : this.#wide;
    const a = c.values;
    let p = c.pos;
    a[p++] = id;
    a[p++] = this.#evidenceId;
    a[p++] = lineNo;
    a[p++] = byteOffset;
    a[p++] = ts;
    if (!narrow) {
      a[p++] = tzOff;
    }
    a[p++] = flags;
    a[p++] = kind;
    a[p++] = sev;
    if (!narrow) {
      a[p++] = host;
      a[p++] = program;
      a[p++] = pid;
      a[p++] = tid;
    }
    a[p++] = srcIp;
    if (!narrow) {
      a[p++] = port;
    }
    a[p++] = user;
    a[p++] = method;
    a[p++] = path;
    a[p++] = status;
    a[p++] = bytes;
    a[p++] = msg;
    a[p++] = extra;
    a[p++] = ua;
    a[p++] = rq;
    this.#afterRow(c, p, ts);
  }

  /** Shape switches in the current batch: rows go to SQLite in id order, so a switch ends a statement early. */
  #switches = 0;

  /**
   * Whether the next row may take the narrow shape: the wide rows gathered so far are inserted first
   * (rowids stay in insert order: appends only, full pages). A batch that switches shape more than once
   * per statement's worth of rows stays wide until it commits (short statements would cost more than the
   * NULLs they save).
   */
  #narrowOk(): boolean {
    if (this.#wide.pos === 0) {
      return true;
    }
    if (this.#switches * ROWS_PER_STATEMENT > this.#rowCount) {
      return false;
    }
    this.#switches += 1;
    this.#begin();
    this.#insertNew();
    this.#wide.insertTail();
    return true;
  }

  /** A wide row comes next: the narrow rows gathered so far are inserted first (id order). */
  #toWide(): void {
    if (this.#narrow.pos > 0) {
      this.#switches += 1;
      this.#begin();
      this.#insertNew();
      this.#narrow.insertTail();
    }
  }

  #afterRow(c: RowChunk, p: number, ts: number | null): void {
    if (p === c.values.length) {
      // Rows go to SQLite as soon as a statement's worth is ready, inside the batch's transaction:
      // nothing row-sized stays alive in JS (little garbage), and the batch still commits whole.
      this.#begin();
      this.#insertNew();
      c.insertFull();
      p = 0;
    }
    c.pos = p;
    this.#rowCount += 1;
    if (ts === null) {
      this.#c.untimed += 1;
    } else {
      if (this.#c.minTs === null || ts < this.#c.minTs) {
        this.#c.minTs = ts;
      }
      if (this.#c.maxTs === null || ts > this.#c.maxTs) {
        this.#c.maxTs = ts;
      }
    }
  }

  #insertRow(row: EventRow): void {
    const rq = row.rq ?? null;
    // arguments are evaluated in order: strings are interned as the parse worker's rows are learnt
    // (kind, host, program, user, method, agent), so both paths give the same ids
    this.#put(
      row.lineNo, row.byteOffset, row.ts, row.tzOff, row.flags, this.intern(row.kind), row.sev, this.intern(row.host), this.intern(row.program), row.pid, row.tid,
      this.internIp(row.srcIp), row.srcPort, this.intern(row.user), this.intern(row.method), row.path, row.status, row.bytes,
      rq === null ? row.message : (row.query ?? ''), row.extra, this.intern(row.ua ?? null), rq,
    );
  }

  /**
   * Appends the raw bytes of a further piece of the last line (lines longer than the reader keeps
   * whole arrive in pieces): no new event, the bytes still go into the raw blocks.
   */
  addContinuation(raw: Buffer, terminator: Buffer | null, byteOffset: number): void {
    this.#appendRaw(raw, terminator, byteOffset);
  }

  #appendRaw(raw: Buffer, terminator: Buffer | null, byteOffset: number): void {
    this.#endRegion();
    const length = raw.length + (terminator?.length ?? 0);
    this.#batchNextOffset = byteOffset + length;
    if (raw.length > 0) {
      this.#blockParts.push(raw);
    }
    if (terminator !== null) {
      this.#blockParts.push(terminator);
    }
    this.#blockSize += length;
    // Blocks end on line boundaries only: a line longer than the reader keeps whole arrives in
    // pieces (only the last one has a terminator), and a block sealed between two pieces would
    // leave the next block with the same first_line (the key) and a line split over two blocks.
    if (this.#blockSize >= RAW_BLOCK_BYTES && terminator !== null) {
      this.#sealBlock();
    }
  }

  /**
   * Seals the current raw block. `now`: compressed on this thread at once (the last block of a batch:
   * the commit waits for it, and a parse worker busy with a chunk of lines would make it wait up to that
   * chunk's time; at 256 KiB the block costs about 1 ms here).
   */
  #sealBlock(now = false): void {
    this.#endRegion();
    if (this.#blockSize === 0 && this.#blockLines === 0) {
      return;
    }
    const blocks = this.blocks;
    const rawSize = this.#blockSize;
    const raw = blocks.buffer(rawSize);
    let at = 0;
    for (const part of this.#blockParts) {
      raw.set(part, at);
      at += part.length;
    }
    let data: Promise<Buffer>;
    if (now) {
      data = Promise.resolve(compressRawBlockSync(raw));
      blocks.done(raw);
    } else {
      data = blocks.compress(raw);
    }
    // Awaited at the flush; a batch dropped before it (cancel, error) must not leave a rejection unobserved.
    data.catch(() => undefined);
    this.#blocks.push({
      firstLine: this.#blockFirstLine,
      lineCount: this.#blockLines,
      byteOffset: this.#blockOffset,
      // not raw.length: a compressor may have taken the buffer (transferred, detached here)
      rawSize,
      data,
    });
    this.#blockFirstLine += this.#blockLines;
    this.#blockOffset += this.#blockSize;
    this.#blockParts = [];
    this.#blockSize = 0;
    this.#blockLines = 0;
  }

  #inTransaction = false;

  #begin(): void {
    if (!this.#inTransaction) {
      this.walHelper?.beforeBegin();
      this.#db.exec('BEGIN IMMEDIATE');
      this.#inTransaction = true;
    }
  }

  #insertNew(): void {
    for (const s of this.#newStrings) {
      this.#insertString.run(s[0], s[1]);
    }
    for (const ip of this.#newIps) {
      this.#insertIp.run(ip[0], ip[1], ip[2], ip[3]);
    }
    this.#newStrings = [];
    this.#newIps = [];
  }

  /** Drops the uncommitted part of the current batch (cancel, error). The committed batches stay. */
  abort(): void {
    if (this.#inTransaction) {
      this.#inTransaction = false;
      try {
        this.#db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled the batch back itself (disk full, I/O error): nothing left to undo,
        // and the error that stopped the batch is the one the analyst must read.
      }
    }
    this.#wide.pos = 0;
    this.#narrow.pos = 0;
    this.#switches = 0;
    this.#rowCount = 0;
    this.#lineCount = 0;
    this.#blocks = [];
    this.#blockParts = [];
    this.#regionBase = null;
    this.#blockSize = 0;
    this.#blockLines = 0;
  }

  /** Commits everything added since the last flush as one batch (one transaction). */
  async flush(): Promise<BatchStats | null> {
    // A batch always carries the raw bytes of its own lines: blocks never straddle batches.
    this.#sealBlock(true);
    const rowsInBatch = this.#rowCount;
    if (rowsInBatch === 0 && this.#blocks.length === 0) {
      return null;
    }
    const blocks = this.#blocks;
    const compressed = await Promise.all(blocks.map((b) => b.data));
    const c = this.#c;
    const stats: BatchStats = { rows: rowsInBatch, firstLine: this.#batchFirstLine, lastLine: this.#batchLastLine, nextOffset: this.#batchNextOffset };
    const evidenceId = this.#evidenceId;
    this.#batchNo += 1;
    const batchNo = this.#batchNo;
    const db = this.#db;
    this.#begin();
    try {
      this.#insertNew();
      this.#wide.insertTail();
      this.#narrow.insertTail();
      blocks.forEach((b, i) => {
        this.#insertBlock.run(evidenceId, b.firstLine, b.lineCount, b.byteOffset, b.rawSize, compressed[i]);
      });
      this.#insertBatch.run(evidenceId, batchNo, stats.firstLine, stats.lastLine, rowsInBatch, stats.nextOffset);
      this.#bumpEvidence.run(
        this.#lineCount, c.events, c.rawOnly, c.invalid, c.oversized, c.untimed,
        c.minTs, c.minTs, c.minTs, c.maxTs, c.maxTs, c.maxTs,
        c.firstId, c.firstId === null ? null : this.#nextEventId - 1, evidenceId,
      );
      db.exec('COMMIT');
      this.#inTransaction = false;
      this.walHelper?.afterCommit();
    } catch (error) {
      this.abort();
      throw error;
    }
    this.#rowCount = 0;
    this.#switches = 0;
    this.#lineCount = 0;
    this.#blocks = [];
    this.#c = { events: 0, rawOnly: 0, invalid: 0, oversized: 0, untimed: 0, minTs: null, maxTs: null, firstId: null };
    this.#batchFirstLine = stats.lastLine + 1;
    return stats;
  }
}
