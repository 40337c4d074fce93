import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParseResult } from '../../../../shared/domain/parsed';
import { type ConformanceFileResult, type ConformanceMiss, corpusDir, corpusFile, recordConformance } from '../../../testing/corpus';
import { inferYears } from '../../time';
import { parseFail2banLine } from '../fail2ban/fail2ban-line';
import { parseSyslogLine } from './syslog-line';
import { checkAnnotatedFile, parseCsv } from './testing/fail2ban-annotations';

const corpus = corpusDir();
const readText = (rel: string): string => readFileSync(corpusFile(rel), 'utf8');
if (corpus === null) {
  console.warn('[conformance:syslog] corpus not found (../shared/corpus or $DOSSIER_CORPUS): skipping');
}

/** syslog first, then fail2ban.log (recidive mixes both). */
function parseAny(line: string): ParseResult {
  const r = parseSyslogLine(line);
  if (r.ok) {
    return r;
  }
  const f = parseFail2banLine(line);
  return f.ok ? f : r;
}

const ANNOTATED = ['sshd', 'pam-generic', 'dropbear', 'zzz-generic-example', 'xinetd-fail', 'suhosin'];

describe.skipIf(corpus === null)('syslog conformance', () => {
  it('fail2ban failJSON annotations (time as Europe/Zurich wall clock, host = attacker address)', () => {
    const results = ANNOTATED.map((f) => checkAnnotatedFile(`fail2ban/logs/${f}`, readFileSync(corpusFile(`fail2ban/logs/${f}`), 'utf8'), parseAny));
    recordConformance('syslog-fail2ban-annotations', results);
    const lines = results.reduce((a, r) => a + r.lines, 0);
    const matched = results.reduce((a, r) => a + r.matched, 0);
    const times = results.reduce((a, r) => a + r.checkedTime, 0);
    const hosts = results.reduce((a, r) => a + r.checkedHost, 0);
    console.log(`[conformance:syslog] failJSON total: ${matched}/${lines} = ${((100 * matched) / lines).toFixed(1)}% (${times} times, ${hosts} hosts checked)`);
    expect(matched / lines).toBeGreaterThanOrEqual(0.98);
  });

  it('FreeBSD syslog samples (no annotations: every line parses with host, program, pid and an address)', () => {
    const results: ConformanceFileResult[] = ['syslog-plain.txt', 'syslog-v.txt', 'syslog-vv.txt'].map((f) => {
      const lines = readFileSync(corpusFile(`fail2ban/logs/bsd/${f}`), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const misses: ConformanceMiss[] = [];
      lines.forEach((l, i) => {
        const r = parseSyslogLine(l);
        const good = r.ok && r.event.host === 'pancake' && r.event.program === 'sshd' && r.event.pid !== null && (r.event.srcIp !== null || r.event.extra['remote_host'] !== undefined);
        if (!good) {
          misses.push({ line: i + 1, expected: 'host pancake, sshd[pid], address', actual: JSON.stringify(r), why: 'unexpected shape' });
        }
      });
      return { file: `fail2ban/logs/bsd/${f}`, lines: lines.length, matched: lines.length - misses.length, mismatched: misses.length, misses };
    });
    recordConformance('syslog-bsd', results);
    for (const r of results) {
      expect(r.mismatched).toBe(0);
    }
  });

  it('loghub OpenSSH and Linux structured CSVs (month/day/time and pid must match 100%)', () => {
    const results: ConformanceFileResult[] = [];
    const kindsByTemplate = new Map<string, Map<string, number>>();
    // OpenSSH: LineId,Date,Day,Time,Component,Pid,Content,EventId,EventTemplate
    {
      const rows = parseCsv(readText('loghub/OpenSSH/OpenSSH_2k.log_structured.csv')).slice(1);
      const misses: ConformanceMiss[] = [];
      let parsed = 0;
      for (const [id = '', month = '', day = '', time = '', host = '', pid = '', content = '', eventId = ''] of rows) {
        const line = `${month} ${day.padStart(2, ' ')} ${time} ${host} sshd[${pid}]: ${content}`;
        const r = parseSyslogLine(line);
        if (!r.ok) {
          misses.push({ line: Number(id), expected: 'a parse', actual: r.reason, why: 'not parsed' });
          continue;
        }
        parsed++;
        const e = r.event;
        const t = e.time;
        const gotStamp = t?.kind === 'local' ? `${t.month}/${t.day} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}:${String(t.second).padStart(2, '0')}` : 'none';
        const wantStamp = `${month === 'Dec' ? 12 : month === 'Jan' ? 1 : month}/${Number(day)} ${time}`;
        if (gotStamp !== wantStamp || e.pid !== Number(pid) || e.host !== host || e.program !== 'sshd' || e.message !== content.trimEnd()) {
          misses.push({ line: Number(id), expected: `${wantStamp} pid ${pid} ${content}`, actual: `${gotStamp} pid ${e.pid} ${e.message}`, why: 'field mismatch' });
        }
        const m = kindsByTemplate.get(`OpenSSH ${eventId}`) ?? new Map<string, number>();
        m.set(e.kind, (m.get(e.kind) ?? 0) + 1);
        kindsByTemplate.set(`OpenSSH ${eventId}`, m);
      }
      results.push({ file: 'loghub/OpenSSH/OpenSSH_2k.log_structured.csv', lines: rows.length, matched: rows.length - misses.length, mismatched: misses.length, misses });
      expect(parsed).toBe(rows.length);
    }
    // Linux: LineId,Month,Date,Time,Level(=host),Component,PID,Content,EventId,EventTemplate
    {
      const rows = parseCsv(readText('loghub/Linux/Linux_2k.log_structured.csv')).slice(1);
      const months: Record<string, number> = { Jun: 6, Jul: 7 };
      const misses: ConformanceMiss[] = [];
      for (const [id = '', month = '', day = '', time = '', host = '', component = '', pid = '', content = '', eventId = ''] of rows) {
        const line = `${month} ${day.padStart(2, ' ')} ${time} ${host} ${component}${pid === '' ? '' : `[${pid}]`}: ${content}`;
        const r = parseSyslogLine(line);
        if (!r.ok) {
          misses.push({ line: Number(id), expected: 'a parse', actual: r.reason, why: 'not parsed' });
          continue;
        }
        const e = r.event;
        const t = e.time;
        const okStamp = t?.kind === 'local' && t.month === months[month] && t.day === Number(day) && `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}:${String(t.second).padStart(2, '0')}` === time;
        const tag = e.extra['program_tag'];
        const prog = `${e.program ?? ''}${typeof tag === 'string' ? `(${tag})` : ''}`;
        const wantPid = pid === '' ? null : Number(pid);
        // the kernel uptime prefix `[  1.23]` is moved to extra.kernel_time; compare the rest
        const kt = e.extra['kernel_time'];
        const msgOk = e.message === content.trim() || (typeof kt === 'number' && content.trim().endsWith(e.message));
        if (!okStamp || e.pid !== wantPid || e.host !== host || prog !== component || !msgOk) {
          misses.push({
            line: Number(id),
            expected: `${month} ${day} ${time} ${host} ${component}[${pid}] ${content}`,
            actual: `${JSON.stringify(t)} ${e.host} ${prog}[${e.pid}] ${e.message}`,
            why: 'field mismatch',
          });
        }
        const m = kindsByTemplate.get(`Linux ${eventId}`) ?? new Map<string, number>();
        m.set(e.kind, (m.get(e.kind) ?? 0) + 1);
        kindsByTemplate.set(`Linux ${eventId}`, m);
      }
      results.push({ file: 'loghub/Linux/Linux_2k.log_structured.csv', lines: rows.length, matched: rows.length - misses.length, mismatched: misses.length, misses });
    }
    recordConformance('syslog-loghub', results);
    const auth = [...kindsByTemplate.entries()].filter(([k]) => k.startsWith('OpenSSH')).map(([k, v]) => `${k}: ${[...v.keys()].join('/')}`);
    console.log(`[conformance:syslog] OpenSSH template → kinds\n  ${auth.join('\n  ')}`);
    for (const r of results) {
      expect(r.mismatched).toBe(0);
    }
  });

  it('plaso syslog event counts', () => {
    const expected: Record<string, number | null> = {
      syslog: 16,
      syslog_chromeos: 8,
      syslog_osx: 2,
      syslog_rsyslog: 5,
      syslog_rsyslog_SyslogProtocol23Format: 9,
      syslog_rsyslog_SysklogdFileFormat: 9,
      syslog_rsyslog_traditional: 8,
      syslog_rsyslog_ForwardFormat: null,
      syslog_rsyslog_TraditionalForwardFormat: null,
    };
    const results: ConformanceFileResult[] = [];
    for (const [f, want] of Object.entries(expected)) {
      const path = corpusFile(`plaso/syslog/${f}`);
      if (!existsSync(path)) {
        continue;
      }
      const lines = readFileSync(path, 'utf8').split('\n');
      if (lines[lines.length - 1] === '') {
        lines.pop();
      }
      const parsed = lines.map(parseSyslogLine);
      const events = parsed.filter((r) => r.ok).length;
      const misses: ConformanceMiss[] = [];
      parsed.forEach((r, i) => {
        if (!r.ok) {
          misses.push({ line: i + 1, expected: 'event or continuation', actual: r.reason, why: /^\s/.test(lines[i] ?? '') || !/^[<A-Z\d[]/.test(lines[i] ?? '') ? 'continuation line (joined to the previous event by the ingest)' : 'rejected line (plaso: extraction warning)' });
        }
      });
      console.log(`[conformance:syslog] plaso ${f}: ${events} events (plaso ${want ?? 'no count test'}), ${lines.length - events} lines not events`);
      results.push({ file: `plaso/syslog/${f}`, lines: lines.length, matched: events, mismatched: want === null ? 0 : Math.abs(events - want), misses });
      if (want !== null) {
        expect(events).toBe(want);
      }
    }
    // plaso's year rollover in `syslog`: Jan … Feb … Dec → Mar increments the year (event "0001-03-23").
    const months: number[] = [];
    for (const l of readFileSync(corpusFile('plaso/syslog/syslog'), 'utf8').split('\n')) {
      const r = parseSyslogLine(l);
      if (r.ok && r.event.time?.kind === 'local') {
        months.push(r.event.time.month);
      }
    }
    const inferred = inferYears(months, { year: 1 });
    const marIdx = months.indexOf(3);
    console.log(`[conformance:syslog] plaso syslog months ${months.join(',')} → relative years ${inferred.years.map((y) => y - inferred.baseYear).join(',')}`);
    expect((inferred.years[marIdx] ?? 0) - inferred.baseYear).toBe(1);
    recordConformance('syslog-plaso', results);
  });

  it('jc syslog-3164 / syslog-5424 expected JSON', () => {
    const results: ConformanceFileResult[] = [];
    for (const kind of ['3164', '5424'] as const) {
      const out = readFileSync(corpusFile(`jc/generic/syslog-${kind}.out`), 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      const want = JSON.parse(readFileSync(corpusFile(`jc/generic/syslog-${kind}.json`), 'utf8')) as Array<Record<string, unknown>>;
      const misses: ConformanceMiss[] = [];
      out.forEach((line, i) => {
        const w = want[i] ?? {};
        const r = parseSyslogLine(line);
        if ('unparsable' in w) {
          if (r.ok) {
            misses.push({ line: i + 1, expected: 'unparsable', actual: 'parsed', why: 'jc rejects, we accept' });
          }
          return;
        }
        if (!r.ok) {
          misses.push({ line: i + 1, expected: JSON.stringify(w), actual: r.reason, why: 'not parsed' });
          return;
        }
        const e = r.event;
        const diffs: string[] = [];
        const eq = (name: string, a: unknown, b: unknown) => {
          if ((a ?? null) !== (b ?? null)) {
            diffs.push(`${name}: ${String(a)} ≠ ${String(b)}`);
          }
        };
        eq('priority', e.extra['pri'], w['priority']);
        eq('hostname', e.host, w['hostname']);
        if (kind === '3164') {
          eq('date', e.time?.text, w['date']);
          eq('tag', e.program, w['tag']);
          // jc keeps `[pid]: ` / `(tag)[pid]: ` in its content
          const content = String(w['content'] ?? '').replace(/^(?:\([^)]*\))?(?:\[\d+\])?: /, '');
          eq('content', e.message, content === '' ? null : content);
        } else {
          eq('version', e.extra['version'], w['version']);
          eq('timestamp', e.time?.text, w['timestamp']);
          eq('appname', e.program, w['appname']);
          eq('proc_id', e.pid, w['proc_id']);
          eq('msg_id', e.extra['msgid'], w['msg_id']);
          eq('message', e.message === '' ? null : e.message, w['message']);
          eq('structured_data', e.extra['structured_data'] !== undefined, w['structured_data'] !== null && w['structured_data'] !== undefined);
        }
        if (diffs.length > 0) {
          misses.push({ line: i + 1, expected: JSON.stringify(w).slice(0, 160), actual: diffs.join('; '), why: 'field mismatch' });
        }
      });
      results.push({ file: `jc/generic/syslog-${kind}.out`, lines: out.length, matched: out.length - misses.length, mismatched: misses.length, misses });
    }
    recordConformance('syslog-jc', results);
    for (const r of results) {
      expect(r.mismatched).toBe(0);
    }
  });

  it('lnav syslog samples parse (continuations and headers excepted)', () => {
    const files = [
      'logfile_syslog.0',
      'logfile_syslog.1',
      'logfile_syslog.2',
      'logfile_syslog.3',
      'logfile_syslog_fr.0',
      'logfile_syslog_with_access_log.0',
      'logfile_syslog_with_header.0',
      'logfile_syslog_with_mixed_times.0',
    ];
    const results: ConformanceFileResult[] = files.map((f) => {
      const lines = readFileSync(corpusFile(`lnav/${f}`), 'utf8')
        .split('\n')
        .filter((l) => l !== '');
      const misses: ConformanceMiss[] = [];
      lines.forEach((l, i) => {
        const r = parseSyslogLine(l);
        const continuation = /^\s/.test(l) || /^Header\d: /.test(l);
        if (r.ok === continuation) {
          misses.push({ line: i + 1, expected: continuation ? 'rejected' : 'parsed', actual: r.ok ? 'parsed' : r.reason, why: 'shape' });
        }
      });
      return { file: `lnav/${f}`, lines: lines.length, matched: lines.length - misses.length, mismatched: misses.length, misses };
    });
    recordConformance('syslog-lnav', results);
    for (const r of results) {
      expect(r.mismatched).toBe(0);
    }
  });
});
