import { closeSync, existsSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DossierError } from '../../shared/api/errors';
import { EventFlag, flagNames } from '../../shared/domain/event-flags';
import type { ContextLines, Cursor, EventDetail, Histogram, SavedView, Tag, TimelineFilter, TimelinePage } from '../../shared/domain/timeline';
import { uniqueIdDetailFields } from '../core/analysis/unique-id';
import { parserForFile, resolveFormat, type FormatId } from '../core/parsers/registry';
import { mapDbError } from '../db/connection/errors';
import { addComment, ensureTag, listComments, listTags, listViews, saveView, deleteView, setStar, setTag } from '../db/queries/annotations';
import { eventsOfLines } from '../db/queries/evidence-rows';
import { fullTextComplete } from '../db/queries/full-text';
import { createRawLineReader } from '../db/queries/raw-lines';
import { facet, histogram, queryPage, rowsByIds } from '../db/queries/timeline';
import type { CaseSession } from './case-session';
import { exportEvents } from './export-events';

const MAX_SLOW_MS = 40;

/** Shows raw bytes as text: valid UTF-8 as is, anything else as \xNN escapes (never interpreted). */
export function escapeBytes(bytes: Buffer): string {
  let out = '';
  let i = 0;
  const text = bytes.toString('utf8');
  if (Buffer.from(text, 'utf8').equals(bytes)) {
    return text;
  }
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    const chunk = len === 0 ? null : bytes.subarray(i, i + len);
    if (chunk !== null && chunk.length === len && Buffer.from(chunk.toString('utf8'), 'utf8').equals(chunk) && !chunk.toString('utf8').includes('\ufffd')) {
      out += chunk.toString('utf8');
      i += len;
    } else {
      out += `\\x${b.toString(16).padStart(2, '0')}`;
      i += 1;
    }
  }
  return out;
}

/** The timeline: pages, histogram, detail and context, tags, stars, comments and saved views. */
export class TimelineService {
  readonly #session: CaseSession;
  readonly #now: () => Date;

  constructor(session: CaseSession, now: () => Date) {
    this.#session = session;
    this.#now = now;
  }

