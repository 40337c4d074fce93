/**
 * Fuzzing every format of the registry (and `compileLogFormat` with random format strings):
 * parsers are total (never throw), deterministic, return plain JSON, and copy string fields from
 * the line verbatim. A time budget over pathological inputs (long runs of `[`, `"`, `%`, `\`,
 * digits, nested brackets, 1 MB lines) guards against catastrophic backtracking.
 * The format list comes from the registry, so a new format is fuzzed without touching this file.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { LineParser, ParseResult } from '../../../shared/domain/parsed';
import { compileLogFormat, NAMED_LOG_FORMATS } from './apache/index';
import { listFormats, resolveFormat, type FormatId } from './registry';

// ---------------------------------------------------------------------------------------------
// The parsers under test: every registry format; the custom LogFormat once per known format string.

const CUSTOM_FIXTURE = readFileSync(new URL('./apache/fixtures/logformat-custom.log', import.meta.url), 'utf8');
const FORENSIC_FORMAT = /^# LogFormat "(.*)" forensic$/mu.exec(CUSTOM_FIXTURE)?.[1]?.replace(/\\"/gu, '"') ?? NAMED_LOG_FORMATS.combined;

type Subject = Readonly<{ name: string; id: FormatId; parse: LineParser }>;

function subjects(): Subject[] {
  const out: Subject[] = [];
  for (const f of listFormats()) {
    if (f.id === 'apache_access_custom') {
      const formats: ReadonlyArray<readonly [string, string]> = [...Object.entries(NAMED_LOG_FORMATS), ['forensic', FORENSIC_FORMAT]];
      for (const [nick, logFormat] of formats) {
        const r = resolveFormat(f.id, { logFormat });
        if (!r.ok) {
          throw new Error(`${nick}: ${r.error}`);
        }
        out.push({ name: `${f.id}(${nick})`, id: f.id, parse: r.format.parse });
      }
      continue;
    }
    const r = resolveFormat(f.id);
    if (!r.ok) {
      throw new Error(`${f.id}: ${r.error}`);
    }
    out.push({ name: f.id, id: f.id, parse: r.format.parse });
  }
  return out;
}

const SUBJECTS = subjects();

function fixture(path: string): string[] {
  return readFileSync(new URL(path, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'));
}

const FIXTURE_LINES = [
  ...fixture('./apache/fixtures/access-variants.log'),
  ...fixture('./apache/fixtures/access-truncated.log'),
  ...fixture('./apache/fixtures/error-variants.log'),
  ...fixture('./apache/fixtures/logformat-custom.log'),
  ...fixture('./syslog/fixtures/auth-sample.log'),
  ...fixture('./syslog/fixtures/syslog-variants.log'),
  ...fixture('./fail2ban/fixtures/fail2ban-sample.log'),
  ...fixture('./text/fixtures/mixed.txt'),
  ...fixture('./strace/fixtures/strace-variants.log'),
  ...fixture('./manifest/fixtures/manifests.txt'),
  ...fixture('./bodyfile/fixtures/hostile.bodyfile'),
];

/** What an attacker writes into a log (a request line, a user name, a user agent). */
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '"><svg onload=alert(1)>',
  '</style></textarea><!--',
  '\u001b[31mred\u001b[0m',
  '\u001b]0;title\u0007',
  '\u001b]8;;http://evil.example/\u001b\\link\u001b]8;;\u001b\\',
  "=cmd|' /C calc'!A0",
  '+1+1',
  '-2+3',
  '@SUM(A1)',
  '\t=1',
  '\u202egnp.exe',
  '\u0000',
  '\ufffd\ud800',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '${jndi:ldap://x/a}',
  '\\"\\\\"',
];

const ALPHABET = fc.constantFrom(' ', '"', '\\', '[', ']', '-', ':', '/', '%', '0', '9', 'x', '(', ')', '<', '>', '=', '\t', '\u0000', '\ud800', ...PAYLOADS);

