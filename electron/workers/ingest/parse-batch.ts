/**
 * The hand-over between the parse worker and the writer thread, kept cheap: per batch of lines, the
 * writer sends the lines' bytes in one transferred buffer; the worker answers with one transferred
 * Float64Array of numeric columns (NaN = NULL), the three free-text columns of all rows joined into one
 * string (each row gives where its texts start and how long they are; the writer takes slices, which V8
 * makes without copying: one string to clone instead of three per row), and the strings and addresses it
 * has not sent before. Interned columns travel as the worker's own
 * small ids; the writer maps each to the case's id once (an array index per row, no string hashing).
 */
import type { MemberClockState } from './member-clock';
import type { EventRow } from './event-writer';
import { OVERSIZED_PREVIEW_BYTES } from './line-rows';
import { requestMessageOf, RQ_QUERY } from '../../db/request-message';

/**
 * Numeric columns of one encoded row, in this order. `Line` is the index of the line in its batch
 * (continuation pieces not counted); `Valid` is 1 for a line that is valid UTF-8.
 */
export const Col = {
  Line: 0,
  Ts: 1,
  TzOff: 2,
  Flags: 3,
  Kind: 4,
  Sev: 5,
  Host: 6,
  Program: 7,
  Pid: 8,
  Tid: 9,
  Ip: 10,
  Port: 11,
  User: 12,
  Method: 13,
  Status: 14,
  Bytes: 15,
  Ua: 16,
  Valid: 17,
  /** Start of the path in the message's `text` (NaN = NULL); PathLen its length. */
  PathAt: 18,
  PathLen: 19,
  /** Start of the message in `text`; MsgLen its length. */
  MsgAt: 20,
  MsgLen: 21,
  /** Start of `extra` in `text` (NaN = NULL); ExtraLen its length. */
  ExtraAt: 22,
  ExtraLen: 23,
  /** An HTTP request's code when its message is rebuilt from the row (db/request-message.ts); NaN = stored. */
  Rq: 24,
  Width: 25,
} as const;
export type Col = (typeof Col)[keyof typeof Col];

/** Which member a batch of lines belongs to, enough for the worker to rebuild its parser and clock. */
export type MemberSpec = Readonly<{
  formatId: string;
  logFormat?: string;
  /** Member path (some formats take information from the file name). */
  path: string;
  zone: string;
  clockOffsetMs: number;
  mtimeMs: number;
  analystYear: number | null;
}>;

export type LinesMessage = Readonly<{
  t: 'lines';
  seq: number;
  /**
   * The lines' bytes (an oversized line: its first OVERSIZED_PREVIEW_BYTES bytes). Consecutive lines of
   * the same chunk are copied as one run, terminators included; `starts` and `ends` delimit each line.
   */
  buf: Uint8Array;
  /** Start of each line in `buf`. */
  starts: Int32Array;
  /** End of each line in `buf` (its terminator excluded). */
  ends: Int32Array;
  /** Whole length of each line; -1 for a line that is not oversized. */
  oversized: Float64Array;
}>;

export type ToParseWorker =
  | Readonly<{ t: 'member'; spec: MemberSpec }>
  | LinesMessage
  | Readonly<{ t: 'end'; seq: number }>
  /** A raw block to compress (RAW_BLOCK_CODEC, db/queries/raw-lines.ts). */
  | Readonly<{ t: 'compress'; seq: number; raw: Uint8Array }>
  /**
   * The buffer of a rows message the writer has consumed, handed back for the next batch: a fresh
   * buffer of a megabyte or more per batch cost page faults and zeroing on one thread and an unmap on
   * the other (docs/PERFORMANCE.md, session 7).
   */
  | Readonly<{ t: 'recycle'; num: ArrayBuffer }>;

export type RowsMessage = Readonly<{
  t: 'rows';
  seq: number;
  rows: number;
  num: Float64Array;
  /** The free-text columns of all rows, back to back (see Col.PathAt .. Col.ExtraLen). */
  text: string;
  newStrings: string[];
  newIps: string[];
  /**
   * The buffer of the batch's lines (LinesMessage.buf), handed back so the writer packs a later batch
   * into it: a fresh megabyte per batch was garbage on the worker's heap until its next collection.
   */
  spare?: ArrayBuffer;
}>;

