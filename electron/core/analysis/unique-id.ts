/**
 * mod_unique_id (Apache httpd) UNIQUE_ID decoder and encoder, version-aware.
 *
 * Layouts, read from the history of httpd's modules/metadata/mod_unique_id.c (all fields big-endian,
 * encoded 6 bits a character over the packed bytes, the last group zero-padded):
 *
 * | layout | httpd | bytes | chars | fields | alphabet |
 * | --- | --- | --- | --- | --- | --- |
 * | `1.3-early` | 1.3 before the thread index | 14 | 19 | stamp 4, IPv4 4, pid 4, counter 2 | `A-Z a-z 0-9 @ -` |
 * | `classic` | 1.3 (later), 2.0, 2.2, 2.4 up to ~2.4.17 | 18 | 24 | stamp 4, IPv4 4, pid 4, counter 2, thread index 4 | `A-Z a-z 0-9 @ -` |
 * | `2.4-root` | 2.4 after the PRNG change | 20 | 27 | stamp 4, root 10 (random per child), counter 2, thread index 4 | `A-Z a-z 0-9 @ -` |
 * | `2.4-root-base64url` | later 2.4 / trunk | 20 | 27 | same | base64url `A-Z a-z 0-9 - _` |
 *
 * The stamp is the request time in whole seconds (r->request_time), the counter is per child,
 * starts at a time- or PRNG-derived value and wraps at 16 bits; the thread index is the connection id
 * (the scoreboard slot: child slot under prefork, child*ThreadLimit+thread under threaded MPMs).
 * The 2.4 root layouts carry no address and no pid: the root only identifies one child.
 *
 * Pure and total: a malformed id is reported (`ok: false` with the reason), never thrown.
 */

export type UniqueIdLayout = '1.3-early' | 'classic' | '2.4-root' | '2.4-root-base64url';

export const UNIQUE_ID_LAYOUTS: readonly UniqueIdLayout[] = ['1.3-early', 'classic', '2.4-root', '2.4-root-base64url'];

export type DecodedUniqueId = Readonly<{
  layout: UniqueIdLayout;
  /** Request time, seconds since the epoch (UTC). */
  stamp: number;
  /** Server IPv4 address (dotted quad); null for the root layouts. */
  ip: string | null;
  /** Worker (child) PID; null for the root layouts. */
  pid: number | null;
  /** 10 random bytes per child, hex; null for the classic layouts. */
  root: string | null;
  /** Per-child request counter (16 bits). */
  counter: number;
  /** Scoreboard connection id; null for `1.3-early`. */
  thread: number | null;
  /** The same child across ids: `ip/pid` or `root:<hex>`. */
  childKey: string;
  /** '-' appears but neither '@' nor '_': the two 27-character alphabets disagree and base64url was assumed. */
  ambiguousAlphabet: boolean;
  /** What this layout can and cannot say. */
  readable: readonly string[];
  unreadable: readonly string[];
}>;

export type UniqueIdResult = Readonly<{ ok: true; id: DecodedUniqueId }> | Readonly<{ ok: false; reason: string }>;

const CLASSIC_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@-';
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(alphabet: string): Int8Array {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) {
    t[alphabet.charCodeAt(i)] = i;
  }
  return t;
}
const CLASSIC_TABLE = table(CLASSIC_ALPHABET);
const URL_TABLE = table(URL_ALPHABET);

const LENGTH_BYTES: Readonly<Record<number, number>> = { 19: 14, 24: 18, 27: 20 };

