/**
 * mod_status `server-status` captures: the HTML page (Apache 2.2 / 2.4 / IBM HTTP Server, with the
 * ExtendedStatus worker table), its `lynx -dump` text, and the `?auto` machine format.
 *
 * Events: `status_info` (a header value: version, times, totals...), `status_scoreboard` (scoreboard
 * lines), `status_worker` (one per worker row; in the HTML a row spans several lines, the event sits
 * on the line that closes it and the lines before are raw, "part of the row"). Everything else (markup,
 * legends) is raw. Pure and total.
 */
import type { ServerStatusSummary } from '../../../../shared/domain/hoststate';
import type { HttpFields, ParseResult, ParsedTime } from '../../../../shared/domain/parsed';
import { ZONE_OFFSETS, captureEvent, fail, incr, isIpAddress, MAX_DOC_LINE, mtimeCapture, toNumber, unmapIp, type CaptureTime, type DocumentContext, type DocumentParser } from './document';

export type ServerStatusVariant = 'html' | 'lynx' | 'auto';

const AUTO_KEYS = /^(?:ServerVersion|ServerMPM|Total Accesses|Total kBytes|BusyWorkers|IdleWorkers|Scoreboard|CurrentTime|RestartTime|ServerUptimeSeconds|Uptime|CPULoad|ReqPerSec|ConnsTotal|BytesPerSec):\s/u;
const STATUS_TITLE = /(?:Apache|IBM_HTTP_Server|IBM HTTP Server|HTTP)?\s*(?:Server\s+)?Status\s+for\s/iu;

/** Which server-status variant the first lines look like, or null. */
export function serverStatusVariant(lines: ReadonlyArray<string>): ServerStatusVariant | null {
  let auto = 0;
  let html = false;
  let title = false;
  let version = false;
  for (const raw of lines.slice(0, 200)) {
    const l = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    if (AUTO_KEYS.test(l)) {
      auto += 1;
    }
    if (/<(?:html|head|title|body|dl|dt|h1)\b/iu.test(l)) {
      html = true;
    }
    if (STATUS_TITLE.test(l) && /status/iu.test(l)) {
      title = true;
    }
    if (/Server Version:\s/u.test(l) || /Current Time:\s/u.test(l)) {
      version = true;
    }
  }
  if (auto >= 3) {
    return 'auto';
  }
  if (html && (title || version) && version) {
    return 'html';
  }
  if (!html && version && (title || lines.some((l) => /requests currently being processed/u.test(l)))) {
    return 'lynx';
  }
  return null;
}

export function sniffServerStatus(lines: ReadonlyArray<string>): number {
  return serverStatusVariant(lines) === null ? 0 : 0.97;
}

import { MONTHS } from './document';
/** `Tuesday, 11-Nov-2008 14:05:49 CET` → a time (absolute when the zone abbreviation is known). */
export function parseStatusTime(text: string): ParsedTime | null {
  const m = /(\d{1,2})-([A-Z][a-z]{2})-(\d{4})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\s+([A-Za-z][A-Za-z0-9+-]{0,9}))?/u.exec(text);
  if (m === null) {
    return null;
  }
  const month = MONTHS.indexOf(m[2] ?? '') + 1;
  const [day, year, hour, minute, second] = [Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])];
  if (month === 0 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  const zone = m[7];
  const off = zone === undefined ? undefined : ZONE_OFFSETS[zone.toUpperCase()];
  if (off !== undefined) {
    const epochMs = Date.UTC(year, month - 1, day, hour, minute, second) - off * 60_000;
    return Number.isFinite(epochMs) ? { kind: 'absolute', epochMs, offsetMinutes: off, text: m[0] } : null;
  }
  return { kind: 'local', year, month, day, hour, minute, second, millis: 0, text: m[0] };
}

