/**
 * Apache access-log line parser (common, combined, vhost_combined and their usual extensions), written
 * as a single forward scan with indexOf/charCodeAt: no regular expressions, no exceptions.
 *
 * Accepted shape: `[vhost[:port] ]client [ident [user]] [time] [token ]"request" status bytes
 * ["referer" ["user-agent"]] [trailing fields...]`.
 *
 * Rules (documented behaviour, relied on by tests):
 * - Values are kept verbatim as logged: escapes such as `\"` and `\x16` are not decoded, URLs are not
 *   percent-decoded. So every extracted string is a substring of the line.
 * - Prefix before ` [`: 3 words = client ident user; 4 words = vhost + client ident user when the first
 *   word is `host:port` or the second word is an IP and the first is not, else client ident user plus one
 *   extra word (`extra.prefix_extra`); 2 words = vhost + client when the second is an IP and the first is
 *   not, else client + user (malformed logs that lost a field); 1 word = client only; more than 4 =
 *   optional vhost, client, ident, then the rest as the user.
 * - `vhost:port` goes to `http.vhost` and `extra.server_port`. A word between `]` and the request
 *   (custom formats like `%t %v "%r"`) goes to `http.vhost` when there is no vhost yet, else `extra.vhost_2`.
 * - The client (`%h`) goes to `srcIp` when it is an IPv4/IPv6 address, else to `extra.client_host`.
 * - The time: `absolute` when the zone is written, `local` when it is not (`[27/Jun/2013:11:55:44]`).
 * - Missing status, bytes, or an unterminated request/referer/user-agent quote = truncated line → ok:false.
 * - Trailing fields after the user agent (or after bytes when there is no referer): a mod_unique_id-looking
 *   word of 24+ characters → `extra.unique_id`; a quoted list of IP addresses → `extra.xff` (a quoted `-`
 *   means the header was absent and is dropped); the first pure integer → `extra.trailing_int`, and when
 *   it is the only integer among the trailing fields it is taken as `%D` (`http.durationUs`), the usual
 *   `LogFormat "... %D"` / `"... %{UNIQUE_ID}e %D"` extension (a lone `%T` would be misread as µs: use a
 *   compiled LogFormat for such logs); everything else goes to `extra.trailing` as the verbatim text from
 *   the first to the last unclassified field (an unterminated trailing quote is kept there too).
 * - message = `<request line as logged> (<status>)`, e.g. `GET /x HTTP/1.1 (404)`; `-` for a `-`/empty
 *   request.
 */
import type { HttpFields, ParseResult, ParsedEvent, ParsedTime } from '../../../../shared/domain/parsed';
import {
  EMPTY_EXTRA,
  allDigits,
  digitsValue,
  isDigit,
  isIp,
  looksLikeUniqueId,
  nextUnescapedQuote,
  parseClfTime,
  quotedFieldEnd,
  requestMessage,
  severityFromStatus,
  splitHostPort,
  splitRequestInto,
} from './scan';

const DASH = '-';

function fail(reason: string): ParseResult {
  return { ok: false, reason };
}

/**
 * End quote of the request opened just before `from`. Prefers the first unescaped `"` followed by
 * ` <digit>` or ` -` (the status), so a raw quote inside an old, unescaped request does not end it; falls
 * back to the first unescaped quote (a line cut after the request).
 */
function requestEnd(line: string, from: number): number {
  let q = nextUnescapedQuote(line, from);
  const first = q;
  while (q >= 0) {
    if (line.charCodeAt(q + 1) === 32) {
      const c = line.charCodeAt(q + 2);
      if (isDigit(c) || c === 45) {
        return q;
      }
    }
    q = nextUnescapedQuote(line, q + 1);
  }
  return first;
}

/** Looks like a vhost written as `name:port` (not an IPv6 address). */
function isHostPort(word: string): boolean {
  const c = word.lastIndexOf(':');
  if (c <= 0 || c === word.length - 1 || !allDigits(word, c + 1, word.length)) {
    return false;
  }
  if (word.charCodeAt(0) === 91) {
    return word.charCodeAt(c - 1) === 93;
  }
  return word.indexOf(':') === c;
}

type Extra = Record<string, string | number | boolean | null>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function isIpList(s: string): boolean {
  let start = 0;
  let any = false;
  while (start <= s.length) {
    let end = s.indexOf(',', start);
    if (end < 0) {
      end = s.length;
    }
    let a = start;
    let b = end;
    while (a < b && s.charCodeAt(a) === 32) {
      a++;
    }
    while (b > a && s.charCodeAt(b - 1) === 32) {
      b--;
    }
    const part = s.slice(a, b);
    if (!isIp(part) && !(part.length > 0 && isIp(splitHostPort(part).host))) {
      return false;
    }
    any = true;
    start = end + 1;
  }
  return any;
}