const READABLE: Readonly<Record<UniqueIdLayout, Readonly<{ readable: readonly string[]; unreadable: readonly string[] }>>> = {
  '1.3-early': {
    readable: ['request time (seconds)', 'server IPv4 address', 'worker PID', 'per-child counter'],
    unreadable: ['scoreboard slot (not in this layout)', 'sub-second time'],
  },
  classic: {
    readable: ['request time (seconds)', 'server IPv4 address', 'worker PID', 'per-child counter', 'scoreboard slot (connection id)'],
    unreadable: ['sub-second time', 'thread id under threaded MPMs (only the slot)'],
  },
  '2.4-root': {
    readable: ['request time (seconds)', 'per-child random root (same child = same root)', 'per-child counter', 'scoreboard slot (connection id)'],
    unreadable: ['server address', 'worker PID (replaced by random bytes)', 'sub-second time'],
  },
  '2.4-root-base64url': {
    readable: ['request time (seconds)', 'per-child random root (same child = same root)', 'per-child counter', 'scoreboard slot (connection id)'],
    unreadable: ['server address', 'worker PID (replaced by random bytes)', 'sub-second time'],
  },
};

function u32(b: Uint8Array, at: number): number {
  return ((b[at] ?? 0) * 0x1000000 + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0)) >>> 0;
}

function hex(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) {
    s += (b[i] ?? 0).toString(16).padStart(2, '0');
  }
  return s;
}

/** Unpacks 6-bit symbols into `nBytes` bytes; null when a trailing padding bit is set (not something httpd wrote). */
function unpack(symbols: Uint8Array, nBytes: number): Uint8Array | null {
  const out = new Uint8Array(nBytes);
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (const v of symbols) {
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (o < nBytes) {
        out[o++] = (acc >> bits) & 0xff;
      } else if (((acc >> bits) & 0xff) !== 0) {
        return null;
      }
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    return null;
  }
  return out;
}

/**
 * Decodes one UNIQUE_ID. `hint` forces a layout (e.g. the 27-character alphabet when the analyst knows
 * the httpd version); otherwise the layout is recognised from the length and the characters used.
 */
export function decodeUniqueId(text: string, hint?: UniqueIdLayout): UniqueIdResult {
  const bytes = LENGTH_BYTES[text.length];
  if (bytes === undefined) {
    return { ok: false, reason: `length ${text.length} is not a mod_unique_id length (19, 24 or 27 characters)` };
  }
  const hasAt = text.includes('@');
  const hasUnderscore = text.includes('_');
  const hasDash = text.includes('-');
  if (hasAt && hasUnderscore) {
    return { ok: false, reason: "mixes '@' and '_': no mod_unique_id alphabet has both" };
  }
  let layout: UniqueIdLayout;
  if (hint !== undefined) {
    layout = hint;
    if (LENGTH_BYTES[expectedLength(hint)] !== bytes) {
      return { ok: false, reason: `length ${text.length} does not fit layout ${hint} (${expectedLength(hint)} characters)` };
    }
  } else if (bytes === 14) {
    layout = '1.3-early';
  } else if (bytes === 18) {
    layout = 'classic';
  } else {
    layout = hasAt ? '2.4-root' : '2.4-root-base64url';
  }
  const urlAlphabet = layout === '2.4-root-base64url';
  if (!urlAlphabet && hasUnderscore) {
    return { ok: false, reason: `'_' is not in the ${layout} alphabet (A-Z a-z 0-9 @ -)` };
  }
  if (urlAlphabet && hasAt) {
    return { ok: false, reason: "'@' is not in the base64url alphabet" };
  }
  const t = urlAlphabet ? URL_TABLE : CLASSIC_TABLE;
  const symbols = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (t[c] ?? -1) : -1;
    if (v < 0) {
      return { ok: false, reason: `character ${JSON.stringify(text[i])} at ${i} is not in the alphabet` };
    }
    symbols[i] = v;
  }
  const b = unpack(symbols, bytes);
  if (b === null) {
    return { ok: false, reason: 'trailing padding bits are not zero: not written by mod_unique_id' };
  }
  const stamp = u32(b, 0);
  const info = READABLE[layout];
  const ambiguousAlphabet = bytes === 20 && hint === undefined && !hasAt && !hasUnderscore && hasDash;
  if (bytes === 20) {
    const root = hex(b, 4, 14);
    return {
      ok: true,
      id: {
        layout, stamp, ip: null, pid: null, root, counter: ((b[14] ?? 0) << 8) | (b[15] ?? 0), thread: u32(b, 16),
        childKey: `root:${root}`, ambiguousAlphabet, readable: info.readable, unreadable: info.unreadable,
      },
    };
  }
  const ip = `${b[4]}.${b[5]}.${b[6]}.${b[7]}`;
  const pid = u32(b, 8);
  return {
    ok: true,
    id: {
      layout, stamp, ip, pid, root: null, counter: ((b[12] ?? 0) << 8) | (b[13] ?? 0), thread: bytes === 18 ? u32(b, 14) : null,
      childKey: `${ip}/${pid}`, ambiguousAlphabet, readable: info.readable, unreadable: info.unreadable,
    },
  };
}