/** `5 hours 20 minutes 4 seconds`, `11 days 21 hours 13 minutes 2 seconds` → seconds. */
export function parseUptime(text: string): number | null {
  let total = 0;
  let any = false;
  const re = /(\d+)\s+(day|hour|minute|second)s?/gu;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const n = Number(m[1]);
    total += n * (m[2] === 'day' ? 86400 : m[2] === 'hour' ? 3600 : m[2] === 'minute' ? 60 : 1);
    any = true;
  }
  return any ? total : null;
}

/** `27.7 MB` → bytes (binary multiples, as mod_status prints them). */
export function parseTraffic(text: string): number | null {
  const m = /^([\d.]+)\s*([kKMGT]?)B$/u.exec(text.trim());
  if (m === null) {
    return null;
  }
  const n = Number(m[1]);
  const mult = { '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[m[2] ?? ''] ?? 1;
  return Number.isFinite(n) ? Math.round(n * mult) : null;
}

const SCOREBOARD_LINE = /^[_SRWKDCLGI.]+$/u;

export function decodeEntities(text: string): string {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|(amp|lt|gt|quot|apos|nbsp));/giu, (_all, dec: string | undefined, hex: string | undefined, name: string | undefined) => {
    if (dec !== undefined || hex !== undefined) {
      const cp = dec !== undefined ? Number(dec) : parseInt(hex ?? '0', 16);
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
    }
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }[(name ?? '').toLowerCase()] ?? '';
  });
}

export function stripTags(line: string): string {
  return decodeEntities(line.replace(/<[^>]{0,2000}>/gu, ''));
}

export type WorkerRow = Readonly<{
  slot: string;
  child: number | null;
  generation: number | null;
  pid: number | null;
  accConn: number | null;
  accChild: number | null;
  accSlot: number | null;
  mode: string;
  cpu: number | null;
  ss: number | null;
  reqMs: number | null;
  dur: number | null;
  connKb: number | null;
  childMb: number | null;
  slotMb: number | null;
  client: string;
  protocol: string;
  vhost: string;
  request: string;
}>;

const DEFAULT_COLUMNS = ['Srv', 'PID', 'Acc', 'M', 'CPU', 'SS', 'Req', 'Conn', 'Child', 'Slot', 'Client', 'VHost', 'Request'];

function workerFrom(columns: ReadonlyArray<string>, cells: ReadonlyArray<string>): WorkerRow | null {
  const get = (name: string): string => {
    const i = columns.findIndex((c) => c.toLowerCase() === name.toLowerCase());
    return i < 0 ? '' : (cells[i] ?? '').trim();
  };
  const srv = get('Srv');
  const m = /^(\d+)-(\d+|-)$/u.exec(srv);
  if (m === null) {
    return null;
  }
  const acc = get('Acc').split('/');
  const mode = get('M').slice(0, 1);
  return {
    slot: srv,
    child: toNumber(m[1]),
    generation: toNumber(m[2]),
    pid: /^\d+$/u.test(get('PID')) ? Number(get('PID')) : null,
    accConn: toNumber(acc[0]),
    accChild: toNumber(acc[1]),
    accSlot: toNumber(acc[2]),
    mode: mode === '' ? '?' : mode,
    cpu: toNumber(get('CPU')),
    ss: toNumber(get('SS')),
    reqMs: toNumber(get('Req')),
    dur: toNumber(get('Dur')),
    connKb: toNumber(get('Conn')),
    childMb: toNumber(get('Child')),
    slotMb: toNumber(get('Slot')),
    client: get('Client'),
    protocol: get('Protocol'),
    vhost: get('VHost'),
    request: get('Request'),
  };
}

