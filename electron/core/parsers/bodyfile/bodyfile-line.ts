/**
 * Sleuth Kit bodyfiles (TSK 3: `MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime`,
 * as written by `fls -m`, `ils -m`, UAC and dfImageTools). Pure and total.
 *
 * As plaso does: the MD5 is the first field and the nine others are taken from the right, so a `|`
 * left unescaped in a name stays in the name; `\|`, `\\` and `\xNN` escapes are decoded unless the name
 * holds raw control characters (then it is kept as written, with a warning); ` -> target` is split off
 * symbolic links. Times are epoch seconds (fractions kept to the millisecond), 0 or empty when absent.
 *
 * One event per distinct time, labelled mactime style (`m.c.` = modified and changed at that instant):
 * the earliest is the line's event, the others its `moreTimes`. An entry without any time is one
 * untimed event labelled `....`.
 */
import type { ExtraFields, MoreTime, ParsedTime, ParseResult } from '../../../../shared/domain/parsed';
import { emptyEvent } from '../../../../shared/domain/parsed';

export type BodyfileEntry = Readonly<{
  md5: string | null;
  name: string;
  nameAsWritten: string;
  linkTarget: string | null;
  inode: string;
  mode: string;
  uid: string;
  gid: string;
  size: number | null;
  /** Epoch seconds as written ('' or '0' when absent). */
  atime: string;
  mtime: string;
  ctime: string;
  crtime: string;
  warning: string | null;
}>;

const TIME_FIELDS = ['m', 'a', 'c', 'b'] as const;
/** C0 and C1 control characters (a name that still holds raw ones was not escaped by its writer). */
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i += 1) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
      return true;
    }
  }
  return false;
}
const TIME = /^(\d{1,12})(?:\.(\d{1,9}))?$/u;
const MD5 = /^[0-9a-f]{32}$/iu;

/** Decodes the name escapes fls writes: `\xNN` (non-printables), `\|`, `\\`. */
export function unescapeBodyfileName(name: string): string {
  return name.replace(/\\(x[0-9a-fA-F]{2}|\||\\)/gu, (_m, e: string) => (e === '|' ? '|' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16))));
}

/** Splits a bodyfile line into its fields, or explains why it is not one. */
export function splitBodyfileLine(line: string): { ok: true; entry: BodyfileEntry } | { ok: false; reason: string } {
  if (line.length > 100_000) {
    return { ok: false, reason: 'line too long for a bodyfile' };
  }
  if (line.startsWith('#')) {
    return { ok: false, reason: 'comment' };
  }
  const values = line.split('|');
  if (values.length < 11) {
    return { ok: false, reason: `not a bodyfile line: ${values.length} of 11 fields` };
  }
  const md5 = values[0] ?? '';
  if (md5 !== '0' && md5 !== '' && !MD5.test(md5)) {
    return { ok: false, reason: 'not a bodyfile line: first field is not an MD5 or 0' };
  }
  const right = values.slice(values.length - 9);
  const [inode = '', mode = '', uid = '', gid = '', sizeText = '', atime = '', mtime = '', ctime = '', crtime = ''] = right;
  for (const t of [atime, mtime, ctime, crtime]) {
    if (t !== '' && !TIME.test(t)) {
      return { ok: false, reason: 'not a bodyfile line: a time field is not epoch seconds' };
    }
  }
  if (sizeText !== '' && !/^\d{1,20}$/u.test(sizeText)) {
    return { ok: false, reason: 'not a bodyfile line: size is not a number' };
  }
  const written = values.slice(1, values.length - 9).join('|');
  let warning: string | null = null;
  let name: string;
  if (hasControl(written)) {
    warning = 'name contains unescaped control characters';
    name = written;
  } else {
    name = unescapeBodyfileName(written);
  }
  let linkTarget: string | null = null;
  const arrow = name.lastIndexOf(' -> ');
  if (mode.startsWith('l') && arrow > 0) {
    linkTarget = name.slice(arrow + 4);
    name = name.slice(0, arrow);
  }
  return {
    ok: true,
    entry: {
      md5: md5 === '0' || md5 === '' ? null : md5.toLowerCase(),
      name,
      nameAsWritten: written,
      linkTarget,
      inode,
      mode,
      uid,
      gid,
      size: sizeText === '' ? null : Number(sizeText),
      atime,
      mtime,
      ctime,
      crtime,
      warning,
    },
  };
}