/** Valid lines with random insertions, deletions and replacements (payloads included). */
const mutatedLine = fc
  .tuple(fc.constantFrom(...FIXTURE_LINES), fc.array(fc.tuple(fc.nat(), fc.nat(12), fc.string({ unit: ALPHABET, maxLength: 4 })), { maxLength: 4 }))
  .map(([line, edits]) => {
    let s = line;
    for (const [pos, del, ins] of edits) {
      const p = pos % (s.length + 1);
      s = s.slice(0, p) + ins + s.slice(p + del);
    }
    return s;
  });

/** A fixture line with one of its space-separated tokens replaced by a payload (the line often still parses). */
const payloadLine = fc.tuple(fc.constantFrom(...FIXTURE_LINES), fc.nat(), fc.constantFrom(...PAYLOADS)).map(([line, at, payload]) => {
  const parts = line.split(' ');
  parts[at % parts.length] = payload.replace(/ /gu, '_');
  return parts.join(' ');
});

const anyLine = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: ALPHABET, maxLength: 80 }),
  mutatedLine,
  mutatedLine,
  payloadLine,
  payloadLine,
);

// ---------------------------------------------------------------------------------------------
// Checks

/** Plain JSON only: null, strings, booleans, finite numbers, arrays and plain objects, no undefined. */
function expectPlainJson(value: unknown, path = 'result'): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') {
    return;
  }
  if (typeof value === 'number') {
    expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => expectPlainJson(v, `${path}[${i}]`));
    return;
  }
  expect(typeof value, path).toBe('object');
  const proto = Object.getPrototypeOf(value) as unknown;
  expect(proto === Object.prototype || proto === null, `${path} is not a plain object`).toBe(true);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    expect(v, `${path}.${k} is undefined`).not.toBeUndefined();
    expectPlainJson(v, `${path}.${k}`);
  }
}

/**
 * String fields that must be copied from the line as written. `message` is left out for the
 * Apache formats, whose message is composed (`GET /x HTTP/1.1 (404)`).
 */
function verbatimFields(id: FormatId, r: Extract<ParseResult, { ok: true }>): Array<readonly [string, string | null]> {
  const e = r.event;
  const h = e.http;
  const fields: Array<readonly [string, string | null]> = [
    ['host', e.host],
    ['program', e.program],
    ['user', e.user],
    ['srcIp', e.srcIp],
    ['time.text', e.time?.text ?? null],
    ['http.method', h?.method ?? null],
    ['http.path', h?.path ?? null],
    ['http.query', h?.query ?? null],
    ['http.protocol', h?.protocol ?? null],
    ['http.referer', h?.referer ?? null],
    ['http.userAgent', h?.userAgent ?? null],
  ];
  // Apache and bodyfile messages are composed (`GET /x HTTP/1.1 (404)`, `m.c. /name (mode, uid, size)`).
  if (!id.startsWith('apache_') && id !== 'bodyfile') {
    fields.push(['message', e.message]);
  }
  return fields;
}

const stats = { properties: 0, acceptedLines: 0, budgetRuns: 0, megabyteLines: 0, slowest: { ms: 0, what: '' } };

function checkOne(s: Subject, line: string): void {
  const copy = `${line}`;
  let r: ParseResult;
  try {
    r = s.parse(line);
  } catch (error) {
    throw new Error(`${s.name} threw on ${JSON.stringify(line.slice(0, 200))}: ${String(error)}`, { cause: error });
  }
  expect(line).toBe(copy);
  expectPlainJson(r);
  expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  if (!r.ok) {
    expect(typeof r.reason).toBe('string');
    return;
  }
  stats.acceptedLines += 1;
  expect(typeof r.event.message).toBe('string');
  for (const [name, value] of verbatimFields(s.id, r)) {
    if (value !== null) {
      expect(line.includes(value), `${s.name}: ${name} ${JSON.stringify(value)} is not in ${JSON.stringify(line.slice(0, 300))}`).toBe(true);
    }
  }
}

afterAll(() => {
  console.info(
    `[parser-fuzz] ${SUBJECTS.length} parsers; ${stats.properties} property runs, ${stats.acceptedLines} accepted lines checked; ` +
      `${stats.budgetRuns} time-budget runs (${stats.megabyteLines} of 1 MB); slowest ${stats.slowest.ms.toFixed(1)} ms (${stats.slowest.what}); ` +
      `budget max(500 ms, 40 plain scans of the line) (${scanSink.odd > 0 ? 'scans ran' : 'no scan'})`,
  );
});