function httpOf(request: string, vhost: string): HttpFields | null {
  const m = /^([A-Z][A-Z_-]{0,19})\s+(\S+)(?:\s+(HTTP\/[\d.]+))?$/u.exec(request);
  if (m === null) {
    return null;
  }
  const target = m[2] ?? '';
  const q = target.indexOf('?');
  return {
    method: m[1] ?? null,
    path: q < 0 ? target : target.slice(0, q),
    query: q < 0 ? null : target.slice(q + 1),
    protocol: m[3] ?? null,
    status: null,
    bytes: null,
    referer: null,
    userAgent: null,
    vhost: vhost === '' ? null : vhost,
    durationUs: null,
  };
}

function emptySummary(variant: ServerStatusVariant): ServerStatusSummary {
  return {
    kind: 'server_status', variant, host: null, serverVersion: null, serverMpm: null, serverBuilt: null, currentTime: null, restartTime: null,
    generation: null, mpmGeneration: null, uptimeSeconds: null, totalAccesses: null, totalTrafficBytes: null, cpuLoad: null, requestsPerSec: null,
    busyWorkers: null, idleWorkers: null, load: null, scoreboard: '', scoreboardCounts: {}, workers: 0, workerModes: {},
  };
}

const MAX_SCOREBOARD = 1 << 20;
const MAX_ROW = 64 * 1024;

/** Finds the capture time in the head: `Current Time:` (page, lynx) or `CurrentTime:` (?auto). */
function captureFromHead(ctx: DocumentContext): CaptureTime {
  for (const raw of ctx.headLines) {
    const l = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    const m = /Current ?Time:(.*)$/u.exec(stripTags(l));
    if (m !== null) {
      const t = parseStatusTime((m[1] ?? '').trim());
      if (t !== null) {
        return { time: t, source: 'page', text: t.text };
      }
    }
  }
  return mtimeCapture(ctx.mtimeMs);
}