export function parseAccessLine(line: string): ParseResult {
  const len = line.length;
  if (len === 0) {
    return fail('empty line');
  }
  const lb = line.indexOf(' [');
  if (lb <= 0) {
    return fail(line.charCodeAt(0) === 91 || lb === 0 ? 'missing client host' : 'no [timestamp] found');
  }

  // --- prefix words: [vhost] client [ident [user]] ---
  const w0End = line.indexOf(' ');
  let vhostWord: string | null = null;
  let client: string;
  let ident: string | null = null;
  let user: string | null = null;
  let prefixExtra: string | null = null;
  const w1End = w0End > 0 && w0End < lb ? line.indexOf(' ', w0End + 1) : -1;
  if (w0End === lb) {
    client = line.slice(0, lb);
  } else if (w1End > w0End + 1 && w1End < lb && line.indexOf(' ', w1End + 1) === lb && w1End + 1 < lb) {
    // Fast path: exactly three words.
    client = line.slice(0, w0End);
    ident = w1End === w0End + 2 && line.charCodeAt(w0End + 1) === 45 ? DASH : line.slice(w0End + 1, w1End);
    user = lb === w1End + 2 && line.charCodeAt(w1End + 1) === 45 ? DASH : line.slice(w1End + 1, lb);
  } else {
    const spans = wordSpans(line, 0, lb);
    const words = spans.map(([a, b]) => line.slice(a, b));
    const n = words.length;
    const a = words[0] ?? '';
    const b = words[1] ?? '';
    if (n === 3) {
      client = a;
      ident = b;
      user = words[2] ?? null;
    } else if (n === 4) {
      if (isHostPort(a) || (isIp(b) && !isIp(a))) {
        vhostWord = a;
        client = b;
        ident = words[2] ?? null;
        user = words[3] ?? null;
      } else {
        client = a;
        ident = b;
        user = words[2] ?? null;
        prefixExtra = words[3] ?? null;
      }
    } else if (n === 2) {
      if (isIp(b) && !isIp(a)) {
        vhostWord = a;
        client = b;
      } else {
        client = a;
        user = b;
      }
    } else if (n <= 1) {
      client = a;
    } else {
      let k = 0;
      if (isHostPort(a) || (isIp(b) && !isIp(a))) {
        vhostWord = a;
        k = 1;
      }
      client = words[k] ?? '';
      ident = words[k + 1] ?? null;
      // The rest, verbatim (a user name with spaces).
      const from = spans[k + 2];
      user = from === undefined ? null : line.slice(from[0], lb).trimEnd();
    }
    if (client.length === 0) {
      return fail('missing client host');
    }
  }

  // --- [time] ---
  const rb = line.indexOf(']', lb + 2);
  if (rb < 0) {
    return fail('truncated: unterminated [timestamp]');
  }
  const time: ParsedTime | null = parseClfTime(line, lb + 2, rb);
  if (time === null) {
    return fail('unrecognised timestamp');
  }
  let p = rb + 1;
  if (p >= len) {
    return fail('truncated: no request after the timestamp');
  }
  if (line.charCodeAt(p) !== 32) {
    return fail('expected a space after the timestamp');
  }
  p++;
  let midWord: string | null = null;
  if (line.charCodeAt(p) !== 34) {
    const sp = line.indexOf(' ', p);
    if (sp < 0) {
      return fail('truncated: no request after the timestamp');
    }
    midWord = line.slice(p, sp);
    p = sp + 1;
    if (line.charCodeAt(p) !== 34) {
      return fail('expected a quoted request');
    }
  }

  // --- "request" ---
  const reqStart = p + 1;
  const reqEnd = requestEnd(line, reqStart);
  if (reqEnd < 0) {
    return fail('truncated: unterminated request');
  }
  const request = line.slice(reqStart, reqEnd);
  p = reqEnd + 1;
  if (p >= len) {
    return fail('truncated: missing status');
  }
  if (line.charCodeAt(p) !== 32) {
    return fail('expected a space after the request');
  }
  p++;

  // --- status bytes ---
  let sEnd = line.indexOf(' ', p);
  if (sEnd < 0) {
    sEnd = len;
  }
  let status: number | null = null;
  if (allDigits(line, p, sEnd)) {
    status = digitsValue(line, p, sEnd);
  } else if (!(sEnd === p + 1 && line.charCodeAt(p) === 45)) {
    return fail(sEnd === p ? 'missing status' : 'status is not a number');
  }
  if (sEnd >= len) {
    return fail('truncated: missing bytes');
  }
  p = sEnd + 1;
  let bEnd = line.indexOf(' ', p);
  if (bEnd < 0) {
    bEnd = len;
  }
  let bytes: number | null = null;
  if (allDigits(line, p, bEnd)) {
    bytes = digitsValue(line, p, bEnd);
  } else if (!(bEnd === p + 1 && line.charCodeAt(p) === 45)) {
    return fail(bEnd === p ? 'missing bytes' : 'bytes is not a number');
  }
  p = bEnd;

  // --- "referer" "user-agent" ---
  let referer: string | null = null;
  let userAgent: string | null = null;
  if (p < len && line.charCodeAt(p + 1) === 34) {
    const rEnd = quotedFieldEnd(line, p + 2);
    if (rEnd < 0) {
      return fail('truncated: unterminated referer');
    }
    referer = dashNull(line.slice(p + 2, rEnd));
    p = rEnd + 1;
    if (p < len && line.charCodeAt(p + 1) === 34) {
      const uEnd = quotedFieldEnd(line, p + 2);
      if (uEnd < 0) {
        return fail('truncated: unterminated user agent');
      }
      userAgent = dashNull(line.slice(p + 2, uEnd));
      p = uEnd + 1;
    }
  }

  // --- extras ---
  let extra: Extra | null = null;
  let vhost: string | null = null;
  let srcIp: string | null = null;
  let durationUs: number | null = null;
  if (isIp(client)) {
    srcIp = client;
  } else {
    extra = { client_host: client };
  }
  if (ident !== null && !(ident.length === 1 && ident.charCodeAt(0) === 45)) {
    extra ??= {};
    extra['ident'] = ident;
  }
  if (user !== null && (user.length === 0 || (user.length === 1 && user.charCodeAt(0) === 45))) {
    user = null;
  }
  if (vhostWord !== null) {
    const hp = splitHostPort(vhostWord);
    vhost = hp.host;
    if (hp.port !== null) {
      extra ??= {};
      extra['server_port'] = hp.port;
    }
  }
  if (midWord !== null) {
    if (vhost === null) {
      vhost = midWord;
    } else {
      extra ??= {};
      extra['vhost_2'] = midWord;
    }
  }
  if (prefixExtra !== null) {
    extra ??= {};
    extra['prefix_extra'] = prefixExtra;
  }
  if (p < len) {
    extra ??= {};
    durationUs = trailingFields(line, p, extra);
  }

  const http: Mutable<HttpFields> = {
    method: null,
    path: null,
    query: null,
    protocol: null,
    status,
    bytes,
    referer,
    userAgent,
    vhost,
    durationUs,
    // an empty request is logged as `-` in the message (see below): not `requestMessage(request, status)`
    request: request.length > 0 ? request : null,
  };
  splitRequestInto(request, http);
  const event: ParsedEvent = {
    kind: 'http_request',
    time,
    host: null,
    program: null,
    pid: null,
    tid: null,
    severity: severityFromStatus(status),
    srcIp,
    srcPort: null,
    user,
    message: requestMessage(request.length === 0 ? '-' : request, status),
    http,
    extra: extra ?? EMPTY_EXTRA,
  };
  return { ok: true, event };
}