function epochMs(t: string): number | null {
  const m = TIME.exec(t);
  if (m === null) {
    return null;
  }
  const ms = Number(m[1]) * 1000 + (m[2] === undefined ? 0 : Number(`0.${m[2]}`) * 1000);
  return ms > 0 ? ms : null;
}

/** The distinct times of an entry, earliest first, each with its mactime label (`macb`, `.` where not at that time). */
export function macbTimes(e: Pick<BodyfileEntry, 'atime' | 'mtime' | 'ctime' | 'crtime'>): Array<{ ms: number; text: string; label: string }> {
  const byField: Record<(typeof TIME_FIELDS)[number], string> = { m: e.mtime, a: e.atime, c: e.ctime, b: e.crtime };
  const times = new Map<number, { text: string; letters: Set<string> }>();
  for (const f of TIME_FIELDS) {
    const ms = epochMs(byField[f]);
    if (ms === null) {
      continue;
    }
    const t = times.get(ms);
    if (t === undefined) {
      times.set(ms, { text: byField[f], letters: new Set([f]) });
    } else {
      t.letters.add(f);
    }
  }
  return [...times.entries()]
    .sort((x, y) => x[0] - y[0])
    .map(([ms, t]) => ({ ms, text: t.text, label: TIME_FIELDS.map((f) => (t.letters.has(f) ? f : '.')).join('') }));
}

function describe(e: BodyfileEntry, label: string): string {
  const size = e.size === null ? '' : `, ${e.size} bytes`;
  const uid = e.uid === '' ? '' : `, uid ${e.uid}`;
  const link = e.linkTarget === null ? '' : ` -> ${e.linkTarget}`;
  return `${label} ${e.name}${link} (${e.mode}${uid}${size})`;
}

export function parseBodyfileLine(line: string): ParseResult {
  const s = splitBodyfileLine(line);
  if (!s.ok) {
    return s;
  }
  const e = s.entry;
  const extra: Record<string, string | number | boolean | null> = {
    name: e.name,
    inode: e.inode,
    mode: e.mode,
    uid: e.uid === '' ? null : e.uid,
    gid: e.gid === '' ? null : e.gid,
    size: e.size,
    md5: e.md5,
    atime: e.atime,
    mtime: e.mtime,
    ctime: e.ctime,
    crtime: e.crtime,
    deleted: e.name.endsWith(' (deleted)') || e.name.includes('(deleted-realloc)'),
  };
  if (e.linkTarget !== null) {
    extra['link_target'] = e.linkTarget;
  }
  if (e.warning !== null) {
    extra['warning'] = e.warning;
  }
  const times = macbTimes(e);
  const time = (t: { ms: number; text: string }): ParsedTime => ({ kind: 'absolute', epochMs: t.ms, offsetMinutes: null, text: t.text });
  const first = times[0];
  const base = {
    ...emptyEvent('file_time', describe(e, first?.label ?? '....')),
    severity: e.warning === null ? ('info' as const) : ('notice' as const),
    user: e.uid === '' ? null : e.uid,
  };
  if (first === undefined) {
    return { ok: true, event: { ...base, extra: { ...extra, macb: '....' } } };
  }
  const more: MoreTime[] = times.slice(1).map((t) => ({ time: time(t), message: describe(e, t.label), extra: { macb: t.label } as ExtraFields }));
  const event = { ...base, time: time(first), extra: { ...extra, macb: first.label } };
  return { ok: true, event: more.length === 0 ? event : { ...event, moreTimes: more } };
}

export function sniffBodyfile(lines: ReadonlyArray<string>): number {
  let total = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '' || l.startsWith('#')) {
      continue;
    }
    total += 1;
    if (splitBodyfileLine(l).ok) {
      ok += 1;
    }
  }
  return total === 0 ? 0 : ok / total;
}