export function openServerStatus(ctx: DocumentContext): DocumentParser {
  const variant = serverStatusVariant(ctx.headLines) ?? 'html';
  const capture = captureFromHead(ctx);
  const s = emptySummary(variant);
  const counts: Record<string, number> = {};
  const modes: Record<string, number> = {};
  let columns: string[] | null = null;
  let row: string | null = null;
  let rowStartLine = 0;
  let lineNo = 0;
  let inScoreboard = false;
  let tableSeen = false;
  let firstLine = true;

  const addScoreboard = (text: string): void => {
    if (s.scoreboard.length + text.length <= MAX_SCOREBOARD) {
      s.scoreboard += text;
    }
    for (const c of text) {
      incr(counts, c);
    }
  };

  const info = (field: string, value: string | number | null, message: string): ParseResult =>
    captureEvent(capture, 'status_info', message, { program: 'mod_status', extra: { field, value } });

  /** A header value line (text without markup), or null. */
  const infoLine = (text: string): ParseResult | null => {
    let m: RegExpExecArray | null;
    const t = text.trim();
    if ((m = /^Server Version:(.+)$/u.exec(t)) !== null) {
      s.serverVersion = (m[1] ?? '').trim();
      return info('server_version', s.serverVersion, t);
    }
    if ((m = /^Server MPM:(.+)$/u.exec(t)) !== null) {
      s.serverMpm = (m[1] ?? '').trim();
      return info('server_mpm', s.serverMpm, t);
    }
    if ((m = /^Server Built:(.+)$/u.exec(t)) !== null) {
      s.serverBuilt = (m[1] ?? '').trim();
      return info('server_built', s.serverBuilt, t);
    }
    if ((m = /^Current Time:(.+)$/u.exec(t)) !== null) {
      s.currentTime = (m[1] ?? '').trim();
      return info('current_time', s.currentTime, t);
    }
    if ((m = /^Restart Time:(.+)$/u.exec(t)) !== null) {
      s.restartTime = (m[1] ?? '').trim();
      return info('restart_time', s.restartTime, t);
    }
    if ((m = /^Parent Server (?:Config\. )?Generation:\s*(\d+)/u.exec(t)) !== null) {
      s.generation = toNumber(m[1]);
      return info('generation', s.generation, t);
    }
    if ((m = /^Parent Server MPM Generation:\s*(\d+)/u.exec(t)) !== null) {
      s.mpmGeneration = toNumber(m[1]);
      return info('mpm_generation', s.mpmGeneration, t);
    }
    if ((m = /^Server uptime:(.+)$/iu.exec(t)) !== null) {
      s.uptimeSeconds = parseUptime(m[1] ?? '');
      return info('uptime_seconds', s.uptimeSeconds, t);
    }
    if ((m = /^Server load:\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)/u.exec(t)) !== null) {
      s.load = [Number(m[1]), Number(m[2]), Number(m[3])];
      return info('load', s.load.join(' '), t);
    }
    if ((m = /^Total accesses:\s*(\d+)\s*-\s*Total Traffic:\s*([\d.]+\s*[kKMGT]?B)/u.exec(t)) !== null) {
      s.totalAccesses = toNumber(m[1]);
      s.totalTrafficBytes = parseTraffic(m[2] ?? '');
      return info('total_accesses', s.totalAccesses, t);
    }
    if ((m = /^CPU Usage:.*-\s*([\d.]+)%\s*CPU load/u.exec(t)) !== null) {
      s.cpuLoad = toNumber(m[1]);
      return info('cpu_load', s.cpuLoad, t);
    }
    if ((m = /^([\d.]+)\s+requests\/sec/u.exec(t)) !== null) {
      s.requestsPerSec = toNumber(m[1]);
      return info('requests_per_sec', s.requestsPerSec, t);
    }
    if ((m = /^(\d+)\s+requests? currently being processed,\s*(\d+)\s+idle (?:workers|servers)/u.exec(t)) !== null) {
      s.busyWorkers = toNumber(m[1]);
      s.idleWorkers = toNumber(m[2]);
      inScoreboard = true;
      return info('busy_workers', s.busyWorkers, t);
    }
    return null;
  };

  const worker = (w: WorkerRow, extraRows: number): ParseResult => {
    s.workers += 1;
    incr(modes, w.mode);
    const client = unmapIp(w.client);
    const message = `${w.mode} ${w.slot}${w.pid === null ? '' : ` pid ${w.pid}`}${w.ss === null ? '' : ` SS ${w.ss}s`} ${w.client} ${w.vhost} ${w.request}`.replace(/\s+/gu, ' ').trim();
    return captureEvent(capture, 'status_worker', message, {
      program: 'mod_status',
      pid: w.pid,
      srcIp: isIpAddress(client) ? client : null,
      http: httpOf(w.request, w.vhost),
      extra: {
        slot: w.slot, child: w.child, generation: w.generation, acc_conn: w.accConn, acc_child: w.accChild, acc_slot: w.accSlot, mode: w.mode,
        cpu: w.cpu, ss: w.ss, req_ms: w.reqMs, dur: w.dur, conn_kb: w.connKb, child_mb: w.childMb, slot_mb: w.slotMb, client: w.client,
        protocol: w.protocol === '' ? null : w.protocol, vhost: w.vhost === '' ? null : w.vhost, request: w.request,
        ...(extraRows > 0 ? { more_rows_on_line: extraRows } : {}),
      },
    });
  };

  /** Complete `<tr>…</tr>` rows of the HTML page. */
  const htmlRows = (text: string): ParseResult => {
    const rows = text.split(/<\/tr\s*>/iu).slice(0, -1);
    const workers: WorkerRow[] = [];
    for (const r of rows) {
      const start = r.search(/<tr\b/iu);
      const body = start < 0 ? r : r.slice(start);
      const parts = body.split(/<(t[dh])\b[^>]{0,500}>/iu);
      // parts: [before, tag, cell, tag, cell, ...]
      const cells: string[] = [];
      let th = 0;
      let td = 0;
      for (let i = 1; i + 1 < parts.length; i += 2) {
        if ((parts[i] ?? '').toLowerCase() === 'th') {
          th += 1;
        } else {
          td += 1;
        }
        cells.push(stripTags(parts[i + 1] ?? '').replace(/\s+/gu, ' ').trim());
      }
      if (th > 0 && td === 0 && cells.some((c) => c === 'Srv') && cells.some((c) => c === 'PID')) {
        columns = cells;
        tableSeen = true;
        inScoreboard = false;
        continue;
      }
      if (td > 0 && th === 0) {
        const w = workerFrom(columns ?? DEFAULT_COLUMNS, cells);
        if (w !== null) {
          workers.push(w);
        }
      }
    }
    const first = workers[0];
    if (first !== undefined) {
      for (const w of workers.slice(1)) {
        s.workers += 1;
        incr(modes, w.mode);
      }
      return worker(first, workers.length - 1);
    }
    return fail(columns !== null && rows.some((r) => /<th\b/iu.test(r)) && tableSeen ? 'server-status table header' : 'server-status table row (not a worker)');
  };

  const htmlLine = (line: string): ParseResult => {
    if (row !== null) {
      row += `\n${line}`;
      if (row.length > MAX_ROW) {
        row = null;
        return fail('table row too long: not parsed');
      }
      if (/<\/tr\s*>/iu.test(line)) {
        const text = row;
        row = null;
        const r = htmlRows(text);
        return r.ok ? { ok: true, event: { ...r.event, extra: { ...r.event.extra, row_first_line: rowStartLine } } } : r;
      }
      return fail('part of a server-status table row (its event is on the line that closes the row)');
    }
    const open = line.search(/<tr\b/iu);
    if (open >= 0) {
      const lastOpen = line.lastIndexOf('<tr');
      const lastClose = line.search(/<\/tr\s*>(?![\s\S]*<\/tr)/iu);
      if (lastClose >= 0 && lastClose > lastOpen) {
        return htmlRows(line);
      }
      // a row left open at the end of the line: complete rows before it are read, the rest continues
      rowStartLine = lineNo;
      row = line.slice(lastOpen >= 0 ? lastOpen : open);
      const before = line.slice(0, lastOpen >= 0 ? lastOpen : open);
      if (/<\/tr\s*>/iu.test(before)) {
        htmlRows(before);
      }
      return fail('part of a server-status table row (its event is on the line that closes the row)');
    }
    const text = stripTags(line).trim();
    if (text === '') {
      return fail('markup');
    }
    const i = infoLine(text);
    if (i !== null) {
      return i;
    }
    if (!tableSeen && SCOREBOARD_LINE.test(text) && (inScoreboard || text.length >= 16)) {
      inScoreboard = true;
      addScoreboard(text);
      return captureEvent(capture, 'status_scoreboard', text, { program: 'mod_status', extra: { scoreboard: text } });
    }
    const h = /Server Status for\s(.+)$/iu.exec(text);
    if (h !== null) {
      s.host = (h[1] ?? '').trim().slice(0, 255);
    }
    return fail('server-status text');
  };

  const lynxLine = (line: string): ParseResult => {
    const text = line.trim();
    if (text === '') {
      if (s.scoreboard !== '') {
        inScoreboard = false; // the blank line after the scoreboard ends it (lynx draws <hr> as underscores)
      }
      return fail('blank');
    }
    const i = infoLine(text);
    if (i !== null) {
      return i;
    }
    if (!tableSeen && SCOREBOARD_LINE.test(text) && (inScoreboard || (text.length >= 16 && /[^_]/u.test(text)))) {
      inScoreboard = true;
      addScoreboard(text);
      return captureEvent(capture, 'status_scoreboard', text, { program: 'mod_status', extra: { scoreboard: text } });
    }
    if (/^Srv\s+PID\s+Acc\s+M\b/u.test(text)) {
      columns = text.split(/\s+/u);
      tableSeen = true;
      inScoreboard = false;
      return fail('server-status table header');
    }
    if (tableSeen && /^\d+-(?:\d+|-)\s/u.test(text)) {
      const cols = columns ?? DEFAULT_COLUMNS;
      const parts = text.split(/\s+/u);
      const cells = parts.slice(0, cols.length - 1);
      // the last column (Request) keeps its spaces
      let pos = 0;
      for (let k = 0; k < cols.length - 1 && k < parts.length; k += 1) {
        pos = text.indexOf(parts[k] ?? '', pos) + (parts[k] ?? '').length;
      }
      cells.push(text.slice(pos).trim());
      const w = workerFrom(cols, cells);
      if (w !== null) {
        return worker(w, 0);
      }
    }
    const h = /Server Status for\s(.+)$/iu.exec(text);
    if (h !== null) {
      s.host = h[1]?.trim().slice(0, 255) ?? null;
    }
    return fail('server-status text');
  };

  const autoLine = (line: string): ParseResult => {
    const m = /^([A-Za-z][\w .-]{0,63}):(.*)$/u.exec(line);
    if (m === null) {
      if (firstLine && /^[\w.:[\]-]{1,255}$/u.test(line.trim())) {
        s.host = line.trim();
        return info('host', s.host, line.trim());
      }
      return fail(line.trim() === '' ? 'blank' : 'not a key: value line');
    }
    const key = m[1] ?? '';
    const value = (m[2] ?? '').trim();
    const n = toNumber(value);
    switch (key) {
      case 'ServerVersion': s.serverVersion = value; break;
      case 'ServerMPM': s.serverMpm = value; break;
      case 'Server Built': s.serverBuilt = value; break;
      case 'CurrentTime': s.currentTime = value; break;
      case 'RestartTime': s.restartTime = value; break;
      case 'ParentServerConfigGeneration': s.generation = n; break;
      case 'ParentServerMPMGeneration': s.mpmGeneration = n; break;
      case 'ServerUptimeSeconds': s.uptimeSeconds = n; break;
      case 'Uptime': s.uptimeSeconds ??= n; break;
      case 'Total Accesses': s.totalAccesses = n; break;
      case 'Total kBytes': s.totalTrafficBytes = n === null ? null : n * 1024; break;
      case 'CPULoad': s.cpuLoad = n; break;
      case 'ReqPerSec': s.requestsPerSec = n; break;
      case 'BusyWorkers': s.busyWorkers = n; break;
      case 'IdleWorkers': s.idleWorkers = n; break;
      case 'Load1': s.load = [n ?? 0, s.load?.[1] ?? 0, s.load?.[2] ?? 0]; break;
      case 'Load5': s.load = [s.load?.[0] ?? 0, n ?? 0, s.load?.[2] ?? 0]; break;
      case 'Load15': s.load = [s.load?.[0] ?? 0, s.load?.[1] ?? 0, n ?? 0]; break;
      case 'Scoreboard': {
        addScoreboard(value.replace(/[^_SRWKDCLGI.]/gu, ''));
        return captureEvent(capture, 'status_scoreboard', line, { program: 'mod_status', extra: { scoreboard: value.slice(0, 4096) } });
      }
      default:
        break;
    }
    return captureEvent(capture, 'status_info', line, { program: 'mod_status', extra: { field: key, value: n ?? value.slice(0, 1024) } });
  };

  return {
    capture,
    parseLine(line: string): ParseResult {
      lineNo += 1;
      try {
        if (line.length > MAX_DOC_LINE) {
          return fail('line too long for a server-status capture');
        }
        const r = variant === 'html' ? htmlLine(line) : variant === 'lynx' ? lynxLine(line) : autoLine(line);
        return r;
      } finally {
        if (line.trim() !== '') {
          firstLine = false;
        }
      }
    },
    finish(): ServerStatusSummary {
      return { ...s, scoreboardCounts: counts, workerModes: modes };
    },
  };
}