describe('parser fuzzing: every registry format', () => {
  it('covers every format the registry lists', () => {
    const ids = new Set(SUBJECTS.map((s) => s.id));
    for (const f of listFormats()) {
      expect(ids.has(f.id), f.id).toBe(true);
    }
  });

  it.each(SUBJECTS.map((s) => [s.name, s]))('%s: never throws, returns plain JSON, copies string fields verbatim, is deterministic', (_name, s) => {
    fc.assert(
      fc.property(anyLine, (line) => {
        stats.properties += 1;
        checkOne(s, line);
        expect(s.parse(line)).toEqual(s.parse(line));
      }),
      { numRuns: 1500 },
    );
  });

  it.each(SUBJECTS.map((s) => [s.name, s]))('%s: fixture lines and payload-carrying lines keep payloads as literal text', (_name, s) => {
    for (const line of FIXTURE_LINES) {
      checkOne(s, line);
    }
    fc.assert(
      fc.property(payloadLine, (line) => {
        stats.properties += 1;
        checkOne(s, line);
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// compileLogFormat with random format strings

const DIRECTIVES = [
  '%h', '%a', '%{c}a', '%A', '%l', '%u', '%t', '%r', '%s', '%>s', '%<s', '%b', '%B', '%O', '%I', '%S', '%D', '%T', '%{ms}T', '%{us}T',
  '%v', '%V', '%p', '%{remote}p', '%P', '%{tid}P', '%m', '%U', '%q', '%H', '%f', '%X', '%k', '%L', '%R', '%%',
  '%{Referer}i', '%{User-agent}i', '%{X-Forwarded-For}i', '%{Host}i', '%{Content-Type}o', '%{session}C', '%{UNIQUE_ID}e', '%{HTTPS}e', '%{note}n',
  '%{%Y-%m-%d %H:%M:%S}t', '%{sec}t', '%{msec}t', '%{usec_frac}t', '%{begin:%d/%b/%Y}t', '%400,501{User-agent}i', '%!200r',
  '%', '%{', '%{unclosed', '%Z', '%{x}Z', '%>', '%<', '%{}i', '%{%}t', '%{%%%}t',
];
const LITERALS = [' ', '"', '[', ']', ':', '-', ' - ', '"', '\\"', '\\', ' [', '] ', '\t', '|', 'x', '%%', '{', '}', '<', '>'];

const formatString = fc.array(fc.oneof(fc.constantFrom(...DIRECTIVES), fc.constantFrom(...LITERALS), fc.string({ maxLength: 3 })), { maxLength: 14 }).map((parts) => parts.join(''));

/** Values written for a directive when a line is rendered from a format. */
const VALUE_POOL: Readonly<Record<string, ReadonlyArray<string>>> = {
  ip: ['192.0.2.1', '2001:db8::1', 'host.example', '-', '<script>alert(1)</script>'],
  num: ['0', '200', '404', '65535', '-', '123456'],
  word: ['-', 'frank', 'GET', '/index.html', '"><svg onload=alert(1)>', "=cmd|' /C calc'!A0", '@SUM(A1)', '\u202e'],
  quoted: ['-', 'Mozilla/5.0 (X11)', 'say \\"hi\\"', '<img src=x onerror=alert(1)>', '\u001b[31mred'],
  time: ['[10/Oct/2000:13:55:36 -0700]'],
  request: ['GET /index.html HTTP/1.1', 'POST /a?b=<script> HTTP/1.0', '-', '\\x16\\x03\\x01'],
};

function poolFor(directive: string): ReadonlyArray<string> {
  const letter = directive.at(-1) ?? '';
  if (directive === '%t') {
    return VALUE_POOL['time'] ?? [];
  }
  if ('haA'.includes(letter)) {
    return VALUE_POOL['ip'] ?? [];
  }
  if ('sbBOISDTpPk'.includes(letter)) {
    return VALUE_POOL['num'] ?? [];
  }
  if (letter === 'r') {
    return VALUE_POOL['request'] ?? [];
  }
  if ('io'.includes(letter)) {
    return VALUE_POOL['quoted'] ?? [];
  }
  return VALUE_POOL['word'] ?? [];
}

/** A format of renderable directives, and a line rendered from it with random values. */
const RENDERABLE = ['%h', '%a', '%l', '%u', '%t', '%r', '%>s', '%b', '%D', '%v', '%p', '%m', '%U', '%H', '%{Referer}i', '%{User-agent}i', '%{X-Forwarded-For}i'];
const rendered = fc
  .array(fc.tuple(fc.constantFrom(...RENDERABLE), fc.boolean(), fc.nat()), { minLength: 1, maxLength: 10 })
  .map((parts) => {
    let format = '';
    let line = '';
    parts.forEach(([directive, quoted, pick], i) => {
      const pool = poolFor(directive);
      const value = pool[pick % pool.length] ?? '-';
      const sep = i === 0 ? '' : ' ';
      format += quoted ? `${sep}"${directive}"` : `${sep}${directive}`;
      line += quoted ? `${sep}"${value}"` : `${sep}${value.replace(/ /gu, '_')}`;
    });
    return { format, line };
  });

describe('compileLogFormat fuzzing', () => {
  it('random format strings: compiling never throws; compiled parsers never throw', () => {
    fc.assert(
      fc.property(formatString, fc.array(anyLine, { maxLength: 5 }), (format, lines) => {
        stats.properties += 1;
        const compiled = compileLogFormat(format);
        expectPlainJson(compiled.ok ? { fields: compiled.fields } : compiled);
        if (!compiled.ok) {
          expect(compiled.error.length).toBeGreaterThan(0);
          return;
        }
        const s: Subject = { name: `apache_access_custom(${format})`, id: 'apache_access_custom', parse: compiled.parser };
        for (const l of lines) {
          checkOne(s, l);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('lines rendered from a random format: parsed without throwing, string fields copied verbatim', () => {
    let accepted = 0;
    fc.assert(
      fc.property(rendered, ({ format, line }) => {
        stats.properties += 1;
        const compiled = compileLogFormat(format);
        expect(compiled.ok, format).toBe(true);
        if (!compiled.ok) {
          return;
        }
        const s: Subject = { name: `apache_access_custom(${format})`, id: 'apache_access_custom', parse: compiled.parser };
        checkOne(s, line);
        if (compiled.parser(line).ok) {
          accepted += 1;
        }
      }),
      { numRuns: 2000 },
    );
    // Most rendered lines parse: the generator is not just producing noise.
    expect(accepted).toBeGreaterThan(1000);
  });
});

// ---------------------------------------------------------------------------------------------
// Time budget: no catastrophic backtracking

const MB = 1024 * 1024;

const scanSink = { odd: 0 };

/**
 * How long one plain pass over the line takes here and now: the unit the budget scales with, so a
 * machine shared by many jobs (8x slower under load, measured) does not fail a linear parser, while
 * backtracking (minutes on 1 MB) still fails by orders of magnitude.
 */
function linearScanMs(line: string): number {
  const t0 = performance.now();
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    n += line.charCodeAt(i) & 1;
  }
  scanSink.odd += n;
  return performance.now() - t0;
}

function fill(unit: string, size: number): string {
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}

/** Pathological line builders, by size. */
const PATHOLOGICAL: ReadonlyArray<readonly [string, (n: number) => string]> = [
  ['[ run', (n) => fill('[', n)],
  ['" run', (n) => fill('"', n)],
  ['space run', (n) => fill(' ', n)],
  ['% run', (n) => fill('%', n)],
  ['backslash run', (n) => fill('\\', n)],
  ['digit run', (n) => fill('9', n)],
  [': run', (n) => fill(':', n)],
  ['tab run', (n) => fill('\t', n)],
  ['A run', (n) => fill('A', n)],
  ['nested brackets', (n) => `${fill('[', n / 2)}${fill(']', n / 2)}`],
  ['repeated "] ["', (n) => fill('] [', n)],
  ['repeated "[a] "', (n) => fill('[a] ', n)],
  ['escaped quotes', (n) => `"${fill('\\"', n)}`],
  ['quote space', (n) => fill('" ', n)],
  ['digits and dots', (n) => fill('1.', n)],
  ['digits and colons', (n) => fill('1:', n)],
  ['ip-like', (n) => fill('192.0.2.1 ', n)],
  ['apache prefix then quotes', (n) => `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "${fill('" ', n)}`],
  ['apache prefix then brackets', (n) => `192.0.2.1 - - [${fill('[', n)}`],
  ['apache request then junk', (n) => `192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET /${fill('a ', n)} HTTP/1.1" 200 1`],
  ['error log prefix then brackets', (n) => `[Sun May 05 13:42:45 2010] ${fill('[error] ', n)}`],
  ['error log client repeated', (n) => `[Sun May 05 13:42:45 2010] [error] ${fill('[client 192.0.2.1:1] ', n)}`],
  ['syslog prefix then brackets', (n) => `May  5 13:40:01 web1 sshd${fill('[1', n)}`],
  ['syslog pri then junk', (n) => `<34>1 ${fill('[a="', n)}`],
  ['syslog structured data', (n) => `<165>1 2003-08-24T05:14:15.000003-07:00 h p 1 - ${fill('[x@1 a="\\]" ', n)}`],
  ['auth Failed password repeated', (n) => `May  5 13:40:01 web1 sshd[1]: ${fill('Failed password for invalid user from ', n)}`],
  ['fail2ban prefix then junk', (n) => `2024-05-05 13:40:00,001 fail2ban.actions [1234]: NOTICE [sshd] ${fill('Ban ', n)}`],
  ['timestamps repeated', (n) => fill('2024-05-05T13:42:45.123Z ', n)],
  ['dates without times', (n) => fill('2024-05-05 ', n)],
  ['percent escapes', (n) => fill('%{', n)],
];

const FORMAT_SUBJECTS: ReadonlyArray<readonly [string, string]> = [
  ['random-ish 1', '%h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" %D'],
  ['adjacent fields', '%h%l%u%t%r%s%b'],
  ['quoted everything', '"%h" "%u" "%r" "%{User-agent}i" "%{Referer}i"'],
  ['brackets', '[%h] [%u] [%t] [%r]'],
];

describe('time budget over pathological lines (a guard against catastrophic backtracking, not a benchmark)', () => {
  const budgetSubjects: Subject[] = [
    ...SUBJECTS,
    ...FORMAT_SUBJECTS.map(([name, format]): Subject => {
      const c = compileLogFormat(format);
      if (!c.ok) {
        throw new Error(c.error);
      }
      return { name: `apache_access_custom(${name})`, id: 'apache_access_custom', parse: c.parser };
    }),
  ];

  it.each(budgetSubjects.map((s) => [s.name, s]))('%s: 16 KB, 128 KB and 1 MB pathological lines each parse in well under 500 ms', (_name, s) => {
    for (const [label, build] of PATHOLOGICAL) {
      for (const size of [16 * 1024, 128 * 1024, MB]) {
        const line = build(size);
        const t0 = performance.now();
        let r: ParseResult;
        try {
          r = s.parse(line);
        } catch (error) {
          throw new Error(`${s.name} threw on ${label} (${size} chars): ${String(error)}`, { cause: error });
        }
        const ms = performance.now() - t0;
        stats.budgetRuns += 1;
        if (size === MB) {
          stats.megabyteLines += 1;
        }
        if (ms > stats.slowest.ms) {
          stats.slowest = { ms, what: `${s.name}, ${label}, ${size} chars` };
        }
        expect(typeof r.ok).toBe('boolean');
        // Generous: a linear parser takes a few ms for 1 MB; backtracking takes minutes.
        const scan = linearScanMs(line);
        expect(ms, `${s.name}: ${label} at ${size} chars took ${ms.toFixed(1)} ms (one plain scan: ${scan.toFixed(1)} ms)`).toBeLessThan(Math.max(500, 40 * scan));
        if (size < MB && ms > Math.max(150, 40 * scan)) {
          // Superlinear at 128 KB: a 1 MB line could take far too long to wait for. Fail now.
          throw new Error(`${s.name}: ${label} at ${size} chars already took ${ms.toFixed(1)} ms`);
        }
      }
    }
  });
});