export function expectedLength(layout: UniqueIdLayout): number {
  switch (layout) {
    case '1.3-early':
      return 19;
    case 'classic':
      return 24;
    case '2.4-root':
    case '2.4-root-base64url':
      return 27;
  }
}

export type UniqueIdFields = Readonly<{
  stamp: number;
  counter: number;
  /** classic layouts */
  ip?: string;
  pid?: number;
  thread?: number;
  /** root layouts: 20 hex characters */
  root?: string;
}>;

/** Encodes like mod_unique_id does (for tests and synthetic cases). */
export function encodeUniqueId(layout: UniqueIdLayout, f: UniqueIdFields): string {
  const n = LENGTH_BYTES[expectedLength(layout)] ?? 18;
  const b = new Uint8Array(n + 2);
  const put32 = (at: number, v: number): void => {
    b[at] = (v >>> 24) & 0xff;
    b[at + 1] = (v >>> 16) & 0xff;
    b[at + 2] = (v >>> 8) & 0xff;
    b[at + 3] = v & 0xff;
  };
  put32(0, f.stamp >>> 0);
  let at = 4;
  if (n === 20) {
    const root = (f.root ?? '').padEnd(20, '0');
    for (let i = 0; i < 10; i++) {
      b[at + i] = parseInt(root.slice(i * 2, i * 2 + 2), 16) & 0xff;
    }
    at += 10;
  } else {
    const parts = (f.ip ?? '0.0.0.0').split('.');
    for (let i = 0; i < 4; i++) {
      b[at + i] = Number(parts[i] ?? 0) & 0xff;
    }
    put32(at + 4, (f.pid ?? 0) >>> 0);
    at += 8;
  }
  b[at] = (f.counter >>> 8) & 0xff;
  b[at + 1] = f.counter & 0xff;
  at += 2;
  if (n !== 14) {
    put32(at, (f.thread ?? 0) >>> 0);
  }
  const alphabet = layout === '2.4-root-base64url' ? URL_ALPHABET : CLASSIC_ALPHABET;
  const len = expectedLength(layout);
  let s = '';
  for (let i = 0; i < n && s.length < len; i += 3) {
    const y0 = b[i] ?? 0;
    const y1 = b[i + 1] ?? 0;
    const y2 = b[i + 2] ?? 0;
    s += alphabet[y0 >> 2];
    s += alphabet[((y0 & 3) << 4) | (y1 >> 4)];
    if (s.length === len) {
      break;
    }
    s += alphabet[((y1 & 15) << 2) | (y2 >> 6)];
    if (s.length === len) {
      break;
    }
    s += alphabet[y2 & 63];
  }
  return s;
}

/**
 * Event-detail fields for a logged UNIQUE_ID: the decoded parts (uid_*), and how far the logged time
 * (`loggedMs`, the event's UTC time) is from the id's own time stamp (clock evidence).
 */
