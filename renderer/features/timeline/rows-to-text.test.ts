import { describe, expect, it } from 'vitest';
import type { TimelineRow } from '../../../shared/domain/timeline';
import { neutraliseCell, rowsToCsv, rowsToTsv } from './rows-to-text';

const row: TimelineRow = {
  id: 1, ts: Date.UTC(2024, 2, 16, 1, 0, 0, 5), evidenceId: 1, evidencePath: 'var/log/auth.log', sourceKind: 'auth', lineNo: 3, kind: 'ssh_failed',
  severity: 'warn', host: 'shop', program: 'sshd', pid: 7000, srcIp: '203.0.113.45', user: '=cmd|calc', method: null, path: null, status: null,
  message: 'a "quoted",\tmessage\nwith lines', flags: 0, tagIds: [], starred: true, comments: 0,
};

describe('rows to text', () => {
  it('neutralises formula-like cells', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1");
    expect(neutraliseCell('+1')).toBe("'+1");
    expect(neutraliseCell('-1')).toBe("'-1");
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell('plain')).toBe('plain');
  });
  it('copies TSV with a header, the display zone, and no tabs or breaks inside cells', () => {
    const text = rowsToTsv([row], ['marks', 'time', 'user', 'message'], 'Europe/Berlin');
    expect(text).toBe("Time\tUser\tMessage\n2024-03-16 02:00:00.005\t'=cmd|calc\ta \"quoted\", message with lines\n");
  });
  it('copies RFC 4180 CSV', () => {
    const text = rowsToCsv([row], ['time', 'program', 'user', 'message'], 'UTC');
    expect(text).toBe('Time,Program / kind,User,Message\r\n2024-03-16 01:00:00.005,sshd (ssh_failed),\'=cmd|calc,"a ""quoted"",\tmessage\nwith lines"\r\n');
  });
});
