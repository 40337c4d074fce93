/**
 * Per-file helper for the ingest pipeline: sshd logs the client address once per connection (e.g.
 * `Connection from IP port N on …`) and later lines of the same process (`Disconnecting: Too many
 * authentication failures`, `fatal: Read from socket failed`, `kex_exchange_identification: …`) omit it.
 * The correlator remembers the last address seen per (host, program, pid) and fills `srcIp` (and
 * `srcPort`, `extra.remote_host`) on later events of that process that lack one, marking them with
 * `extra.src_ip_source = 'pid_correlation'`. Pure apart from its own bounded state; feed events in file order.
 */
import type { ParsedEvent } from '../../../../shared/domain/parsed';
import { programBase } from './auth';

const SSH_PROGRAMS = new Set(['sshd', 'sshd-session', 'sshd-auth', 'dropbear']);
const CLOSING_KINDS = new Set(['ssh_disconnect']);
const MAX_ENTRIES = 20_000;

type Remembered = { ip: string | null; port: number | null; remoteHost: string | null };

export type SshdCorrelator = Readonly<{
  /** Returns the event itself, or a copy with the remembered address filled in. */
  apply(event: ParsedEvent): ParsedEvent;
  /** Number of processes currently remembered (for tests). */
  size(): number;
}>;

export function createSshdCorrelator(): SshdCorrelator {
  const map = new Map<string, Remembered>();
  function apply(event: ParsedEvent): ParsedEvent {
    if (event.pid === null || event.program === null || !SSH_PROGRAMS.has(programBase(event.program))) {
      return event;
    }
    const key = `${event.host ?? ''}\u0000${programBase(event.program)}\u0000${event.pid}`;
    const remoteHost = typeof event.extra['remote_host'] === 'string' ? event.extra['remote_host'] : null;
    let out = event;
    if (event.srcIp !== null || remoteHost !== null) {
      map.delete(key);
      map.set(key, { ip: event.srcIp, port: event.srcPort, remoteHost });
      if (map.size > MAX_ENTRIES) {
        const oldest = map.keys().next();
        if (oldest.done !== true) {
          map.delete(oldest.value);
        }
      }
    } else {
      const r = map.get(key);
      if (r !== undefined) {
        const extra: Record<string, string | number | boolean | null> = { ...event.extra, src_ip_source: 'pid_correlation' };
        if (r.remoteHost !== null) {
          extra['remote_host'] = r.remoteHost;
        }
        out = { ...event, srcIp: r.ip, srcPort: event.srcPort ?? r.port, extra };
      }
    }
    if (CLOSING_KINDS.has(event.kind)) {
      map.delete(key);
    }
    return out;
  }
  return { apply, size: () => map.size };
}
