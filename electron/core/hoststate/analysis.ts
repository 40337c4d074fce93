/**
 * Host-state analysis over a capture's rows (pure): the slow-read sign of seed 001 (workers in W/R
 * for longer than the server's Timeout), seed 002's tally of workers per client IP and per /24 with a
 * threshold, and netstat's connections per remote IP / local port with SYN_RECV and outliers flagged.
 */

export type WorkerInput = Readonly<{ eventId: number; slot: string; pid: number | null; mode: string; ss: number | null; client: string; vhost: string | null; request: string }>;

/** Modes in which a worker holds a connection (`_` waiting, `.` open slot and `I` idle cleanup do not). */
export function holdsConnection(mode: string): boolean {
  return mode !== '_' && mode !== '.' && mode !== 'I' && mode !== '?';
}

/** Workers reading (R) or writing (W) for longer than `thresholdSeconds`, longest first. */
export function slowReadWorkers<T extends WorkerInput>(workers: ReadonlyArray<T>, thresholdSeconds: number): T[] {
  return workers.filter((w) => (w.mode === 'W' || w.mode === 'R') && w.ss !== null && w.ss > thresholdSeconds).sort((a, b) => (b.ss ?? 0) - (a.ss ?? 0));
}

/** The /24 (IPv4) or /64 (IPv6) network of an address, or null when it is not an address. */
export function networkOf(ip: string): string | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/u.exec(ip);
  if (v4 !== null) {
    return [v4[1], v4[2], v4[3]].some((o) => Number(o) > 255) ? null : `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  }
  if (ip.includes(':') && /^[0-9a-f:]+$/iu.test(ip)) {
    const halves = ip.toLowerCase().split('::');
    if (halves.length > 2) {
      return null;
    }
    const head = (halves[0] ?? '').split(':').filter((g) => g !== '');
    const tail = halves.length === 2 ? (halves[1] ?? '').split(':').filter((g) => g !== '') : [];
    const groups = halves.length === 2 ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
    if (groups.length !== 8) {
      return null;
    }
    return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/u, '')).join(':')}::/64`;
  }
  return null;
}

export type Tally = Readonly<{ key: string; count: number; flagged: boolean; members?: number }>;

export type ClientTally = Readonly<{
  /** Per client address: how many workers it holds (busy modes). */
  byIp: Tally[];
  /** Per /24 (IPv4) or /64 (IPv6): the workers of all its addresses together; `members` = addresses. */
  byNetwork: Tally[];
  threshold: number;
}>;

/**
 * Seed 002's tally: workers holding a connection per client IP and per /24. An IP holding more than
 * `threshold` workers is flagged, and so is a /24 whose addresses together hold more than it (even
 * when none of them does alone: the many-addresses attacker the seed warns about).
 */
export function tallyClients(workers: ReadonlyArray<WorkerInput>, threshold: number, busyOnly = true): ClientTally {
  const ip = new Map<string, number>();
  const net = new Map<string, { count: number; members: Set<string> }>();
  for (const w of workers) {
    if (w.client === '' || (busyOnly && !holdsConnection(w.mode))) {
      continue;
    }
    ip.set(w.client, (ip.get(w.client) ?? 0) + 1);
    const n = networkOf(w.client);
    if (n !== null) {
      const e = net.get(n) ?? { count: 0, members: new Set<string>() };
      e.count += 1;
      e.members.add(w.client);
      net.set(n, e);
    }
  }
  const byCount = (a: Tally, b: Tally): number => b.count - a.count || a.key.localeCompare(b.key);
  return {
    byIp: [...ip].map(([key, count]) => ({ key, count, flagged: count > threshold })).sort(byCount),
    byNetwork: [...net].map(([key, v]) => ({ key, count: v.count, flagged: v.count > threshold, members: v.members.size })).sort(byCount),
    threshold,
  };
}

export type ConnInput = Readonly<{ eventId: number; proto: string; state: string | null; remoteIp: string | null; localPort: string; listen: boolean }>;

export type ConnectionAnalysis = Readonly<{
  states: Tally[];
  byRemoteIp: Tally[];
  byRemoteNetwork: Tally[];
  byLocalPort: Tally[];
  listeners: number;
  synRecv: number;
  threshold: number;
}>;

/**
 * Seed 004's table: TCP state mix, connections per remote IP / per /24 / per local port (an IP or
 * network above `threshold` is flagged), listeners, and the half-open SYN_RECV count (a SYN flood sign).
 */
export function analyseConnections(conns: ReadonlyArray<ConnInput>, threshold: number): ConnectionAnalysis {
  const states = new Map<string, number>();
  const ips = new Map<string, number>();
  const nets = new Map<string, { count: number; members: Set<string> }>();
  const ports = new Map<string, number>();
  let listeners = 0;
  let synRecv = 0;
  for (const c of conns) {
    if (c.listen) {
      listeners += 1;
    }
    if (c.proto.startsWith('tcp')) {
      const s = c.state ?? 'UNKNOWN';
      states.set(s, (states.get(s) ?? 0) + 1);
      if (s === 'SYN_RECV') {
        synRecv += 1;
      }
    }
    if (c.listen) {
      continue;
    }
    if (c.remoteIp !== null) {
      ips.set(c.remoteIp, (ips.get(c.remoteIp) ?? 0) + 1);
      const n = networkOf(c.remoteIp);
      if (n !== null) {
        const e = nets.get(n) ?? { count: 0, members: new Set<string>() };
        e.count += 1;
        e.members.add(c.remoteIp);
        nets.set(n, e);
      }
    }
    if (c.localPort !== '') {
      ports.set(c.localPort, (ports.get(c.localPort) ?? 0) + 1);
    }
  }
  const sorted = (m: Map<string, number>, flag: boolean): Tally[] =>
    [...m].map(([key, count]) => ({ key, count, flagged: flag && count > threshold })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
  return {
    states: [...states].map(([key, count]) => ({ key, count, flagged: key === 'SYN_RECV' && count > 0 })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    byRemoteIp: sorted(ips, true),
    byRemoteNetwork: [...nets].map(([key, v]) => ({ key, count: v.count, flagged: v.count > threshold, members: v.members.size })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    byLocalPort: sorted(ports, false),
    listeners,
    synRecv,
    threshold,
  };
}