  #db() {
    return this.#session.requireOpen().db;
  }

  #timed<T>(label: string, fn: () => T): T & { elapsedMs: number } {
    const started = performance.now();
    const value = fn();
    const elapsedMs = Math.round((performance.now() - started) * 10) / 10;
    if (elapsedMs > MAX_SLOW_MS) {
      console.error(`[dossier] slow ${label}: ${elapsedMs} ms`);
    }
    return { ...value, elapsedMs };
  }

  page(filter: TimelineFilter, options: { after?: Cursor; before?: Cursor; limit: number }): TimelinePage {
    const db = this.#db();
    const page = this.#timed('timeline page', () => queryPage(db, filter, options));
    const searchComplete = filter.text === undefined || filter.text.trim() === '' ? true : fullTextComplete(db);
    return { ...page, searchComplete };
  }

  histogram(filter: TimelineFilter, buckets: number, groupBy: 'sourceKind' | 'severity', zone?: string): Histogram {
    const db = this.#db();
    return this.#timed('histogram', () => histogram(db, filter, buckets, groupBy, zone));
  }

  facet(filter: TimelineFilter, field: Parameters<typeof facet>[2], limit: number) {
    return facet(this.#db(), filter, field, limit);
  }

  detail(id: number): EventDetail {
    const db = this.#db();
    const row = rowsByIds(db, [id])[0];
    if (row === undefined) {
      throw new DossierError('not_found', `No event #${id} in this case.`);
    }
    const ev = db
      .prepare(
        `SELECT e.byte_offset, e.tz_off, e.extra, v.rel_path, v.root_path, v.sha256, v.content_sha256, v.parser, v.format, v.time_zone, v.clock_offset_ms, v.year_reason
         FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE e.id = ?`,
      )
      .get(id) as {
      byte_offset: number; tz_off: number | null; extra: string | null; rel_path: string; root_path: string; sha256: string | null; content_sha256: string | null;
      parser: string; format: string; time_zone: string; clock_offset_ms: number; year_reason: string | null;
    };
    const bytes = createRawLineReader(db).line(row.evidenceId, row.lineNo);
    const text = bytes === null ? null : bytes.toString('utf8');
    const fields: Record<string, string | number | boolean | null> = {};
    let timeText: string | null = null;
    if (text !== null && (row.flags & EventFlag.RawOnly) === 0) {
      const parsed = resolveFormat(ev.format as FormatId);
      const r = parsed.ok ? parserForFile(parsed.format, ev.rel_path)(text) : null;
      if (r !== null && r.ok) {
        const e = r.event;
        timeText = e.time?.text ?? null;
        Object.assign(fields, { kind: e.kind, host: e.host, program: e.program, pid: e.pid, tid: e.tid, severity: e.severity, src_ip: e.srcIp, src_port: e.srcPort, user: e.user });
        if (e.http !== null) {
          for (const [k, v] of Object.entries(e.http)) {
            fields[`http_${k.replace(/[A-Z]/gu, (c) => `_${c.toLowerCase()}`)}`] = v;
          }
        }
        Object.assign(fields, e.extra);
        if (typeof e.extra['unique_id'] === 'string' && row.sourceKind === 'apache_access') {
          Object.assign(fields, uniqueIdDetailFields(e.extra['unique_id'], row.ts));
        }
        if (e.moreTimes !== undefined && ev.extra !== null) {
          // one of several events of the same line (bodyfile MACB times): its own stored fields win
          Object.assign(fields, JSON.parse(ev.extra) as Record<string, string | number | boolean | null>);
        }
      } else if (ev.extra !== null) {
        // Document formats (host-state captures) store their fields: a line alone cannot be re-parsed.
        Object.assign(fields, JSON.parse(ev.extra) as Record<string, string | number | boolean | null>);
      }
    } else if (ev.extra !== null) {
      Object.assign(fields, JSON.parse(ev.extra) as Record<string, string | number | boolean | null>);
    }
    const tags = db.prepare('SELECT t.id, t.name, t.color FROM event_tags et JOIN tags t ON t.id = et.tag_id WHERE et.event_id = ? ORDER BY t.name').all(id) as EventDetail['tags'];
    return {
      row,
      raw: bytes === null ? null : { text: text ?? '', validUtf8: (row.flags & EventFlag.InvalidUtf8) === 0, escaped: escapeBytes(bytes), bytes: bytes.length },
      fields,
      provenance: {
        evidencePath: ev.rel_path,
        rootPath: ev.root_path,
        lineNo: row.lineNo,
        byteOffset: ev.byte_offset,
        sha256: ev.sha256 ?? ev.content_sha256,
        parser: ev.parser,
        timeText,
        timeZone: row.ts === null ? null : (row.flags & EventFlag.TimeAbsolute) !== 0 ? 'written in the text' : ev.time_zone,
        tzOffsetMinutes: ev.tz_off,
        clockOffsetMs: ev.clock_offset_ms,
        yearReason: (row.flags & EventFlag.YearInferred) !== 0 ? ev.year_reason : null,
        timeFlags: flagNames(row.flags),
      },
      tags,
      comments: listComments(db, id).map(({ id: cid, body, author, createdUtc, updatedUtc }) => ({ id: cid, body, author, createdUtc, updatedUtc })),
    };
  }

  /** The lines around an event in its own file (raw lines, parsed or not). */
  context(id: number, before: number, after: number): ContextLines {
    const db = this.#db();
    const row = db.prepare('SELECT e.evidence_id, e.line_no, v.rel_path FROM events e JOIN evidence v ON v.id = e.evidence_id WHERE e.id = ?').get(id) as
      | { evidence_id: number; line_no: number; rel_path: string }
      | undefined;
    if (row === undefined) {
      throw new DossierError('not_found', `No event #${id} in this case.`);
    }
    const reader = createRawLineReader(db);
    const from = Math.max(1, row.line_no - before);
    const ids = eventsOfLines(db, id, row.evidence_id, from, row.line_no + after);
    const lines: ContextLines['lines'] = [];
    for (let n = from; n <= row.line_no + after; n += 1) {
      const b = reader.line(row.evidence_id, n);
      if (b === null) {
        break;
      }
      const text = escapeBytes(b);
      lines.push({ lineNo: n, text, validUtf8: text === b.toString('utf8'), eventId: ids.get(n) ?? null });
    }
    return { evidenceId: row.evidence_id, evidencePath: row.rel_path, lines };
  }

  /** Writes the current view to a new file (never overwrites), CSV or JSONL, and audits it. */
  exportView(filter: TimelineFilter, format: 'csv' | 'jsonl', path: string): { path: string; rows: number } {
    const target = resolve(path);
    if (existsSync(target)) {
      throw new DossierError('case_exists', `${target} already exists. Choose another name; Dossier never overwrites a file.`);
    }
    const open = this.#session.requireOpen();
    if (target.startsWith(`${open.path}`)) {
      throw new DossierError('bad_input', 'Choose a file outside the case file.');
    }
    const folder = dirname(target);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new DossierError('not_found', `The folder ${folder} does not exist. Choose an existing folder for the export.`);
    }
    let fd: number;
    try {
      fd = openSync(target, 'wx');
    } catch (error) {
      throw mapDbError(error, `Exporting to ${target}`);
    }
    let rows: number;
    try {
      let buffer = '';
      rows = exportEvents(open.db, {
        format,
        filter,
        write: (chunk) => {
          buffer += chunk;
          if (buffer.length > 1 << 20) {
            writeSync(fd, buffer);
            buffer = '';
          }
        },
      });
      writeSync(fd, buffer);
    } catch (error) {
      // A full disk or an I/O error: no half-written export is left behind.
      closeSync(fd);
      rmSync(target, { force: true });
      throw mapDbError(error, `Exporting to ${target}`);
    }
    closeSync(fd);
    this.#session.audit('export.events', target, { format, rows, filter });
    return { path: target, rows };
  }

  tags(): Tag[] {
    return listTags(this.#db());
  }

  tag(eventIds: ReadonlyArray<number>, name: string, color: string | undefined, on: boolean): Tag[] {
    const now = this.#now().toISOString();
    this.#session.write((open) => {
      const tag = ensureTag(open.db, name, color, now);
      if (tag.created) {
        this.#session.audit('tag.create', `tag#${tag.id}`, { name, color });
      }
      const changed = setTag(open.db, eventIds, tag.id, on, now);
      if (changed > 0) {
        this.#session.audit(on ? 'event.tag' : 'event.untag', `tag#${tag.id} ${name}`, { events: eventIds.slice(0, 1000), count: changed });
      }
    });
    return this.tags();
  }

  star(eventIds: ReadonlyArray<number>, on: boolean): number {
    const now = this.#now().toISOString();
    return this.#session.write((open) => {
      const changed = setStar(open.db, eventIds, on, now);
      if (changed > 0) {
        this.#session.audit(on ? 'event.star' : 'event.unstar', 'events', { events: eventIds.slice(0, 1000), count: changed });
      }
      return changed;
    });
  }

  comment(eventId: number, body: string): EventDetail['comments'] {
    const now = this.#now().toISOString();
    this.#session.write((open) => {
      if (open.db.prepare('SELECT 1 FROM events WHERE id = ?').get(eventId) === undefined) {
        throw new DossierError('not_found', `No event #${eventId} in this case.`);
      }
      const id = addComment(open.db, eventId, body, this.#session.actor(), now);
      this.#session.audit('event.comment', `event#${eventId}`, { comment: id, body });
    });
    return listComments(this.#db(), eventId).map(({ id, body: b, author, createdUtc, updatedUtc }) => ({ id, body: b, author, createdUtc, updatedUtc }));
  }

  views(): SavedView[] {
    return listViews(this.#db());
  }

  saveView(name: string, state: string): SavedView[] {
    const now = this.#now().toISOString();
    this.#session.write((open) => {
      const r = saveView(open.db, name, state, now);
      this.#session.audit(r.created ? 'view.create' : 'view.update', `view#${r.id} ${name}`, { state });
    });
    return this.views();
  }

  deleteView(id: number): SavedView[] {
    this.#session.write((open) => {
      if (deleteView(open.db, id) > 0) {
        this.#session.audit('view.delete', `view#${id}`);
      }
    });
    return this.views();
  }
}
