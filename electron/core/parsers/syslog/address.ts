/**
 * Scanning of network addresses inside log messages. Loose on purpose (logs contain `192.030.0.6`, IPv4-mapped
 * IPv6, `ip:port`), strict enough that times (`10:00:00`) and version numbers (`1.4.1`) are not addresses.
 * All results are substrings of the input.
 */
import { isDigit } from '../text/datetime';

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** End index of a dotted-quad IPv4 (1-3 digits per part) starting at `pos`, or -1. */
export function scanIPv4(s: string, pos: number): number {
  let p = pos;
  for (let part = 0; part < 4; part++) {
    const start = p;
    let v = 0;
    while (p < s.length && p - start < 3 && isDigit(s.charCodeAt(p))) {
      v = v * 10 + (s.charCodeAt(p) - 48);
      p++;
    }
    if (p === start || isDigit(s.charCodeAt(p)) || v > 255) {
      return -1;
    }
    if (part < 3) {
      if (s.charCodeAt(p) !== 46) {
        return -1;
      }
      p++;
    }
  }
  // `1.2.3.4.5` is not an address; a trailing full stop is fine.
  if (s.charCodeAt(p) === 46 && isDigit(s.charCodeAt(p + 1))) {
    return -1;
  }
  const c = s.charCodeAt(p);
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
    return -1; // `1.2.3.4a` is not an address either
  }
  return p;
}

/**
 * End index of an IPv6 address starting at `pos` (optionally ending with an embedded IPv4), or -1.
 * Requires a valid group structure: 8 groups, or fewer with exactly one `::`.
 */
export function scanIPv6(s: string, pos: number): number {
  let p = pos;
  let groups = 0;
  let doubleColon = false;
  if (s.charCodeAt(p) === 58) {
    if (s.charCodeAt(p + 1) !== 58) {
      return -1;
    }
    doubleColon = true;
    p += 2;
  }
  let end = -1;
  for (;;) {
    const gStart = p;
    while (p < s.length && p - gStart < 4 && isHex(s.charCodeAt(p))) {
      p++;
    }
    if (p === gStart) {
      // nothing after a ':' (only valid right after '::')
      if (doubleColon && s.charCodeAt(p - 1) === 58 && s.charCodeAt(p - 2) === 58) {
        end = p;
      }
      break;
    }
    const c = s.charCodeAt(p);
    if (c === 46) {
      // embedded IPv4 as the last part
      const v4 = scanIPv4(s, gStart);
      if (v4 < 0) {
        return -1;
      }
      groups += 2;
      end = v4;
      break;
    }
    if (isHex(c)) {
      return -1; // group longer than 4 hex digits
    }
    groups++;
    end = p;
    if (c !== 58 || groups >= 8) {
      break;
    }
    if (s.charCodeAt(p + 1) === 58) {
      if (doubleColon) {
        break; // a second '::' ends the address at the previous group
      }
      doubleColon = true;
      p += 2;
      end = p;
      continue;
    }
    if (!isHex(s.charCodeAt(p + 1))) {
      break;
    }
    p++;
  }
  if (end < 0) {
    return -1;
  }
  if (doubleColon ? groups > 7 : groups !== 8) {
    return -1;
  }
  // reject when glued to more address-like characters
  const after = s.charCodeAt(end);
  if (isHex(after) || (after === 46 && isDigit(s.charCodeAt(end + 1)))) {
    return -1;
  }
  return end;
}

function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95;
}

export type Address = Readonly<{
  /** The address as written, minus an IPv4-mapped `::ffff:` prefix. */
  value: string;
  isIp: boolean;
  /** Index just past the address as written (after a closing `]` when bracketed). */
  end: number;
}>;

/** An IP literal (v4, v6, `[v6]`) at `pos`, normalising `::ffff:a.b.c.d` to `a.b.c.d`. */
export function ipAt(s: string, pos: number): Address | null {
  let p = pos;
  const bracket = s.charCodeAt(p) === 91;
  if (bracket) {
    p++;
  }
  let end = scanIPv4(s, p);
  if (end < 0) {
    end = scanIPv6(s, p);
  } else {
    // `1:2::3` style addresses starting with digits: prefer the longer IPv6 reading
    const e6 = scanIPv6(s, p);
    if (e6 > end) {
      end = e6;
    }
  }
  if (end < 0) {
    return null;
  }
  let start = p;
  const lower = s.slice(p, Math.min(end, p + 7)).toLowerCase();
  if (lower === '::ffff:' && scanIPv4(s, p + 7) === end) {
    start = p + 7;
  }
  let after = end;
  if (bracket) {
    if (s.charCodeAt(end) !== 93) {
      return null;
    }
    after = end + 1;
  }
  return { value: s.slice(start, end), isIp: true, end: after };
}

/** An IP literal or a host name (letters, digits, `-._`, containing a letter) at `pos`. */
export function addressAt(s: string, pos: number): Address | null {
  const ip = ipAt(s, pos);
  if (ip !== null) {
    return ip;
  }
  let p = pos;
  let letter = false;
  while (p < s.length && p - pos < 253 && isHostChar(s.charCodeAt(p))) {
    const c = s.charCodeAt(p);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      letter = true;
    }
    p++;
  }
  // strip a trailing full stop (end of sentence)
  let end = p;
  while (end > pos && s.charCodeAt(end - 1) === 46) {
    end--;
  }
  if (end === pos || !letter) {
    return null;
  }
  const first = s.charCodeAt(pos);
  if (first === 45 || first === 46) {
    return null;
  }
  return { value: s.slice(pos, end), isIp: false, end };
}

/** True when the whole string is one IP literal (as `ipAt` reads it). */
export function isIpLiteral(s: string): boolean {
  const a = ipAt(s, 0);
  return a !== null && a.end === s.length;
}

/**
 * Generic "remote address mentioned" scan used when no program-specific rule applies: the first IP after
 * ` from `, `from=`, `rhost=`, `(attacker '`, `client ` or `Remote: `. Returns null when none.
 */
const GENERIC_KEYS = [' from ', 'from=', 'rhost=', "attacker '", 'FROM '];
export function genericRemoteIp(msg: string): Address | null {
  for (const key of GENERIC_KEYS) {
    let from = 0;
    for (let guard = 0; guard < 8; guard++) {
      const i = msg.indexOf(key, from);
      if (i < 0) {
        break;
      }
      let p = i + key.length;
      if (msg.charCodeAt(p) === 60 /* < */) {
        p++;
      }
      const a = ipAt(msg, p);
      if (a !== null) {
        return a;
      }
      from = i + key.length;
    }
  }
  return null;
}

/** ` port N` at `pos` (N 0-65535): the port and the end index, or null. */
export function portAfter(s: string, pos: number, keyword = ' port '): { port: number; end: number } | null {
  if (!s.startsWith(keyword, pos)) {
    return null;
  }
  let p = pos + keyword.length;
  const start = p;
  while (p < s.length && p - start < 6 && isDigit(s.charCodeAt(p))) {
    p++;
  }
  if (p === start || isDigit(s.charCodeAt(p))) {
    return null;
  }
  const port = Number(s.slice(start, p));
  return port <= 65535 ? { port, end: p } : null;
}