export type FromParseWorker =
  | Readonly<{ t: 'ready' }>
  | RowsMessage
  | Readonly<{ t: 'clock'; seq: number; state: MemberClockState; minutes: Float64Array }>
  /** `spare`: the raw block's buffer, handed back for a later block (see RowsMessage.spare). */
  | Readonly<{ t: 'compressed'; seq: number; data: Uint8Array; spare?: ArrayBuffer }>
  | Readonly<{ t: 'error'; seq: number; message: string }>;

/** Accessors of the lines the writer thread packs for the worker (a LineBatch fits). */
export type LineSource = Readonly<{
  count: number;
  continuation: (i: number) => boolean;
  oversized: (i: number) => boolean;
  length: (i: number) => number;
  bytes: (i: number) => Uint8Array;
  /** The chunk the lines lie in, and where line i starts in it when it and its terminator do (else -1). */
  base?: Uint8Array;
  baseStart?: (i: number) => number;
}>;

/** Bytes that may separate two consecutive lines of a chunk copied as one run: their terminator. */
const MAX_GAP = 2;

/**
 * Packs a batch's lines (not their continuation pieces) into one message; its buffers can be transferred.
 * Lines that follow each other in the source's chunk are copied as one run (one copy instead of one per
 * line); any other line (spanning chunks, oversized) is copied on its own.
 */
export function packLines(seq: number, batch: LineSource, alloc: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes)): LinesMessage {
  let n = 0;
  for (let i = 0; i < batch.count; i += 1) {
    if (!batch.continuation(i)) {
      n += 1;
    }
  }
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const oversized = new Float64Array(n);
  /** 1: line k is copied on its own. */
  const single = new Uint8Array(n);
  /** Runs of the chunk: [source start, source end, destination start] each. */
  const runs: number[] = [];
  const base = batch.base;
  const inBase = base !== undefined && batch.baseStart !== undefined;
  let runEnd = -1;
  let total = 0;
  let k = 0;
  for (let i = 0; i < batch.count; i += 1) {
    if (batch.continuation(i)) {
      continue;
    }
    const len = batch.length(i);
    const over = batch.oversized(i);
    const from = over || !inBase ? -1 : (batch.baseStart?.(i) ?? -1);
    if (from >= 0) {
      if (runEnd >= 0 && from >= runEnd && from - runEnd <= MAX_GAP) {
        total += from - runEnd;
        runs[runs.length - 2] = from + len;
      } else {
        runs.push(from, from + len, total);
      }
      runEnd = from + len;
      starts[k] = total;
      total += len;
    } else {
      runEnd = -1;
      single[k] = 1;
      starts[k] = total;
      total += over ? Math.min(len, OVERSIZED_PREVIEW_BYTES) : len;
    }
    ends[k] = total;
    oversized[k] = over ? len : -1;
    k += 1;
  }
  const buf = alloc(total);
  if (base !== undefined) {
    for (let r = 0; r < runs.length; r += 3) {
      buf.set(base.subarray(runs[r] as number, runs[r + 1] as number), runs[r + 2] as number);
    }
  }
  k = 0;
  for (let i = 0; i < batch.count; i += 1) {
    if (batch.continuation(i)) {
      continue;
    }
    if (single[k] === 1) {
      const bytes = batch.bytes(i);
      buf.set(bytes.length > (ends[k] as number) - (starts[k] as number) ? bytes.subarray(0, (ends[k] as number) - (starts[k] as number)) : bytes, starts[k] as number);
    }
    k += 1;
  }
  return { t: 'lines', seq, buf, starts, ends, oversized };
}

const nn = (v: number | null): number => (v === null ? NaN : v);

/** Characters of a text piece before it is made flat (see RowEncoder.#pieces). */
const PIECE_CHARS = 16 * 1024;

/**
 * The same string, flat: V8 copies a concatenation into one sequential string when it is read as a
 * whole (converting it to a number does), and the pieces it linked can then be collected.
 */
export function flatten(s: string): string {
  Number(s);
  return s;
}

/**
 * The 32-bit value of an IPv4 address written canonically (four decimal parts 0-255, no leading
 * zeros, nothing else), or -1. Canonical texts and values map one to one.
 */
export function canonicalIpv4(text: string): number {
  const n = text.length;
  if (n < 7 || n > 15) {
    return -1;
  }
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= n; i += 1) {
    const c = i === n ? 46 : text.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || part > 255) {
        return -1;
      }
      value = value * 256 + part;
      parts += 1;
      part = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits > 0 && part === 0) {
        return -1; // leading zero: another text for the same value
      }
      part = part * 10 + (c - 48);
      digits += 1;
      if (digits > 3) {
        return -1;
      }
    } else {
      return -1;
    }
  }
  return parts === 4 ? value : -1;
}

