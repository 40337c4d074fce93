/**
 * An HTTP request's event message (`GET /a?b HTTP/1.1 (200)`, core/parsers/apache/scan.ts
 * `requestMessage`) is not stored when the row's own columns rebuild it exactly: the row keeps a small
 * code (`events.rq`: method, protocol, whether a query follows the path) and, in `events.msg`, only
 * the query (or nothing). `events.message` is a virtual column (migration 0110) that gives the text back
 * to every reader, the full-text index included. The message was about a third of an access row
 * (docs/PERFORMANCE.md, session 7).
 *
 * The two tables below are frozen: migration 0110's SQL spells them out, code for code. A method or a
 * protocol that is not in them keeps its message stored in full (rq NULL).
 */

/** Methods, code = index + 1 (the low four bits of rq). */
export const REQUEST_METHODS: readonly string[] = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PROPFIND'];
/** Protocols, code = index + 1 (bits 4-7 of rq). */
export const REQUEST_PROTOCOLS: readonly string[] = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/2', 'HTTP/3', 'HTTP/0.9'];
/** Set when a query follows the path: `msg` holds it (without its `?`). */
export const RQ_QUERY = 256;

const METHOD_CODE = new Map(REQUEST_METHODS.map((m, i) => [m, i + 1]));
const PROTOCOL_CODE = new Map(REQUEST_PROTOCOLS.map((p, i) => [p, i + 1]));

/**
 * The code of a request whose message is exactly `<method> <path>[?<query>] <protocol> (<status>)`,
 * or -1 (the message must then be stored as it is). No allocation: the parse worker calls it per line.
 *
 * `request`: the request line as logged, from a parser that guarantees message = `requestMessage(request,
 * status)` and method, path, query, protocol = `splitRequestInto(request)` (HttpFields.request). The
 * parts are then pieces of the request in order, separated by at least one character each (a space,
 * the `?`, a space), so the request is exactly `<method> <path>[?<query>] <protocol>` when its length is
 * theirs plus one per separator: the message is not read (reading it cost the parse worker about 0.5 s
 * per million lines, half of it making the concatenated message flat).
 */
export function requestCode(
  message: string,
  method: string | null,
  path: string | null,
  query: string | null,
  protocol: string | null,
  status: number | null,
  request?: string | null,
): number {
  // a safe integer prints the same in JS and in SQLite (no exponent, no rounding)
  if (method === null || path === null || protocol === null || status === null || !Number.isSafeInteger(status) || status < 0) {
    return -1;
  }
  const m = METHOD_CODE.get(method);
  const p = PROTOCOL_CODE.get(protocol);
  if (m === undefined || p === undefined) {
    return -1;
  }
  if (request !== undefined && request !== null) {
    const parts = method.length + 1 + path.length + (query === null ? 0 : 1 + query.length) + 1 + protocol.length;
    return request.length === parts ? m | (p << 4) | (query === null ? 0 : RQ_QUERY) : -1;
  }
  if (!message.startsWith(method)) {
    return -1;
  }
  let at = method.length;
  if (message.charCodeAt(at) !== 32 || !message.startsWith(path, at + 1)) {
    return -1;
  }
  at += 1 + path.length;
  let code = m | (p << 4);
  if (query !== null) {
    if (message.charCodeAt(at) !== 63 || !message.startsWith(query, at + 1)) {
      return -1;
    }
    at += 1 + query.length;
    code |= RQ_QUERY;
  }
  if (message.charCodeAt(at) !== 32 || !message.startsWith(protocol, at + 1)) {
    return -1;
  }
  at += 1 + protocol.length;
  // ` (<status>)`: the digits as SQLite prints the integer (no sign, no leading zero)
  const len = message.length;
  if (message.charCodeAt(at) !== 32 || message.charCodeAt(at + 1) !== 40 || message.charCodeAt(len - 1) !== 41) {
    return -1;
  }
  const first = at + 2;
  const last = len - 1;
  if (last <= first || last - first > 15 || (message.charCodeAt(first) === 48 && last - first > 1)) {
    return -1;
  }
  let value = 0;
  for (let i = first; i < last; i += 1) {
    const c = message.charCodeAt(i);
    if (c < 48 || c > 57) {
      return -1;
    }
    value = value * 10 + (c - 48);
  }
  return value === status ? code : -1;
}

/** The message of a row whose code is `rq` (what migration 0110's virtual column computes). */
export function requestMessageOf(rq: number, msg: string, path: string, status: number): string | null {
  const method = REQUEST_METHODS[(rq & 15) - 1];
  const protocol = REQUEST_PROTOCOLS[((rq >> 4) & 15) - 1];
  if (method === undefined || protocol === undefined) {
    return null;
  }
  return `${method} ${path}${(rq & RQ_QUERY) !== 0 ? `?${msg}` : ''} ${protocol} (${status})`;
}
