/**
 * What a line parser returns. Parsers are pure and total: they never throw on content.
 * Time is returned as it was *written* (wall clock text and fields); turning it into UTC
 * (zone, clock offset, year inference) is the job of electron/core/time, which records provenance.
 */

/** The families of sources Dossier understands. Stored in the case file: never rename a value. */
export const SOURCE_KINDS = [
  'apache_access',
  'apache_error',
  'syslog',
  'auth',
  'fail2ban',
  'text',
  // host-state captures (server-status, netstat/ss, ps, top)
  'server_status',
  'netstat',
  'ps',
  'top',
  // files and processes (strace output, hash manifests, Sleuth Kit bodyfiles)
  'strace',
  'hash_manifest',
  'bodyfile',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Syslog severities (RFC 5424 order), used for every source. */
export const SEVERITIES = ['emerg', 'alert', 'crit', 'error', 'warn', 'notice', 'info', 'debug'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * A timestamp as written in the line.
 * - `absolute`: the text carried its own UTC offset (e.g. `10/Oct/2000:13:55:36 -0700`, ISO with Z/offset,
 *   epoch seconds); `epochMs` is exact UTC.
 * - `local`: a wall-clock time without offset (`[Sun May 05 13:42:45 2010]`, `May  5 13:42:45`). The
 *   time resolver applies the evidence's zone and, when `year` is null, infers the year.
 */
export type ParsedTime =
  | Readonly<{
      kind: 'absolute';
      epochMs: number;
      /** UTC offset written in the text, in minutes east of UTC (null for epoch values). */
      offsetMinutes: number | null;
      text: string;
    }>
  | Readonly<{
      kind: 'local';
      year: number | null;
      /** 1-12 */
      month: number;
      day: number;
      hour: number;
      minute: number;
      second: number;
      /** Fraction of the second in milliseconds (0-999.999...), 0 when absent. */
      millis: number;
      text: string;
    }>
  | Readonly<{
      /**
       * A time of day without any date (strace -t/-tt): the ingest takes the date from the file's
       * modification time in the evidence's zone, rolls it over at midnight jumps, and flags the event
       * `DateInferred` (the evidence's year_reason says where the date came from).
       */
      kind: 'time_of_day';
      hour: number;
      minute: number;
      second: number;
      millis: number;
      text: string;
    }>;

/** HTTP fields of an access-log line (and of error-log lines that name a request). */
export type HttpFields = Readonly<{
  method: string | null;
  /** Path without the query string, exactly as logged (still percent-encoded). */
  path: string | null;
  query: string | null;
  protocol: string | null;
  status: number | null;
  bytes: number | null;
  referer: string | null;
  userAgent: string | null;
  vhost: string | null;
  /** Request time in microseconds when logged (%D), or derived from %T. */
  durationUs: number | null;
  /**
   * The request line as logged (`%r`), given only when the event's message is
   * `requestMessage(request, status)` and method, path, query and protocol are `splitRequestInto(request)`
   * (core/parsers/apache/scan.ts): the ingest then knows whether the row rebuilds the message from
   * lengths alone, without reading it (electron/db/request-message.ts).
   */
  request?: string | null;
}>;

/** A string-keyed bag of further parsed fields (e.g. `unique_id`, `ah_code`, `sudo_command`). */
export type ExtraFields = Readonly<Record<string, string | number | boolean | null>>;

/** A line the parser understood. Every property except `message` is optional information. */
export type ParsedEvent = Readonly<{
  /** A fine-grained kind, e.g. `http_request`, `apache_error`, `sshd_failed`, `sudo_command`, `f2b_ban`. */
  kind: string;
  time: ParsedTime | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  tid: number | null;
  severity: Severity | null;
  srcIp: string | null;
  srcPort: number | null;
  user: string | null;
  /** The human-readable message (for syslog: the text after `program[pid]: `). */
  message: string;
  http: HttpFields | null;
  extra: ExtraFields;
  /**
   * Further times of the same line (a bodyfile entry's MACB times): each becomes one more event row
   * of the same line, with the fields above, its own time and message, and `extra` merged over the
   * line's. The raw bytes are stored once; the evidence counts one line and one event per row.
   */
  moreTimes?: ReadonlyArray<MoreTime>;
}>;

/** One further time of a line (see ParsedEvent.moreTimes). */
export type MoreTime = Readonly<{ time: ParsedTime; message: string; extra: ExtraFields }>;

export type ParseResult =
  | Readonly<{ ok: true; event: ParsedEvent }>
  | Readonly<{ ok: false; reason: string }>;

/** A line parser: a pure, total function from one decoded line (without its line ending) to a result. */
export type LineParser = (line: string) => ParseResult;

/** Convenience: an event with every optional field empty. */
export function emptyEvent(kind: string, message: string): ParsedEvent {
  return {
    kind,
    time: null,
    host: null,
    program: null,
    pid: null,
    tid: null,
    severity: null,
    srcIp: null,
    srcPort: null,
    user: null,
    message,
    http: null,
    extra: {},
  };
}
