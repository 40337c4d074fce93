import { describe, expect, it } from 'vitest';
import { analyseConnections, networkOf, slowReadWorkers, tallyClients, type ConnInput, type WorkerInput } from './analysis';

let id = 0;
const w = (mode: string, ss: number | null, client: string): WorkerInput => ({ eventId: ++id, slot: `${id}-0`, pid: 1000 + id, mode, ss, client, vhost: null, request: 'GET / HTTP/1.1' });

describe('slow-read workers (seed 001)', () => {
  it('lists W and R workers whose SS is above the threshold, longest first; other modes and short ones are not', () => {
    const ws = [w('W', 301, '203.0.113.1'), w('W', 300, '203.0.113.2'), w('R', 5000, '203.0.113.3'), w('K', 9000, '203.0.113.4'), w('_', 9000, '203.0.113.5'), w('W', null, '203.0.113.6'), w('W', 12, '192.0.2.1')];
    expect(slowReadWorkers(ws, 300).map((x) => x.client)).toEqual(['203.0.113.3', '203.0.113.1']);
    expect(slowReadWorkers(ws, 10).map((x) => x.client)).toEqual(['203.0.113.3', '203.0.113.1', '203.0.113.2', '192.0.2.1']);
  });
});

describe('workers per client and per /24 (seed 002)', () => {
  it('flags an IP holding more than the threshold', () => {
    const ws = [...Array.from({ length: 6 }, () => w('W', 1, '198.51.100.23')), ...Array.from({ length: 5 }, () => w('W', 1, '192.0.2.9')), w('_', 1, '198.51.100.23')];
    const t = tallyClients(ws, 5);
    expect(t.byIp).toEqual([{ key: '198.51.100.23', count: 6, flagged: true }, { key: '192.0.2.9', count: 5, flagged: false }]);
  });

  it('flags a /24 whose hosts together exceed the threshold though none does alone', () => {
    const ws = [...Array.from({ length: 8 }, (_, i) => w('W', 900, `203.0.113.${10 + i}`)), w('W', 1, '192.0.2.1')];
    const t = tallyClients(ws, 5);
    expect(t.byIp.every((x) => !x.flagged)).toBe(true);
    expect(t.byNetwork[0]).toEqual({ key: '203.0.113.0/24', count: 8, flagged: true, members: 8 });
    expect(t.byNetwork[1]).toEqual({ key: '192.0.2.0/24', count: 1, flagged: false, members: 1 });
  });

  it('networks of IPv4 and IPv6 addresses', () => {
    expect(networkOf('10.1.2.3')).toBe('10.1.2.0/24');
    expect(networkOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(networkOf('not-an-ip')).toBeNull();
    expect(networkOf('300.1.1.1')).toBeNull();
  });
});

describe('connections (seed 004)', () => {
  const c = (state: string | null, remoteIp: string | null, localPort = '80', listen = false): ConnInput => ({ eventId: ++id, proto: 'tcp', state, remoteIp, localPort, listen });
  it('state mix, SYN_RECV flagged, per remote IP above the threshold flagged, listeners apart', () => {
    const conns = [c('LISTEN', null, '80', true), c('LISTEN', null, '22', true), ...Array.from({ length: 4 }, () => c('SYN_RECV', '198.51.100.23')), c('ESTABLISHED', '192.0.2.1', '22'), c('TIME_WAIT', '192.0.2.2')];
    const a = analyseConnections(conns, 3);
    expect(a.states).toEqual([{ key: 'SYN_RECV', count: 4, flagged: true }, { key: 'LISTEN', count: 2, flagged: false }, { key: 'ESTABLISHED', count: 1, flagged: false }, { key: 'TIME_WAIT', count: 1, flagged: false }]);
    expect(a.synRecv).toBe(4);
    expect(a.listeners).toBe(2);
    expect(a.byRemoteIp[0]).toEqual({ key: '198.51.100.23', count: 4, flagged: true });
    expect(a.byLocalPort).toEqual([{ key: '80', count: 5, flagged: false }, { key: '22', count: 1, flagged: false }]);
  });
});
