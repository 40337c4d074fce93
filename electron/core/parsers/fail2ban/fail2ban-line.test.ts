import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { parseFail2banLine } from './fail2ban-line';
import { fail2banFormat, sniffScore } from './index';

const lines = readFileSync(new URL('./fixtures/fail2ban-sample.log', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l !== '');

function ok(line: string): ParsedEvent {
  const r = parseFail2banLine(line);
  if (!r.ok) {
    throw new Error(`expected a parse: ${r.reason} — ${line}`);
  }
  return r.event;
}

describe('parseFail2banLine', () => {
  const ev = lines.map(ok);
  it('classifies every fixture line', () => {
    expect(ev.map((e) => [e.kind, e.extra['action']])).toEqual([
      ['f2b_other', null],
      ['f2b_other', null],
      ['f2b_jail', 'jail_started'],
      ['f2b_found', 'found'],
      ['f2b_found', 'found'],
      ['f2b_ban', 'ban'],
      ['f2b_already_banned', 'already_banned'],
      ['f2b_unban', 'unban'],
      ['f2b_restore_ban', 'restore_ban'],
      ['f2b_ban', 'ban'],
      ['f2b_jail', 'jail_stopped'],
      ['f2b_ban', 'ban'],
      ['f2b_ban', 'ban'],
      ['f2b_other', null],
    ]);
  });

  it('reads local time with milliseconds, logger, pid, level, jail and ip', () => {
    const e = ev[5];
    expect(e?.time).toEqual({ kind: 'local', year: 2024, month: 5, day: 5, hour: 13, minute: 41, second: 15, millis: 123, text: '2024-05-05 13:41:15,123' });
    expect(e).toMatchObject({ program: 'fail2ban.actions', pid: 1234, severity: 'notice', srcIp: '203.0.113.9', message: 'NOTICE  [sshd] Ban 203.0.113.9' });
    expect(e?.extra['jail']).toBe('sshd');
    expect(ev[3]?.extra['found_time']).toBe('2024-05-05 13:41:12');
    expect(ev[8]?.srcIp).toBe('2001:db8::7');
    expect(ev[9]?.severity).toBe('warn');
    expect(ev[11]).toMatchObject({ pid: null, srcIp: '1.2.3.4' });
    expect(ev[12]?.pid).toBe(123);
    expect(ev[13]?.severity).toBe('error');
    expect(ev[2]?.extra['jail']).toBe('sshd');
  });

  it('rejects non-fail2ban lines', () => {
    expect(parseFail2banLine('May  5 13:42:45 host prog[1]: x').ok).toBe(false);
    expect(parseFail2banLine('2024-05-05 13:42:45,123 nginx: x').ok).toBe(false);
    expect(parseFail2banLine('2024-05-05 13:42:45,123 fail2ban.actions [12x]: x').ok).toBe(false);
    expect(parseFail2banLine('').ok).toBe(false);
  });

  it('keeps hostile content verbatim', () => {
    const e = ok('2024-05-05 13:42:45,123 fail2ban.actions [1]: NOTICE [<script>=cmd|x] Ban 1.2.3.4 \u001b[0m\u0000');
    expect(e.extra['jail']).toBe('<script>=cmd|x');
    expect(e.srcIp).toBe('1.2.3.4');
  });

  it('sniffs', () => {
    expect(sniffScore(lines)).toBe(1);
    expect(fail2banFormat.sniffScore(['May  5 13:42:45 host prog[1]: x'])).toBe(0);
    expect(fail2banFormat).toMatchObject({ id: 'fail2ban', sourceKind: 'fail2ban' });
  });

  it('never throws; fields are substrings', () => {
    const mutated = fc
      .tuple(fc.constantFrom(...lines), fc.nat(), fc.nat(8), fc.string({ unit: 'binary', maxLength: 10 }))
      .map(([l, pos, del, ins]) => {
        const p = pos % (l.length + 1);
        return l.slice(0, p) + ins + l.slice(p + del);
      });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mutated), (line) => {
        const r = parseFail2banLine(line);
        if (r.ok) {
          for (const v of [r.event.program, r.event.srcIp, r.event.message, r.event.time?.text ?? null, r.event.extra['jail'] ?? null]) {
            if (typeof v === 'string') {
              expect(line).toContain(v);
            }
          }
        }
      }),
      { numRuns: 2000 },
    );
  });
});