function dashNull(s: string): string | null {
  return s.length === 1 && s.charCodeAt(0) === 45 ? null : s;
}

/** [start, end) of the space-separated words of `s[from, to)`, empty words skipped. */
function wordSpans(s: string, from: number, to: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    while (i < to && s.charCodeAt(i) === 32) {
      i++;
    }
    if (i >= to) {
      break;
    }
    let j = s.indexOf(' ', i);
    if (j < 0 || j > to) {
      j = to;
    }
    out.push([i, j]);
    i = j;
  }
  return out;
}

/** Classifies the fields after the standard ones into `extra`; returns the %D duration when unambiguous. */
function trailingFields(line: string, from: number, extra: Extra): number | null {
  const len = line.length;
  let p = from;
  let ints = 0;
  let firstInt: number | null = null;
  // Raw span from the first to the last unclassified field (kept verbatim, so it is a substring).
  let rawStart = -1;
  let rawEnd = -1;
  const keep = (a: number, b: number): void => {
    if (rawStart < 0) {
      rawStart = a;
    }
    rawEnd = b;
  };
  while (p < len) {
    while (p < len && line.charCodeAt(p) === 32) {
      p++;
    }
    if (p >= len) {
      break;
    }
    if (line.charCodeAt(p) === 34) {
      const q = quotedFieldEnd(line, p + 1);
      if (q < 0) {
        keep(p, len);
        break;
      }
      const inner = line.slice(p + 1, q);
      if (inner.length === 1 && inner.charCodeAt(0) === 45) {
        // `"-"`: an absent header (typically X-Forwarded-For); nothing to keep.
      } else if (extra['xff'] === undefined && isIpList(inner)) {
        extra['xff'] = inner;
      } else {
        keep(p, q + 1);
      }
      p = q + 1;
      continue;
    }
    let e = line.indexOf(' ', p);
    if (e < 0) {
      e = len;
    }
    if (allDigits(line, p, e)) {
      ints++;
      const v = digitsValue(line, p, e);
      if (ints === 1 && v !== null) {
        firstInt = v;
        extra['trailing_int'] = v;
      } else {
        keep(p, e);
      }
    } else {
      const word = line.slice(p, e);
      if (extra['unique_id'] === undefined && looksLikeUniqueId(word, 24)) {
        extra['unique_id'] = word;
      } else {
        keep(p, e);
      }
    }
    p = e;
  }
  if (rawStart >= 0) {
    extra['trailing'] = line.slice(rawStart, rawEnd);
  }
  return ints === 1 ? firstInt : null;
}
