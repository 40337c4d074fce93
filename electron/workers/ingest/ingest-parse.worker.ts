/**
 * The parse worker: the writer thread (the ingest) sends it the lines of a member in batches; it
 * decodes, parses, correlates and time-resolves them (the same code as the writer's in-thread path,
 * line-rows.ts) and answers with encoded rows (parse-batch.ts). No database, no files: pure work on
 * the second core.
 */
import { isAscii } from 'node:buffer';
import { parentPort } from 'node:worker_threads';
import { createSshdCorrelator } from '../../core/parsers/syslog/sshd-correlator';
import { parserForFile, resolveFormat, type FormatId } from '../../core/parsers/registry';
import { compressRawBlockSync } from '../../db/queries/raw-lines';
import { lineRowBuilder, type LineRowBuilder } from './line-rows';
import { MemberClock } from './member-clock';
import { MinuteCounts, RowEncoder, type FromParseWorker, type ToParseWorker } from './parse-batch';

const port = parentPort;
if (port === null) {
  throw new Error('ingest-parse.worker must run in a worker thread');
}
const post = (m: FromParseWorker, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);
const encoder = new RowEncoder(8192);
let build: LineRowBuilder | null = null;
let clock: MemberClock | null = null;
const minutes = new MinuteCounts();
const NO_BYTES = new Uint8Array(0);

/** A message that waits its turn (a `recycle` is taken at once). */
type Queued = Exclude<ToParseWorker, Readonly<{ t: 'recycle' }>>;

function handle(m: Queued): void {
  const seq = m.t === 'member' ? -1 : m.seq;
  try {
    if (m.t === 'member') {
      const s = m.spec;
      const resolved = resolveFormat(s.formatId as FormatId, s.logFormat === undefined ? {} : { logFormat: s.logFormat });
      if (!resolved.ok) {
        throw new Error(`format ${s.formatId}: ${resolved.error}`);
      }
      const format = resolved.format;
      clock = new MemberClock(s.zone, s.clockOffsetMs, s.mtimeMs, s.analystYear);
      const correlator = format.sourceKind === 'auth' || format.sourceKind === 'syslog' ? createSshdCorrelator() : null;
      build = lineRowBuilder(parserForFile(format, s.path), format.id === 'text', correlator, clock);
      minutes.take();
      return;
    }
    if (m.t === 'compress') {
      const data = compressRawBlockSync(m.raw);
      const spare = m.raw.buffer as ArrayBuffer;
      post({ t: 'compressed', seq, data, spare }, [data.buffer as ArrayBuffer, spare]);
      return;
    }
    if (m.t === 'end') {
      if (clock === null) {
        throw new Error('no member started');
      }
      const counts = minutes.take();
      post({ t: 'clock', seq, state: clock.state(), minutes: counts }, [counts.buffer as ArrayBuffer]);
      build = null;
      clock = null;
      return;
    }
    if (build === null) {
      throw new Error('no member started');
    }
    const { buf, starts, ends, oversized } = m;
    // Most chunks are pure ASCII: one check for the chunk, then each line is decoded straight into a
    // flat string (no view, UTF-8 check and decode per line; ASCII is valid UTF-8 and decodes the same).
    const ascii = isAscii(buf) ? Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength) : null;
    for (let k = 0; k < ends.length; k += 1) {
      const start = starts[k] as number;
      const end = ends[k] as number;
      const whole = oversized[k] as number;
      const out =
        ascii !== null && whole < 0
          ? build(NO_BYTES, end - start, false, 0, 0, ascii.toString('latin1', start, end))
          : build(buf.subarray(start, end), whole < 0 ? end - start : whole, whole >= 0, 0, 0);
      encoder.add(k, out.row, out.valid);
      minutes.add(out.row.ts, out.row.sev);
      if (out.more !== null) {
        for (const r of out.more) {
          encoder.add(k, r, out.valid);
          minutes.add(r.ts, r.sev);
        }
      }
    }
    const rows = encoder.take(seq);
    // The lines' buffer goes back with the rows (every string above is a copy of its bytes).
    const spare = buf.buffer as ArrayBuffer;
    post({ ...rows, spare }, [rows.num.buffer as ArrayBuffer, spare]);
  } catch (error) {
    post({ t: 'error', seq, message: error instanceof Error ? error.message : String(error) });
  }
}

// Raw blocks jump the queue: the writer waits for the last one of a batch before it can commit, while
// the batches of lines queued before it are not needed yet. Everything else keeps its order.
const urgent: Queued[] = [];
const queue: Queued[] = [];
let scheduled = false;
function run(): void {
  scheduled = false;
  const m = urgent.shift() ?? queue.shift();
  if (m !== undefined) {
    handle(m);
  }
  if (!scheduled && urgent.length + queue.length > 0) {
    scheduled = true;
    setImmediate(run);
  }
}
port.on('message', (m: ToParseWorker) => {
  if (m.t === 'recycle') {
    encoder.recycle(m.num);
    return;
  }
  (m.t === 'compress' ? urgent : queue).push(m);
  if (!scheduled) {
    scheduled = true;
    setImmediate(run);
  }
});
post({ t: 'ready' });