/**
 * A map from 32-bit unsigned keys to small non-negative ids: open addressing, linear probing, key and
 * id side by side in one typed array (one cache line per lookup; a Map<number, number> with tens of
 * thousands of addresses cost about twice as much per line in the parse worker).
 */
export class Uint32Table {
  /** [key, id + 1] pairs; id + 1 = 0 marks an empty slot. */
  #slots: Uint32Array;
  #mask: number;
  /** 32 - log2(slots): the slot is the top bits of the key times 2^32/phi (Fibonacci hashing). */
  #shift: number;
  #size = 0;

  constructor(capacity = 1024) {
    let n = 16;
    let shift = 28;
    while (n < capacity * 2) {
      n *= 2;
      shift -= 1;
    }
    this.#slots = new Uint32Array(n * 2);
    this.#mask = n - 1;
    this.#shift = shift;
  }

  get size(): number {
    return this.#size;
  }

  /** The id of `key` (0 <= key < 2^32), or -1. */
  get(key: number): number {
    const slots = this.#slots;
    let i = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    for (;;) {
      const v = slots[2 * i + 1] as number;
      if (v === 0) {
        return -1;
      }
      if (slots[2 * i] === key) {
        return v - 1;
      }
      i = (i + 1) & this.#mask;
    }
  }

  /** Sets the id of a key that is not in the table yet. */
  set(key: number, id: number): void {
    if ((this.#size + 1) * 2 > this.#mask + 1) {
      this.#grow();
    }
    this.#put(key, id + 1);
    this.#size += 1;
  }

  #put(key: number, v: number): void {
    const slots = this.#slots;
    let i = Math.imul(key, 0x9e3779b1) >>> this.#shift;
    while (slots[2 * i + 1] !== 0) {
      i = (i + 1) & this.#mask;
    }
    slots[2 * i] = key;
    slots[2 * i + 1] = v;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Uint32Array(old.length * 2);
    this.#mask = this.#mask * 2 + 1;
    this.#shift -= 1;
    for (let i = 0; i < old.length; i += 2) {
      const v = old[i + 1] as number;
      if (v !== 0) {
        this.#put(old[i] as number, v);
      }
    }
  }
}

/**
 * The worker's side: encodes rows into columns, interning the short repeated strings and the
 * addresses into its own ids (0, 1, 2, … in the order first seen, across the worker's lifetime).
 */
export class RowEncoder {
  readonly #strings = new Map<string, number>();
  readonly #ips = new Map<string, number>();
  readonly #ips4 = new Uint32Table();
  #ipCount = 0;
  #newStrings: string[] = [];
  #newIps: string[] = [];
  #num: Float64Array;
  /**
   * The free-text pieces of the rows so far, concatenated (V8 links the pieces and copies them once,
   * when the message is cloned; Array.join cost more); #textLength is its length.
   */
  #text = '';
  #textLength = 0;
  /**
   * Flat pieces of the text so far (#text is the piece being built). A piece is made flat once it holds
   * PIECE_CHARS characters: until then the concatenation links the rows' strings, and each path keeps the
   * whole line it was sliced from alive; a batch's worth of those survived every scavenge of the worker's
   * young generation (docs/PERFORMANCE.md, session 8).
   */
  #pieces: string[] = [];
  #rows = 0;
  /** Last address seen and its id: consecutive lines often come from the same client. */
  #lastIp = '';
  #lastIpId = -1;

  /** Buffers handed back by the writer (`recycle`), for the next batches. */
  readonly #spare: Float64Array[] = [];

  constructor(capacity = 1024) {
    this.#num = new Float64Array(Math.max(1, capacity) * Col.Width);
  }

  /** Takes back the buffer of a message the other side has consumed (at most a few are kept). */
  recycle(buffer: ArrayBuffer): void {
    if (this.#spare.length < 4 && buffer.byteLength >= this.#num.byteLength) {
      this.#spare.push(new Float64Array(buffer));
    }
  }

