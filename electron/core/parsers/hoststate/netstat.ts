/**
 * netstat and ss captures: `netstat -an`, `-anp`, `-nat`, `-aeep` (Linux net-tools), BSD/macOS
 * `netstat -an` (addresses as `host.port`, `(state)` header), and `ss -tanp` / `ss -tulpen`.
 *
 * Events: `tcp_conn` / `udp_conn` / `raw_socket` (one per internet socket row; srcIp/srcPort = the
 * remote end, `extra.local_*`, `extra.state` canonical, `extra.listen`), `unix_socket` (UNIX domain
 * rows). Headers are raw. Pure and total.
 */
import { canonicalTcpState, type NetstatSummary } from '../../../../shared/domain/hoststate';
import type { ParseResult } from '../../../../shared/domain/parsed';
import { captureEvent, fail, incr, isIpAddress, MAX_DOC_LINE, captureFromDateLine, parseDateLine, tokens, unmapIp, type DocumentContext, type DocumentParser } from './document';

export type NetstatFlavour = Readonly<{ tool: 'netstat' | 'ss'; dialect: 'linux' | 'bsd' }>;

const NETSTAT_HEADER = /^Proto\s+Recv-Q\s+Send-Q\s+Local\s+Address\s+Foreign\s+Address/u;
const SS_HEADER = /^(?:Netid\s+)?State\s+Recv-Q\s+Send-Q\s+Local\s+Address:Port\s+Peer\s+Address:Port/u;
const NETSTAT_ROW = /^(?:tcp|udp|raw|sctp)[46]?\s+\d+\s+\d+\s+\S+\s+\S+/u;
const SS_ROW = /^(?:(?:tcp|udp|raw|u_str|u_dgr|u_seq|nl|p_raw|p_dgr|sctp)\s+)?(?:ESTAB|LISTEN|TIME-WAIT|SYN-SENT|SYN-RECV|FIN-WAIT-1|FIN-WAIT-2|CLOSE-WAIT|LAST-ACK|CLOSING|CLOSED|UNCONN|UNKNOWN)\s+\d+\s+\d+\s/u;

export function netstatFlavour(lines: ReadonlyArray<string>): NetstatFlavour | null {
  let header: NetstatFlavour | null = null;
  let rows = 0;
  let nonEmpty = 0;
  for (const raw of lines.slice(0, 200)) {
    const l = raw.length > 4096 ? raw.slice(0, 4096) : raw;
    if (l.trim() === '') {
      continue;
    }
    nonEmpty += 1;
    if (header === null && NETSTAT_HEADER.test(l)) {
      header = { tool: 'netstat', dialect: /\(state\)/u.test(l) ? 'bsd' : 'linux' };
    } else if (header === null && SS_HEADER.test(l)) {
      header = { tool: 'ss', dialect: 'linux' };
    } else if (NETSTAT_ROW.test(l) || SS_ROW.test(l) || /^unix\s+\d+\s+\[/u.test(l) || /^Active (?:Internet|UNIX)/u.test(l)) {
      rows += 1;
    }
  }
  if (header !== null) {
    return header;
  }
  // headerless output (a `grep`ped capture): rows alone
  return nonEmpty > 0 && rows / nonEmpty >= 0.6 ? { tool: lines.some((l) => SS_ROW.test(l)) ? 'ss' : 'netstat', dialect: 'linux' } : null;
}

export function sniffNetstat(lines: ReadonlyArray<string>): number {
  return netstatFlavour(lines) === null ? 0 : 0.96;
}

export type Endpoint = Readonly<{ address: string; port: string }>;

/** Splits `ip:port` (Linux, ss), `[v6]:port`, `host.port` (BSD), `*.*`, `*:*`. */
export function splitEndpoint(text: string, dialect: 'linux' | 'bsd'): Endpoint {
  if (dialect === 'bsd') {
    const i = text.lastIndexOf('.');
    return i < 0 ? { address: text, port: '' } : { address: text.slice(0, i), port: text.slice(i + 1) };
  }
  const b = /^(\[[^\]]*\]):(\S*)$/u.exec(text);
  if (b !== null) {
    // netstat keeps the brackets (`[::]:ssh`); the address without them is used for srcIp
    return { address: b[1] ?? '', port: b[2] ?? '' };
  }
  const i = text.lastIndexOf(':');
  return i < 0 ? { address: text, port: '' } : { address: text.slice(0, i), port: text.slice(i + 1) };
}

function cleanAddress(a: string): string {
  const noZone = a.replace(/^\[|\]$/gu, '').replace(/%[^%]*$/u, '');
  return unmapIp(noZone);
}

const WILDCARD = new Set(['*', '0.0.0.0', '::', '[::]', '']);