export function uniqueIdDetailFields(text: string, loggedMs: number | null): Record<string, string | number | null> {
  const r = decodeUniqueId(text);
  if (!r.ok) {
    return { uid_error: r.reason };
  }
  const d = r.id;
  const out: Record<string, string | number | null> = {
    uid_layout: d.layout,
    uid_time: new Date(d.stamp * 1000).toISOString(),
    uid_ip: d.ip,
    uid_pid: d.pid,
    uid_counter: d.counter,
    uid_thread: d.thread,
  };
  if (d.root !== null) {
    out['uid_root'] = d.root;
  }
  if (loggedMs !== null) {
    out['uid_time_diff_s'] = Math.round(loggedMs / 1000 - d.stamp);
  }
  out['uid_unreadable'] = d.unreadable.join('; ');
  return out;
}

/**
 * What the bulk decoder (the UNIQUE_ID cache, millions of ids) needs of one id, written into a reused
 * object: no strings and no objects per id. `childHi`/`childLo` identify the child (with `bytes`):
 * IPv4 and PID for the classic layouts, the 10 root bytes as two 40-bit numbers for the root layouts;
 * equal for two ids exactly when decodeUniqueId gives them the same layout family and child key.
 */
export type UniqueIdScratch = {
  layout: UniqueIdLayout;
  bytes: number;
  stamp: number;
  counter: number;
  thread: number | null;
  childHi: number;
  childLo: number;
};

export function uniqueIdScratch(): UniqueIdScratch {
  return { layout: 'classic', bytes: 0, stamp: 0, counter: 0, thread: null, childHi: 0, childLo: 0 };
}

const SCRATCH_BYTES = new Uint8Array(21);

/**
 * decodeUniqueId without a hint, for the hot path: true with `out` filled when decodeUniqueId(text)
 * would succeed (same layout, stamp, counter and thread), false when it would not (call it then for
 * the reason). Allocates nothing.
 */
export function decodeUniqueIdInto(text: string, out: UniqueIdScratch): boolean {
  const len = text.length;
  const bytes = len === 24 ? 18 : len === 27 ? 20 : len === 19 ? 14 : 0;
  if (bytes === 0) {
    return false;
  }
  // One pass: alphabet membership under both tables, and the '@' / '_' that pick the layout.
  let hasAt = false;
  let hasUnderscore = false;
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i);
    if (c === 64) {
      hasAt = true;
    } else if (c === 95) {
      hasUnderscore = true;
    } else if (c >= 128 || (CLASSIC_TABLE[c] ?? -1) < 0) {
      // not '@', not '_', and not in the classic alphabet: '-' and the letters and digits are in both,
      // so nothing else is in either
      return false;
    }
  }
  if (hasAt && hasUnderscore) {
    return false;
  }
  const urlAlphabet = bytes === 20 && !hasAt;
  if (!urlAlphabet && hasUnderscore) {
    return false;
  }
  const t = urlAlphabet ? URL_TABLE : CLASSIC_TABLE;
  const b = SCRATCH_BYTES;
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < len; i++) {
    acc = ((acc << 6) | (t[text.charCodeAt(i)] ?? 0)) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      const v = (acc >> bits) & 0xff;
      if (o < bytes) {
        b[o++] = v;
      } else if (v !== 0) {
        return false;
      }
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) {
    return false;
  }
  const word = (at: number): number => ((b[at] ?? 0) * 0x1000000 + ((b[at + 1] ?? 0) << 16) + ((b[at + 2] ?? 0) << 8) + (b[at + 3] ?? 0)) >>> 0;
  out.bytes = bytes;
  out.stamp = word(0);
  if (bytes === 20) {
    out.layout = hasAt ? '2.4-root' : '2.4-root-base64url';
    out.childHi = (b[4] ?? 0) * 0x100000000 + word(5);
    out.childLo = (b[9] ?? 0) * 0x100000000 + word(10);
    out.counter = ((b[14] ?? 0) << 8) | (b[15] ?? 0);
    out.thread = word(16);
  } else {
    out.layout = bytes === 18 ? 'classic' : '1.3-early';
    out.childHi = word(4);
    out.childLo = word(8);
    out.counter = ((b[12] ?? 0) << 8) | (b[13] ?? 0);
    out.thread = bytes === 18 ? word(14) : null;
  }
  return true;
}
