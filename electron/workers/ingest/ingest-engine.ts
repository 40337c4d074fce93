/**
 * The ingest engine: walks a case folder, reads every member of every file once (hashing while
 * reading), detects the format, parses every line, resolves its time with provenance, and writes
 * events in whole batches. Runs in the ingest worker (or in process for the CLI and tests).
 */
import { availableParallelism } from 'node:os';
import { EventFlag } from '../../../shared/domain/event-flags';
import { createSshdCorrelator } from '../../core/parsers/syslog/sshd-correlator';
import { detectFormat, parserForFile, resolveFormat, type FormatDescriptor, type FormatId, type FormatOptions } from '../../core/parsers/registry';
import { zonedWallToUtc } from '../../core/time/zoned';
import type { WritableDb } from '../../db/connection/sql';
import { registerTimeFunctions } from '../../db/time-functions';
import { deleteEvidenceData } from '../../db/queries/evidence';
import { insertSnapshot } from '../../db/queries/hoststate';
import type { DocumentParser } from '../../core/parsers/hoststate/document';
import { alignYearsToCaseSources } from './year-alignment';
import { lineRowBuilder } from './line-rows';
import { DAY_MS, MemberClock } from './member-clock';
import { Col, type RowsMessage } from './parse-batch';
import { defaultParseWorkerFile, ParseWorkerClient } from './parse-client';
import { defaultCheckpointWorkerFile, WalCheckpointing } from './checkpointer';
import type { LineBatch } from './source/lines';
import { EventWriter, LOCAL_BLOCKS } from './event-writer';
import { ChunkRecycler } from './chunk-recycler';
import { decodeLine } from './source/lines';
import { readEvidence, type MemberContext } from './source/read-evidence';
import type { EvidenceMemberInfo, MemberResult, PhysicalFileResult } from './source/open';
import { listCaseFolder, type WalkEntry } from './source/walk';

export type FileSettings = Readonly<{ format?: FormatId; logFormat?: string; timeZone?: string; clockOffsetMs?: number; year?: number }>;

export type IngestOptions = Readonly<{
  root: string;
  /** Default zone for wall-clock times (the case's zone unless the analyst chose another). */
  timeZone: string;
  /** Per-file settings keyed by evidence path (relative, as listed by the scan). */
  files?: Readonly<Record<string, FileSettings>>;
  batchRows?: number;
  /** Decompression bounds (gzip bombs); defaults: 200x the compressed size, at least 1 GiB. */
  limits?: Readonly<{ ratio?: number; floorBytes?: number }>;
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Called after each committed batch (tests use it to crash mid-ingest). */
  onBatch?: (evidenceId: number, rows: number) => void;
  now?: () => Date;
  /**
   * The bundled parse worker (ingest-parse.worker.js): by default the one next to this bundle when
   * there is one and the machine has two cores or more; `false` parses every line on this thread.
   */
  parseWorker?: URL | string | false;
  /** Members at least this large (bytes) go through the parse worker; smaller ones are parsed here. */
  parseWorkerMinBytes?: number;
  /**
   * The bundled checkpoint worker (checkpoint.worker.js), started with the parse worker: by default
   * the one next to this bundle; `false` leaves checkpoints to SQLite on this thread (checkpointer.ts).
   */
  checkpointWorker?: URL | string | false;
  /** The job's checkpoint worker (runIngestJob keeps one for all its phases); the ingest then starts none. */
  checkpointing?: WalCheckpointing | null;
  /** WAL frames before the writer lets the WAL restart (default RESTART_FRAMES; tests use a few). */
  checkpointRestartFrames?: number;
  /** Read chunk size in bytes (default DEFAULT_READ_CHUNK_SIZE, 1 MiB; tests use small ones). */
  readChunkSize?: number;
  /** Called when a member's lines are all stored, with the number of its read chunks reused (tests). */
  onChunksRecycled?: (path: string, chunks: number) => void;
}>;

export type IngestProgress = Readonly<{
  phase: 'scanning' | 'reading' | 'finishing' | 'indexing' | 'done';
  filesTotal: number;
  filesDone: number;
  bytesTotal: number;
  bytesDone: number;
  lines: number;
  linesPerSecond: number;
  etaSeconds: number | null;
  currentFile: string | null;
  elapsedMs: number;
}>;

export type EvidenceSummary = Readonly<{
  id: number | null;
  path: string;
  outcome: string;
  status: string;
  format: string;
  sha256: string | null;
  md5: string | null;
  lines: number;
  events: number;
  rawOnly: number;
  first: string | null;
  last: string | null;
  detail: string;
}>;

export type IngestSummary = Readonly<{
  ingestId: number;
  status: 'complete' | 'cancelled' | 'failed';
  root: string;
  elapsedMs: number;
  lines: number;
  bytes: number;
  evidence: EvidenceSummary[];
  unchanged: number;
  uac: boolean;
}>;