  #intern(value: string | null): number {
    if (value === null) {
      return NaN;
    }
    let id = this.#strings.get(value);
    if (id === undefined) {
      id = this.#strings.size;
      this.#strings.set(value, id);
      this.#newStrings.push(value);
    }
    return id;
  }

  #internIp(text: string | null): number {
    if (text === null || text === '') {
      return NaN;
    }
    if (text === this.#lastIp) {
      return this.#lastIpId;
    }
    // A canonical dotted quad is looked up by its 32-bit value (a string Map lookup per line was the
    // worker's largest cost: cache misses on the key strings); any other text by the text itself.
    const v4 = canonicalIpv4(text);
    let id: number;
    if (v4 < 0) {
      const known = this.#ips.get(text);
      if (known === undefined) {
        id = this.#ipCount++;
        this.#ips.set(text, id);
        this.#newIps.push(text);
      } else {
        id = known;
      }
    } else {
      id = this.#ips4.get(v4);
      if (id < 0) {
        id = this.#ipCount++;
        this.#ips4.set(v4, id);
        this.#newIps.push(text);
      }
    }
    this.#lastIp = text;
    this.#lastIpId = id;
    return id;
  }

  add(line: number, row: EventRow, valid: boolean): void {
    if ((this.#rows + 1) * Col.Width > this.#num.length) {
      const grown = new Float64Array(this.#num.length * 2);
      grown.set(this.#num);
      this.#num = grown;
    }
    const a = this.#num;
    const o = this.#rows * Col.Width;
    a[o + Col.Line] = line;
    a[o + Col.Ts] = nn(row.ts);
    a[o + Col.TzOff] = nn(row.tzOff);
    a[o + Col.Flags] = row.flags;
    a[o + Col.Kind] = this.#intern(row.kind);
    a[o + Col.Sev] = nn(row.sev);
    a[o + Col.Host] = this.#intern(row.host);
    a[o + Col.Program] = this.#intern(row.program);
    a[o + Col.Pid] = nn(row.pid);
    a[o + Col.Tid] = nn(row.tid);
    a[o + Col.Ip] = this.#internIp(row.srcIp);
    a[o + Col.Port] = nn(row.srcPort);
    a[o + Col.User] = this.#intern(row.user);
    a[o + Col.Method] = this.#intern(row.method);
    a[o + Col.Status] = nn(row.status);
    a[o + Col.Bytes] = nn(row.bytes);
    a[o + Col.Ua] = this.#intern(row.ua ?? null);
    a[o + Col.Valid] = valid ? 1 : 0;
    const path = row.path;
    const rq = row.rq ?? null;
    if (rq !== null && path !== null) {
      // A request whose row rebuilds its message: only the path and the query (if any) travel.
      a[o + Col.Rq] = rq;
      const query = row.query ?? '';
      a[o + Col.MsgAt] = this.#append(query);
      a[o + Col.MsgLen] = query.length;
      a[o + Col.PathAt] = this.#append(path);
      a[o + Col.PathLen] = path.length;
    } else {
      a[o + Col.Rq] = NaN;
      this.#messageAndPath(a, o, row.message, path);
    }
    const extra = row.extra;
    a[o + Col.ExtraAt] = extra === null ? NaN : this.#append(extra);
    a[o + Col.ExtraLen] = extra === null ? NaN : extra.length;
    this.#rows += 1;
  }

  #messageAndPath(a: Float64Array, o: number, message: string, path: string | null): void {
    // The message first; a path found inside it is sent as a slice of it.
    const msgAt = this.#append(message);
    a[o + Col.MsgAt] = msgAt;
    a[o + Col.MsgLen] = message.length;
    if (path === null) {
      a[o + Col.PathAt] = NaN;
      a[o + Col.PathLen] = NaN;
    } else {
      const k = path.length === 0 ? 0 : message.indexOf(path);
      a[o + Col.PathAt] = k >= 0 ? msgAt + k : this.#append(path);
      a[o + Col.PathLen] = path.length;
    }
  }

  /** Appends a text to the batch's string; returns where it starts. */
  #append(s: string): number {
    const at = this.#textLength;
    this.#text += s;
    this.#textLength += s.length;
    if (this.#text.length >= PIECE_CHARS) {
      this.#pieces.push(flatten(this.#text));
      this.#text = '';
    }
    return at;
  }

  /** The rows encoded since the last call, as a message (transfer `num.buffer`). */
  take(seq: number): RowsMessage {
    // The rows go in the buffer they were written to (no copy); the next batch takes a spare one.
    const num = this.#num.subarray(0, this.#rows * Col.Width);
    this.#num = this.#spare.pop() ?? new Float64Array(this.#num.length);
    this.#pieces.push(this.#text);
    const text = this.#pieces.length === 1 ? (this.#pieces[0] as string) : this.#pieces.join('');
    const m: RowsMessage = { t: 'rows', seq, rows: this.#rows, num, text, newStrings: this.#newStrings, newIps: this.#newIps };
    this.#rows = 0;
    this.#text = '';
    this.#pieces = [];
    this.#textLength = 0;
    this.#newStrings = [];
    this.#newIps = [];
    return m;
  }
}

/** The writer's side of the worker's ids: worker id → the case's id (null stays null). */
export class IdMap {
  readonly strings: Array<number | null> = [];
  readonly ips: Array<number | null> = [];

  /** Registers a message's new strings and addresses with the case's interning functions. */
  learn(m: RowsMessage, intern: (s: string) => number | null, internIp: (s: string) => number | null): void {
    for (const s of m.newStrings) {
      this.strings.push(intern(s));
    }
    for (const s of m.newIps) {
      this.ips.push(internIp(s));
    }
  }
}

/**
 * One free-text column of the row at `o` (= row * Col.Width): `at` is its Col.*At column, the length
 * follows it. A slice of the message's text (V8 shares the characters), or null.
 */
export function textColumn(m: RowsMessage, o: number, at: typeof Col.PathAt | typeof Col.MsgAt | typeof Col.ExtraAt): string | null {
  const start = m.num[o + at] as number;
  return start === start ? m.text.slice(start, start + (m.num[o + at + 1] as number)) : null;
}

/** Decodes row `r` of a message back into an EventRow (tests; the writer reads the columns directly). */
export function decodeRow(m: RowsMessage, r: number, dict: Readonly<{ strings: readonly string[]; ips: readonly string[] }>, lineNo: number, byteOffset: number): { row: EventRow; valid: boolean; line: number } {
  const a = m.num;
  const o = r * Col.Width;
  const num = (c: Col): number | null => {
    const v = a[o + c] ?? NaN;
    return Number.isNaN(v) ? null : v;
  };
  const s = (c: Col): string | null => {
    const v = num(c);
    return v === null ? null : (dict.strings[v] ?? null);
  };
  const ip = num(Col.Ip);
  const rq = num(Col.Rq);
  const path = textColumn(m, o, Col.PathAt);
  const msg = textColumn(m, o, Col.MsgAt) ?? '';
  const status = num(Col.Status);
  const message = rq === null || path === null || status === null ? msg : (requestMessageOf(rq, msg, path, status) ?? msg);
  return {
    line: num(Col.Line) ?? 0,
    valid: num(Col.Valid) === 1,
    row: {
      lineNo, byteOffset, ts: num(Col.Ts), tzOff: num(Col.TzOff), flags: num(Col.Flags) ?? 0, kind: s(Col.Kind) ?? '', sev: num(Col.Sev),
      host: s(Col.Host), program: s(Col.Program), pid: num(Col.Pid), tid: num(Col.Tid), srcIp: ip === null ? null : (dict.ips[ip] ?? null),
      srcPort: num(Col.Port), user: s(Col.User), method: s(Col.Method), path, status, bytes: num(Col.Bytes),
      message, extra: textColumn(m, o, Col.ExtraAt), ua: s(Col.Ua),
      // present only for a rebuilt message, as the rows the parsers' tests write by hand
      ...(rq === null ? {} : { rq, query: (rq & RQ_QUERY) !== 0 ? msg : null }),
    },
  };
}

/**
 * Per-minute event counts of one member, counted as its rows are made (the hist_minute rollup
 * without reading the events back): minute = ts / 60000 truncated (SQLite's integer division),
 * severity NULL counted as 8.
 */
export class MinuteCounts {
  readonly #n = new Map<number, number>();

  add(ts: number | null, sev: number | null): void {
    if (ts === null) {
      return;
    }
    const key = Math.trunc(ts / 60_000) * 16 + (sev ?? 8);
    this.#n.set(key, (this.#n.get(key) ?? 0) + 1);
  }

  /** [minute, sev, n] triples, flat. */
  take(): Float64Array {
    const out = new Float64Array(this.#n.size * 3);
    let i = 0;
    for (const [key, n] of this.#n) {
      const minute = Math.floor(key / 16);
      out[i++] = minute;
      out[i++] = key - minute * 16;
      out[i++] = n;
    }
    this.#n.clear();
    return out;
  }
}