function emptySummary(f: NetstatFlavour): NetstatSummary {
  return { kind: 'netstat', tool: f.tool, dialect: f.dialect, sockets: 0, tcp: 0, udp: 0, unix: 0, listeners: 0, states: {} };
}

export function openNetstat(ctx: DocumentContext): DocumentParser {
  let flavour: NetstatFlavour = netstatFlavour(ctx.headLines) ?? { tool: 'netstat', dialect: 'linux' };
  const capture = captureFromDateLine(ctx);
  const s = emptySummary(flavour);
  const states: Record<string, number> = {};
  let hasUserInode = false;
  let ssHasNetid = true;

  const socket = (proto: string, localText: string, remoteText: string, stateRaw: string | null, rest: string, extraBase: Record<string, string | number | null>): ParseResult => {
    const local = splitEndpoint(localText, flavour.dialect);
    const remote = splitEndpoint(remoteText, flavour.dialect);
    // ss writes the interface after the address (`127.0.0.53%lo:53`): kept apart
    const zone = /^([^%]*)%(\S+)$/u.exec(local.address);
    if (zone !== null && flavour.tool === 'ss') {
      extraBase = { ...extraBase, interface: zone[2] ?? null };
    }
    const localAddress = zone !== null && flavour.tool === 'ss' ? (zone[1] ?? '') : local.address;
    const isTcp = proto.startsWith('tcp');
    const isUdp = proto.startsWith('udp');
    const state = stateRaw === null || stateRaw === '' ? null : canonicalTcpState(stateRaw);
    const listen = state === 'LISTEN' || (isUdp && (remote.port === '*' || remote.port === '') && WILDCARD.has(remote.address) && (state === null || state === 'UNCONN'));
    s.sockets += 1;
    if (isTcp) {
      s.tcp += 1;
      incr(states, state ?? 'UNKNOWN');
    } else if (isUdp) {
      s.udp += 1;
    }
    if (listen) {
      s.listeners += 1;
    }
    // PID/Program: `1234/sshd: user`, `-`, or ss's users:(("sshd",pid=1234,fd=3))
    let pid: number | null = null;
    let program: string | null = null;
    const ssUsers = /users:\(\("((?:[^"\\]|\\.){0,256})",pid=(\d+)/u.exec(rest);
    if (ssUsers !== null) {
      program = ssUsers[1] ?? null;
      pid = Number(ssUsers[2]);
    } else {
      const p = /(?:^|\s)(\d+)\/(\S.*)$/u.exec(rest);
      if (p !== null) {
        pid = Number(p[1]);
        program = (p[2] ?? '').trim();
      }
    }
    const remoteAddr = cleanAddress(remote.address);
    const remoteIsIp = isIpAddress(remoteAddr) && !WILDCARD.has(remoteAddr);
    const remotePort = /^\d{1,5}$/u.test(remote.port) ? Number(remote.port) : null;
    const kind = isTcp ? 'tcp_conn' : isUdp ? 'udp_conn' : 'raw_socket';
    const message = `${proto} ${localText} ${remoteText}${stateRaw === null ? '' : ` ${stateRaw}`}${pid === null ? '' : ` ${pid}/${program ?? ''}`}`;
    return captureEvent(capture, kind, message, {
      program: program === null ? null : program.slice(0, 255),
      pid,
      srcIp: remoteIsIp ? remoteAddr : null,
      srcPort: remoteIsIp ? remotePort : null,
      extra: {
        ...extraBase,
        proto,
        local_address: localAddress,
        local_port: local.port,
        local_port_num: /^\d{1,5}$/u.test(local.port) ? Number(local.port) : null,
        foreign_address: remote.address,
        foreign_port: remote.port,
        state,
        state_raw: stateRaw,
        listen,
      },
    });
  };

  const netstatRow = (line: string): ParseResult => {
    const t = tokens(line);
    if (t.length < 5) {
      return fail('short netstat row');
    }
    const proto = t[0]?.text ?? '';
    const recvQ = Number(t[1]?.text);
    const sendQ = Number(t[2]?.text);
    let k = 5;
    let state: string | null = null;
    const next = t[k]?.text;
    if (next !== undefined && (/^[A-Z][A-Z0-9_]{1,15}$/u.test(next) || (proto.startsWith('raw') && /^\d{1,3}$/u.test(next)))) {
      state = next;
      k += 1;
    }
    const extra: Record<string, string | number | null> = { recv_q: Number.isFinite(recvQ) ? recvQ : null, send_q: Number.isFinite(sendQ) ? sendQ : null };
    if (hasUserInode && t[k] !== undefined && t[k + 1] !== undefined && /^\d+$/u.test(t[k + 1]?.text ?? '')) {
      extra['user'] = t[k]?.text ?? null;
      extra['inode'] = Number(t[k + 1]?.text);
      k += 2;
    }
    const rest = t[k] === undefined ? '' : line.slice(t[k]?.start ?? line.length).trimEnd();
    return socket(proto, t[3]?.text ?? '', t[4]?.text ?? '', state, rest, extra);
  };

  const unixRow = (line: string): ParseResult => {
    s.unix += 1;
    const m = /^unix\s+(\d+)\s+\[([^\]]{0,64})\]\s+(\S+)\s+(?:(\S*LISTENING|CONNECTED|CONNECTING|DISCONNECTING|FREE)\s+)?(\d+)(?!\d)(.*)$/u.exec(line.trimEnd());
    const rest = (m?.[6] ?? '').trim();
    const p = /^(\d+)\/(\S+)(?!\S)(.*)$/u.exec(rest);
    return captureEvent(capture, 'unix_socket', line.trim().replace(/\s+/gu, ' '), {
      pid: p === null ? null : Number(p[1]),
      program: p?.[2] ?? null,
      extra: {
        proto: 'unix', ref_cnt: m === null ? null : Number(m[1]), flags: m?.[2]?.trim() ?? null, type: m?.[3] ?? null, state: m?.[4] ?? null,
        inode: m === null ? null : Number(m[5]), path: p === null ? (rest.startsWith('-') ? rest.slice(1).trim() : rest.trim()) || null : (p[3] ?? '').trim() || null,
      },
    });
  };

  const ssRow = (line: string): ParseResult => {
    const t = tokens(line);
    let k = 0;
    let proto = 'tcp';
    if (ssHasNetid && t[0] !== undefined && /^[a-z_]{2,8}$/u.test(t[0].text)) {
      proto = t[0].text;
      k = 1;
    }
    const state = t[k]?.text ?? '';
    const recvQ = Number(t[k + 1]?.text);
    const sendQ = Number(t[k + 2]?.text);
    const local = t[k + 3]?.text ?? '';
    const peer = t[k + 4]?.text ?? '';
    if (local === '' || peer === '') {
      return fail('short ss row');
    }
    if (proto.startsWith('u_') || proto === 'nl' || proto.startsWith('p_')) {
      s.unix += proto.startsWith('u_') ? 1 : 0;
      return captureEvent(capture, 'unix_socket', line.trim().replace(/\s+/gu, ' '), { extra: { proto, state, local, peer } });
    }
    const rest = t[k + 5] === undefined ? '' : line.slice(t[k + 5]?.start ?? line.length).trimEnd();
    return socket(proto, local, peer, state, rest, { recv_q: Number.isFinite(recvQ) ? recvQ : null, send_q: Number.isFinite(sendQ) ? sendQ : null });
  };

  return {
    capture,
    parseLine(line: string): ParseResult {
      if (line.length > MAX_DOC_LINE) {
        return fail('line too long for a netstat capture');
      }
      const l = line.trimEnd();
      if (l.trim() === '') {
        return fail('blank');
      }
      if (l.length < 200 && parseDateLine(l) !== null) {
        return captureEvent(capture, 'capture_time', l.trim(), { program: 'date' });
      }
      if (NETSTAT_HEADER.test(l)) {
        flavour = { tool: 'netstat', dialect: /\(state\)/u.test(l) ? 'bsd' : 'linux' };
        s.dialect = flavour.dialect;
        hasUserInode = /\bUser\s+Inode\b/u.test(l);
        return fail('netstat header');
      }
      if (SS_HEADER.test(l)) {
        flavour = { tool: 'ss', dialect: 'linux' };
        s.tool = 'ss';
        ssHasNetid = /^Netid/u.test(l);
        return fail('ss header');
      }
      if (/^Active |^Proto\s+RefCnt/u.test(l)) {
        return fail('netstat section header');
      }
      if (/^unix\s+\d+\s/u.test(l)) {
        return unixRow(l);
      }
      const bsdUnix = /^([0-9a-f]{8,16})\s+(stream|dgram|seqpac\w*)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?!\S)(.*)$/u.exec(l);
      if (bsdUnix !== null) {
        s.unix += 1;
        return captureEvent(capture, 'unix_socket', l.trim().replace(/\s+/gu, ' '), {
          extra: { proto: 'unix', address: bsdUnix[1] ?? null, type: bsdUnix[2] ?? null, inode: bsdUnix[5] ?? null, path: (bsdUnix[9] ?? '').trim() || null },
        });
      }
      if (/^Address\s+Type\s+Recv-Q/u.test(l)) {
        return fail('netstat section header');
      }
      if (flavour.tool === 'ss' && SS_ROW.test(l)) {
        return ssRow(l);
      }
      if (NETSTAT_ROW.test(l)) {
        return netstatRow(l);
      }
      if (SS_ROW.test(l)) {
        return ssRow(l);
      }
      return fail('not a netstat/ss row');
    },
    finish(): NetstatSummary {
      return { ...s, states };
    },
  };
}