const LF = Buffer.from('\n');
const CRLF = Buffer.from('\r\n');
const DEFAULT_BATCH_ROWS = 50_000;
const SAMPLE_LINES = 200;
/** Batches of lines sent to the parse worker ahead of the one being written (about 1 MiB each). */
const PARSE_AHEAD = 3;
const DEFAULT_PARSE_WORKER_MIN_BYTES = 1024 * 1024;
/**
 * SQLite page cache (KiB) while the parse worker runs, at most: 8 and 16 MiB load equally fast (a batch of
 * 50,000 rows is about 1,600 pages), 32 MiB is slower (docs/PERFORMANCE.md, session 4).
 */
const LOAD_CACHE_KIB = 8 * 1024;
/**
 * With the checkpoint worker, the WAL is let grow to this many frames (64 MiB of 16 KiB pages, the
 * same as the automatic checkpoints of configureIngestConnection) before the writer waits for it to
 * restart.
 */
export const RESTART_FRAMES = 4000;



/**
 * Moves every date-inferred event of an evidence by whole days (a time-of-day file whose last line
 * would otherwise be after the file's mtime), reading the wall clock again in its zone.
 */
function shiftInferredDates(db: WritableDb, evidenceId: number, days: number, zone: string, clockOffsetMs: number): void {
  const rows = db.prepare(`SELECT id, ts, tz_off FROM events WHERE evidence_id = ? AND (flags & ${EventFlag.DateInferred}) != 0 AND ts IS NOT NULL`).all(evidenceId) as Array<{ id: number; ts: number; tz_off: number | null }>;
  const update = db.prepare('UPDATE event_rows SET ts = ?, tz_off = ? WHERE id = ?');
  for (const r of rows) {
    const wall = new Date(r.ts - clockOffsetMs + (r.tz_off ?? 0) * 60_000 + days * DAY_MS);
    const z = zonedWallToUtc(
      { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate(), hour: wall.getUTCHours(), minute: wall.getUTCMinutes(), second: wall.getUTCSeconds(), millis: wall.getUTCMilliseconds() },
      zone,
    );
    update.run(Math.floor(z.epochMs + clockOffsetMs), z.offsetMinutes, r.id);
  }
  db.prepare('UPDATE evidence SET first_ts = (SELECT min(ts) FROM events WHERE evidence_id = ?), last_ts = (SELECT max(ts) FROM events WHERE evidence_id = ?) WHERE id = ?').run(evidenceId, evidenceId, evidenceId);
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

type Existing = { id: number; size: number; mtime_ms: number | null; content_sha256: string | null; version: number; status: string };

/**
 * Runs one ingest of `root` into the open case database. Never modifies the folder. Resolves with
 * a summary; cancellation (signal) stops at the next chunk and leaves whole batches only.
 */
export async function runIngest(db: WritableDb, options: IngestOptions): Promise<IngestSummary> {
  const started = Date.now();
  const now = options.now ?? (() => new Date());
  const batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
  registerTimeFunctions(db);
  const ingestId = Number(
    db
      .prepare("INSERT INTO ingests (root_path, started_utc, status, options) VALUES (?, ?, 'running', ?)")
      .run(options.root, now().toISOString(), JSON.stringify({ timeZone: options.timeZone, files: options.files ?? {} })).lastInsertRowid,
  );
  const writer = new EventWriter(db);
  // One core only: a second thread would just take turns with this one (and cost memory).
  const parseWorkerFile = options.parseWorker === false ? null : (options.parseWorker ?? (availableParallelism() >= 2 ? defaultParseWorkerFile() : null));
  const parseWorkerMinBytes = options.parseWorkerMinBytes ?? DEFAULT_PARSE_WORKER_MIN_BYTES;
  let parseClient: Promise<ParseWorkerClient | null> | null = null;
  /** The parse worker, started on first use; null when there is none (or it cannot start). */
  const parseWorker = async (): Promise<ParseWorkerClient | null> => {
    if (parseWorkerFile === null) {
      return null;
    }
    if (parseClient === null) {
      parseClient = ParseWorkerClient.start(parseWorkerFile);
      if ((await parseClient) !== null) {
        await startCheckpointer();
        // The worker's heap costs memory: the load phase gets by with a smaller page cache (appends
        // touch few pages); the connection's own size is back before the indexes are built.
        const cache = Number(db.pragma('cache_size', { simple: true }));
        const pageSize = Number(db.pragma('page_size', { simple: true }));
        if ((cache < 0 ? -cache : (cache * pageSize) / 1024) > LOAD_CACHE_KIB) {
          cacheBefore = cache;
          db.pragma(`cache_size = -${LOAD_CACHE_KIB}`);
        }
      }
    }
    const c = await parseClient;
    return c === null || c.failed ? null : c;
  };
  let cacheBefore: number | null = null;
  // Checkpoints on another thread while the parse worker feeds this one: the job's (kept across its
  // phases), or this ingest's own, started with the parse worker and stopped with it.
  const checkpointFile = options.checkpointWorker === false ? null : (options.checkpointWorker ?? defaultCheckpointWorkerFile());
  const jobCheckpointing = options.checkpointing ?? null;
  let ownCheckpointing: WalCheckpointing | null = null;
  const useCheckpointing = (c: WalCheckpointing | null): void => {
    writer.walHelper = c?.helper ?? null;
    if (c !== null) {
      c.onRestore = () => {
        writer.walHelper = null;
      };
    }
  };
  useCheckpointing(jobCheckpointing);
  const startCheckpointer = async (): Promise<void> => {
    if (jobCheckpointing === null && ownCheckpointing === null) {
      ownCheckpointing = await WalCheckpointing.start(db, checkpointFile, options.checkpointRestartFrames ?? RESTART_FRAMES);
      useCheckpointing(ownCheckpointing);
    }
  };
  const dropParseWorker = async (): Promise<void> => {
    const c = parseClient === null ? null : await parseClient;
    parseClient = Promise.resolve(null);
    const own = ownCheckpointing;
    ownCheckpointing = null;
    if (own !== null) {
      writer.walHelper = null;
      await own.stop();
    }
    if (cacheBefore !== null) {
      db.pragma(`cache_size = ${cacheBefore}`);
      cacheBefore = null;
    }
    await c?.close();
  };
  const findExisting = db.prepare(
    "SELECT id, size, mtime_ms, content_sha256, version, status FROM evidence WHERE rel_path = ? AND root_path = ? AND duplicate_of IS NULL ORDER BY version DESC LIMIT 1",
  );
  const insertEvidence = db.prepare(
    `INSERT INTO evidence (ingest_id, rel_path, root_path, container, size, mtime_ms, format, format_confidence, format_source, source_kind, parser,
       outcome, outcome_detail, status, time_zone, clock_offset_ms, uac_area, original_path, version, supersedes, added_utc)
     VALUES (@ingest, @rel, @root, @container, @size, @mtime, @format, @confidence, @formatSource, @sourceKind, @parser,
       @outcome, @detail, @status, @zone, @clock, @uacArea, @originalPath, @version, @supersedes, @added)`,
  );
  const summaries: EvidenceSummary[] = [];
  let unchanged = 0;
  let linesTotal = 0;

  // Totals for progress and ETA.
  const entries = await listCaseFolder(options.root, options.signal === undefined ? {} : { signal: options.signal });
  const filesTotal = entries.filter((e) => e.kind === 'file').length;
  const bytesTotal = entries.reduce((n, e) => n + (e.kind === 'file' ? e.size : 0), 0);
  let filesDone = 0;
  let bytesDone = 0;
  /** Bytes of the current physical file already read (estimated from line offsets inside it). */
  let bytesInFile = 0;
  let currentFile: string | null = null;
  let lastProgress = 0;
  const progress = (phase: IngestProgress['phase'], force = false): void => {
    const t = Date.now();
    if (!force && t - lastProgress < 250) {
      return;
    }
    lastProgress = t;
    const elapsedMs = t - started;
    const done = Math.min(bytesTotal, bytesDone + bytesInFile);
    const rate = elapsedMs > 0 ? done / elapsedMs : 0;
    options.onProgress?.({
      phase,
      filesTotal,
      filesDone,
      bytesTotal,
      bytesDone: done,
      lines: linesTotal,
      linesPerSecond: elapsedMs > 0 ? Math.round((linesTotal * 1000) / elapsedMs) : 0,
      etaSeconds: rate > 0 && bytesTotal > done ? Math.round((bytesTotal - done) / rate / 1000) : phase === 'done' ? 0 : null,
      currentFile,
      elapsedMs,
    });
  };
  progress('scanning', true);

  const redo = new Set<string>();
  const archives = new Set<string>();
  let pass: 1 | 2 = 1;
  type MemberEntry = {
    id: number; clock: MemberClock; unchanged: boolean; format: FormatDescriptor | null; detail: string; doc: DocumentParser | null;
    /** Per-minute counts from the parse worker ([minute, sev, n] flat), or null (counted from the events). */
    minutes: Float64Array | null;
  };
  const memberEvidence = new Map<string, MemberEntry>();

  function registerNonFile(entry: WalkEntry): void {
    const outcome = entry.kind === 'symlink_inside' ? 'symlink' : entry.kind;
    const existing = findExisting.get(entry.relPath, options.root) as Existing | undefined;
    if (existing !== undefined) {
      return;
    }
    const detail =
      entry.kind === 'symlink_outside'
        ? `symbolic link to ${entry.linkText ?? '?'} outside the case folder: not followed`
        : entry.kind === 'symlink_loop'
          ? `symbolic link loop (${entry.linkText ?? '?'}): not followed`
          : entry.kind === 'symlink_inside'
            ? `symbolic link to ${entry.targetRelPath ?? entry.linkText ?? '?'} (read there)`
            : entry.kind === 'special'
              ? `${entry.special ?? 'special'} file: never opened`
              : `unreadable: ${entry.error ?? 'permission denied'}`;
    const id = Number(
      insertEvidence.run({
        ingest: ingestId, rel: entry.relPath, root: options.root, container: 'none', size: entry.size, mtime: Math.round(entry.mtimeMs),
        format: 'none', confidence: 0, formatSource: 'none', sourceKind: 'text', parser: '', outcome, detail,
        status: entry.kind === 'unreadable' ? 'failed' : 'skipped', zone: options.timeZone, clock: 0, uacArea: null, originalPath: null,
        version: 1, supersedes: null, added: now().toISOString(),
      }).lastInsertRowid,
    );
    summaries.push({ id, path: entry.relPath, outcome, status: entry.kind === 'unreadable' ? 'failed' : 'skipped', format: 'none', sha256: null, md5: null, lines: 0, events: 0, rawOnly: 0, first: null, last: null, detail });
  }

  async function onMember(ctx: MemberContext): Promise<void> {
    const { member, file } = ctx;
    const rel = member.memberPath;
    currentFile = rel;
    progress('reading');
    const settings = options.files?.[rel] ?? {};
    const inArchive = member.memberPath !== member.physicalRelPath;
    if (inArchive) {
      archives.add(member.physicalRelPath);
    }
    const size = inArchive ? (member.tarEntry?.size ?? member.declaredSize ?? 0) : file.size;
    let existing = findExisting.get(rel, options.root) as Existing | undefined;
    let redoNote = '';
    if (existing !== undefined && (existing.status === 'partial' || existing.status === 'cancelled' || existing.status === 'running' || existing.status === 'pending')) {
      // An interrupted or cancelled earlier read of this file: redo it from the start, in place.
      const previous = existing;
      db.transaction(() => deleteEvidenceData(db, previous.id)).immediate();
      redoNote = ` Redo of an incomplete earlier ingest (evidence #${previous.id}).`;
      existing = findExisting.get(rel, options.root) as Existing | undefined;
    }
    if (pass === 2 && !redo.has(rel)) {
      return; // second pass: only the files whose content changed under the same size and time
    }
    const maybeUnchanged =
      pass === 1 &&
      existing !== undefined && existing.status === 'complete' && existing.size === size && existing.mtime_ms === Math.round(member.mtimeMs) && settings.format === undefined;

    // Format: the analyst's choice, else detection on a sample of the first lines.
    const sample: string[] = [];
    {
      const head = ctx.head;
      let start = 0;
      while (sample.length < SAMPLE_LINES && start < head.length) {
        let end = head.indexOf(10, start);
        if (end < 0) {
          if (head.length < 64 * 1024) {
            end = head.length;
          } else {
            break;
          }
        }
        sample.push(decodeLine(head.subarray(start, end > start && head[end - 1] === 13 ? end - 1 : end)).text);
        start = end + 1;
      }
    }
    let formatId: FormatId;
    let confidence: number;
    let formatSource: string;
    let detail = '';
    if (settings.format !== undefined) {
      formatId = settings.format;
      confidence = 1;
      formatSource = 'analyst';
    } else {
      const d = detectFormat(rel, sample);
      formatId = d.format;
      confidence = d.confidence;
      formatSource = 'detected';
      detail = d.reason.endsWith('.') ? d.reason : `${d.reason}.`;
    }
    const fo: FormatOptions = settings.logFormat === undefined ? {} : { logFormat: settings.logFormat };
    const resolved = resolveFormat(formatId, fo);
    const format = resolved.ok ? resolved.format : (resolveFormat('text').ok ? (resolveFormat('text') as { format: FormatDescriptor }).format : null);
    if (!resolved.ok) {
      detail = `format ${formatId} not usable (${resolved.error}); kept as text`;
      formatId = 'text';
    }
    const binary = ctx.sniff.binary;
    const empty = ctx.head.length === 0;
    const zone = settings.timeZone ?? options.timeZone;
    const clockOffsetMs = settings.clockOffsetMs ?? 0;
    const outcome = binary ? 'binary' : empty ? 'empty' : formatId === 'text' ? 'raw_text' : 'parsed';
    detail += redoNote;
    if (binary) {
      detail = `binary content (${ctx.sniff.reason ?? 'not text'}): hashed, not split into lines`;
    }
    const id = Number(
      insertEvidence.run({
        ingest: ingestId, rel, root: options.root, container: member.container, size, mtime: Math.round(member.mtimeMs),
        format: binary ? 'binary' : formatId, confidence, formatSource, sourceKind: format?.sourceKind ?? 'text',
        parser: format === null || binary ? '' : `${format.id}@${format.version}`, outcome, detail, status: 'running', zone,
        clock: clockOffsetMs, uacArea: ctx.uac.area === 'other' ? null : ctx.uac.area, originalPath: ctx.uac.originalPath ?? null,
        version: existing === undefined ? 1 : existing.version + 1, supersedes: existing?.id ?? null, added: now().toISOString(),
      }).lastInsertRowid,
    );
    const clock = new MemberClock(zone, clockOffsetMs, member.mtimeMs, settings.year ?? null);
    const entry: MemberEntry = { id, clock, unchanged: maybeUnchanged, format, detail, doc: null, minutes: null };
    memberEvidence.set(rel, entry);
    if (binary || maybeUnchanged || format === null) {
      return; // bytes are still read and hashed by the reader; no lines for binary content
    }
    // Host-state captures are documents: one stateful parser per file, opened with its head and mtime.
    const doc = format.document?.open({ headLines: sample, mtimeMs: member.mtimeMs }) ?? null;
    entry.doc = doc;
    const lineParser = parserForFile(format, rel);
    const parse = doc === null ? lineParser : (line: string) => doc.parseLine(line);
    const rawText = format.id === 'text';
    // sshd names the client once per connection: later lines of the same pid inherit it (marked in extra).
    const correlator = format.sourceKind === 'auth' || format.sourceKind === 'syslog' ? createSshdCorrelator() : null;
    const build = lineRowBuilder(parse, rawText, correlator, clock);
    writer.beginEvidence(id);
    /** Commits the batch once it is full. */
    const flushBatch = async (byteOffset: number): Promise<void> => {
      // Plain files: the line offset is the position in the file. Compressed: an estimate (about 1:5).
      bytesInFile = Math.min(file.size, inArchive || member.container !== 'plain' ? Math.round(byteOffset / 5) : byteOffset);
      await writer.flush();
      options.onBatch?.(id, batchRows);
      progress('reading');
    };
    // Large line files are parsed on the parse worker (the second core) while this thread writes.
    const worker = doc === null && Math.max(size, file.size) >= parseWorkerMinBytes ? await parseWorker() : null;
    try {
      if (worker !== null) {
        try {
          worker.beginMember({
            formatId: format.id, ...(settings.logFormat === undefined ? {} : { logFormat: settings.logFormat }), path: rel, zone, clockOffsetMs,
            mtimeMs: member.mtimeMs, analystYear: settings.year ?? null,
          });
          const ids = worker.ids;
          writer.blocks = worker.blocks;
          const give = ctx.recycle;
          const recycler = give === undefined ? null : new ChunkRecycler(give, (memory) => writer.holdsBytesOf(memory));
          const consume = async (batch: LineBatch, m: RowsMessage): Promise<void> => {
            ids.learn(m, (v) => writer.intern(v), (v) => writer.internIp(v));
            const num = m.num;
            const base = batch.base;
            let r = 0;
            let k = 0;
            for (let i = 0; i < batch.count; i += 1) {
              const term = batch.terminator(i);
              if (batch.continuation(i)) {
                writer.addContinuation(batch.bytes(i), term === '\n' ? LF : term === '\r\n' ? CRLF : null, batch.byteOffset(i));
                continue;
              }
              const lineNo = batch.lineNo(i);
              const byteOffset = batch.byteOffset(i);
              const from = batch.baseStart(i);
              if (from >= 0) {
                writer.addEncodedIn(m, r, ids, lineNo, byteOffset, base, from, from + batch.length(i) + term.length);
              } else {
                writer.addEncoded(m, r, ids, lineNo, byteOffset, batch.bytes(i), term === '\n' ? LF : term === '\r\n' ? CRLF : null, batch.oversized(i));
              }
              r += 1;
              while (r < m.rows && num[r * Col.Width + Col.Line] === k) {
                writer.addEncodedTime(m, r, ids, lineNo, byteOffset);
                r += 1;
              }
              k += 1;
              linesTotal += 1;
              if (writer.pendingRows >= batchRows) {
                await flushBatch(byteOffset);
              }
            }
            worker.recycle(m);
            recycler?.consumed(batch);
            // done with the batch: its storage goes back to the line splitter for a later chunk
            batch.release();
            options.signal?.throwIfAborted();
          };
          const inFlight: Array<{ batch: LineBatch; rows: Promise<RowsMessage> }> = [];
          for await (const batch of ctx.lines()) {
            inFlight.push({ batch, rows: worker.parse(batch) });
            if (inFlight.length >= PARSE_AHEAD) {
              const next = inFlight.shift() as (typeof inFlight)[number];
              await consume(next.batch, await next.rows);
            }
          }
          for (let next = inFlight.shift(); next !== undefined; next = inFlight.shift()) {
            await consume(next.batch, await next.rows);
          }
          const end = await worker.endMember();
          if (recycler !== null) {
            options.onChunksRecycled?.(rel, recycler.given);
          }
          entry.clock = MemberClock.restore(end.state);
          entry.minutes = end.minutes;
        } catch (error) {
          writer.blocks = LOCAL_BLOCKS;
          // The worker's ids and member state are out of step with this thread now: never reuse it.
          await dropParseWorker();
          throw error;
        }
      } else {
        for await (const batch of ctx.lines()) {
          for (let i = 0; i < batch.count; i += 1) {
            const term = batch.terminator(i);
            if (batch.continuation(i)) {
              writer.addContinuation(batch.bytes(i), term === '\n' ? LF : term === '\r\n' ? CRLF : null, batch.byteOffset(i));
              continue;
            }
            const bytes = batch.bytes(i);
            const lineNo = batch.lineNo(i);
            const byteOffset = batch.byteOffset(i);
            const oversized = batch.oversized(i);
            const out = build(bytes, bytes.length, oversized, lineNo, byteOffset);
            const row = out.row;
            writer.add(row, bytes, term === '\n' ? LF : term === '\r\n' ? CRLF : null, {
              rawOnly: (row.flags & EventFlag.RawOnly) !== 0,
              invalid: !out.valid,
              oversized,
            });
            if (out.more !== null) {
              for (const m of out.more) {
                writer.addTime(m);
              }
            }
            linesTotal += 1;
            if (writer.pendingRows >= batchRows) {
              await flushBatch(byteOffset);
            }
          }
          options.signal?.throwIfAborted();
        }
      }
    } catch (error) {
      // Cancel or failure: the uncommitted part of the batch goes; committed batches stay.
      writer.abort();
      throw error;
    }
    const last = await writer.flush();
    writer.blocks = LOCAL_BLOCKS;
    if (last !== null) {
      options.onBatch?.(id, last.rows);
    }
  }

  function onMemberDone(member: EvidenceMemberInfo, result: MemberResult): void {
    const m = memberEvidence.get(member.memberPath);
    if (m === undefined) {
      return;
    }
    memberEvidence.delete(member.memberPath);
    const existing = db.prepare('SELECT id, content_sha256 FROM evidence WHERE id = (SELECT supersedes FROM evidence WHERE id = ?)').get(m.id) as
      | { id: number; content_sha256: string | null }
      | undefined;
    if (m.unchanged) {
      if (existing !== undefined && existing.content_sha256 === result.sha256) {
        // Same path, same bytes: already in the case. Nothing is added twice.
        db.prepare('DELETE FROM evidence WHERE id = ?').run(m.id);
        unchanged += 1;
        return;
      }
      // Same size and time but other bytes: a new version, read in full in a second pass.
      db.prepare('DELETE FROM evidence WHERE id = ?').run(m.id);
      redo.add(member.memberPath);
      return;
    }
    const tx = db.transaction(() => {
      const correction = m.clock.yearCorrection();
      if (correction !== 0) {
        const clock = m.clock.clockOffsetMs;
        db.prepare(
          `UPDATE event_rows SET ts = dossier_retime(ts, tz_off, flags, ?, ?, ?, ?), tz_off = dossier_retime_off(ts, tz_off, flags, ?, ?, ?, ?)
           WHERE evidence_id = ? AND (flags & ${EventFlag.YearInferred}) != 0 AND ts IS NOT NULL`,
        ).run(clock, clock, m.clock.zone, correction, clock, clock, m.clock.zone, correction, m.id);
        db.prepare('UPDATE evidence SET first_ts = (SELECT min(ts) FROM events WHERE evidence_id = ?), last_ts = (SELECT max(ts) FROM events WHERE evidence_id = ?) WHERE id = ?').run(m.id, m.id, m.id);
      }
      const dayShift = m.clock.dayCorrection();
      if (dayShift !== 0) {
        shiftInferredDates(db, m.id, dayShift, m.clock.zone, m.clock.clockOffsetMs);
      }
      const y = m.clock.year;
      const dayState = m.clock.day;
      const yearReason =
        m.clock.analystYear !== null
          ? 'analyst'
          : y.seen
            ? (y.rollovers > 0 ? 'file_mtime+rollover' : 'file_mtime')
            : dayState !== null
              ? (dayState.rollovers > 0 ? 'file_mtime+rollover' : 'file_mtime')
              : null;
      const yearBase = m.clock.analystYear ?? (y.seen ? y.base + correction : dayState !== null ? new Date(dayState.current + dayShift * DAY_MS).getUTCFullYear() : null);
      const truncated = result.truncated;
      const status = result.complete ? 'complete' : 'partial';
      const changedNote = existing !== undefined ? ` New version: content differs from evidence #${existing.id}.` : '';
      // Inside an archive the evidence hash is the entry's own bytes (as on the collected system);
      // a physical file's hash (of its bytes on disk) is set when the file is done.
      const entryHash = member.memberPath !== member.physicalRelPath ? (result.archiveEntry ?? result) : null;
      db.prepare(
        `UPDATE evidence SET content_size = ?, content_sha256 = ?, content_md5 = ?, sha256 = ?, md5 = ?,
           status = ?, year_base = ?, year_reason = ?,
           outcome_detail = trim(outcome_detail || ?) WHERE id = ?`,
      ).run(
        result.bytes, result.sha256, result.md5, entryHash?.sha256 ?? null, entryHash?.md5 ?? null,
        status, yearBase, yearReason,
        (truncated !== null ? ` ${truncated.message} (${truncated.reason}); everything decoded before it is kept.` : '') + changedNote,
        m.id,
      );
      if (m.minutes !== null && correction === 0 && dayShift === 0) {
        // Counted by the parse worker as the rows were made (no re-timing since): no need to read the events back.
        const insertMinute = db.prepare('INSERT INTO hist_minute (minute, evidence_id, sev, n) VALUES (?, ?, ?, ?)');
        const c = m.minutes;
        for (let i = 0; i + 2 < c.length; i += 3) {
          insertMinute.run(c[i], m.id, c[i + 1], c[i + 2]);
        }
      } else {
        // Per-minute histogram rollup for this evidence (its events have contiguous ids).
        db.prepare(
          `INSERT INTO hist_minute (minute, evidence_id, sev, n)
           SELECT ts / 60000, evidence_id, coalesce(sev, 8), count(*) FROM events
           WHERE id BETWEEN coalesce((SELECT first_event_id FROM evidence WHERE id = ?), 0) AND coalesce((SELECT last_event_id FROM evidence WHERE id = ?), -1)
             AND ts IS NOT NULL GROUP BY 1, 2, 3`,
        ).run(m.id, m.id);
      }
      if (m.doc !== null) {
        // The capture's snapshot: its summary and its time (resolved like its events' time).
        const [ts, off, flags] = m.doc.capture.time === null ? [null, null, 0] : m.clock.resolve(m.doc.capture.time);
        insertSnapshot(db, {
          evidenceId: m.id, captureTs: ts === null ? null : Math.floor(ts), captureTzOff: off, captureFlags: flags, timeSource: m.doc.capture.source,
          timeText: m.doc.capture.text, summary: m.doc.finish(), createdUtc: now().toISOString(),
        });
      }
    });
    tx.immediate();
  }

  function onFileDone(entry: WalkEntry, result: PhysicalFileResult): void {
    filesDone += 1;
    bytesDone += result.bytesRead;
    bytesInFile = 0;
    if (result.openError !== null || result.ioError !== null) {
      const id = Number(
        insertEvidence.run({
          ingest: ingestId, rel: entry.relPath, root: options.root, container: 'none', size: entry.size, mtime: Math.round(entry.mtimeMs),
          format: 'none', confidence: 0, formatSource: 'none', sourceKind: 'text', parser: '', outcome: 'unreadable',
          detail: result.openError ?? result.ioError ?? '', status: 'failed', zone: options.timeZone, clock: 0, uacArea: null, originalPath: null,
          version: 1, supersedes: null, added: now().toISOString(),
        }).lastInsertRowid,
      );
      summaries.push({ id, path: entry.relPath, outcome: 'unreadable', status: 'failed', format: 'none', sha256: null, md5: null, lines: 0, events: 0, rawOnly: 0, first: null, last: null, detail: result.openError ?? result.ioError ?? '' });
      return;
    }
    // Physical digests: the file on disk, for members read straight from it (plain or compressed).
    const notes: string[] = [];
    if (result.grewDuringRead) {
      notes.push(`the file grew while it was read: the first ${result.sizeAtOpen ?? '?'} bytes (as at opening) were read and hashed`);
    }
    if (result.modifiedDuringRead || result.shrankDuringRead) {
      notes.push('the file changed while it was read');
    }
    for (const p of result.problems) {
      notes.push(`${p.path}: ${p.truncation.message}`);
    }
    const own = db.prepare('SELECT id FROM evidence WHERE ingest_id = ? AND rel_path = ?').get(ingestId, entry.relPath) as { id: number } | undefined;
    if (own !== undefined) {
      db.prepare('UPDATE evidence SET sha256 = ?, md5 = ?, outcome_detail = trim(outcome_detail || ?) WHERE id = ?').run(
        result.sha256 ?? null, result.md5 ?? null, notes.length > 0 ? ` ${notes.join('; ')}.` : '', own.id,
      );
    } else if (archives.has(entry.relPath) && pass === 1) {
      // An archive: listed as evidence of its own (hash of the file on disk), its members beside it.
      const existingArchive = findExisting.get(entry.relPath, options.root) as Existing | undefined;
      if (existingArchive === undefined || existingArchive.content_sha256 !== result.sha256) {
        insertEvidence.run({
          ingest: ingestId, rel: entry.relPath, root: options.root, container: 'archive', size: entry.size, mtime: Math.round(entry.mtimeMs),
          format: 'archive', confidence: 1, formatSource: 'detected', sourceKind: 'text', parser: '', outcome: 'archive',
          detail: `archive of ${result.members} member(s)${result.skippedEntries.length > 0 ? `; ${result.skippedEntries.length} non-file entries listed, not read` : ''}${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`,
          status: 'complete', zone: options.timeZone, clock: 0, uacArea: null, originalPath: null,
          version: existingArchive === undefined ? 1 : existingArchive.version + 1, supersedes: existingArchive?.id ?? null, added: now().toISOString(),
        });
        db.prepare('UPDATE evidence SET sha256 = ?, md5 = ?, content_sha256 = ? WHERE id = last_insert_rowid()').run(result.sha256 ?? null, result.md5 ?? null, result.sha256 ?? null);
      }
    }
    progress('reading');
  }

  let status: IngestSummary['status'] = 'complete';
  try {
    await readEvidence(options.root, {
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.limits === undefined ? {} : { limits: options.limits }),
      ...(options.readChunkSize === undefined ? {} : { readChunkSize: options.readChunkSize }),
      onEntry: (entry) => {
        if (entry.kind !== 'file') {
          registerNonFile(entry);
        }
      },
      onMember,
      onMemberDone,
      onFileDone,
    });
    if (redo.size > 0) {
      // Rare: files with the size and time of a known version but other bytes. Read again, in full.
      pass = 2;
      filesDone = 0;
      await readEvidence(options.root, {
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        ...(options.readChunkSize === undefined ? {} : { readChunkSize: options.readChunkSize }),
        onMember, onMemberDone, onFileDone,
      });
    }
  } catch (error) {
    const aborted = options.signal?.aborted === true;
    status = aborted ? 'cancelled' : 'failed';
    // Whatever was committed stays; the evidence being read is marked so it can be redone.
    db.prepare(`UPDATE evidence SET status = ?, outcome_detail = trim(outcome_detail || ?) WHERE ingest_id = ? AND status IN ('running', 'pending')`).run(
      aborted ? 'cancelled' : 'partial',
      aborted ? ' Ingest cancelled: the lines committed before are kept; redo this file to complete it.' : ` Ingest failed: ${(error as Error).message}`,
      ingestId,
    );
    if (!aborted) {
      db.prepare("UPDATE ingests SET status = 'failed', finished_utc = ?, summary = ? WHERE id = ?").run(now().toISOString(), String((error as Error).message), ingestId);
      throw error;
    }
  } finally {
    await dropParseWorker();
  }
  progress('finishing', true);
  if (status === 'complete') {
    alignYearsToCaseSources(db, ingestId);
  }

  const rows = db
    .prepare(
      `SELECT id, rel_path, outcome, status, format, sha256, md5, content_sha256, lines, events, raw_only, first_ts, last_ts, outcome_detail
       FROM evidence WHERE ingest_id = ? ORDER BY id`,
    )
    .all(ingestId) as Array<{
    id: number; rel_path: string; outcome: string; status: string; format: string; sha256: string | null; md5: string | null; content_sha256: string | null;
    lines: number; events: number; raw_only: number; first_ts: number | null; last_ts: number | null; outcome_detail: string;
  }>;
  const byId = new Map(summaries.map((s) => [s.id, s]));
  const evidence: EvidenceSummary[] = rows.map(
    (r) =>
      byId.get(r.id) ?? {
        id: r.id, path: r.rel_path, outcome: r.outcome, status: r.status, format: r.format, sha256: r.sha256 ?? r.content_sha256, md5: r.md5,
        lines: r.lines, events: r.events, rawOnly: r.raw_only, first: isoOrNull(r.first_ts), last: isoOrNull(r.last_ts), detail: r.outcome_detail,
      },
  );
  const finalStatus = status;
  // What is in the case (a cancel drops the lines read after the last committed batch).
  const committed = evidence.reduce((n, e) => n + e.lines, 0);
  db.prepare('UPDATE ingests SET status = ?, finished_utc = ?, summary = ? WHERE id = ?').run(
    finalStatus, now().toISOString(), JSON.stringify({ lines: linesTotal, evidence: evidence.length, unchanged }), ingestId,
  );
  progress('done', true);
  return {
    ingestId, status: finalStatus, root: options.root, elapsedMs: Date.now() - started, lines: committed, bytes: bytesDone + bytesInFile, evidence, unchanged,
    uac: false,
  };
}
