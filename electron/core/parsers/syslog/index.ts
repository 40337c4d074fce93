/**
 * Syslog-family formats. `auth` (auth.log / secure) uses the same parser as `syslog`; only the source kind
 * differs, so the timeline can tell them apart. See syslog-line.ts for the grammar and auth.ts for the
 * program-specific enrichment.
 */
import type { LineParser, SourceKind } from '../../../../shared/domain/parsed';
import { programBase } from './auth';
import { parseSyslogLine } from './syslog-line';

export { parseSyslogLine } from './syslog-line';
export { enrichAuthMessage, apacheActionFromCommand, parsePamKv, programBase, type Enrichment } from './auth';
export { createSshdCorrelator, type SshdCorrelator } from './sshd-correlator';
export { addressAt, ipAt, genericRemoteIp, isIpLiteral, type Address } from './address';

export type LineFormat = Readonly<{
  id: string;
  sourceKind: SourceKind;
  label: string;
  parse: LineParser;
  /** 0..1: how well a sample of a file's first lines fits this format. */
  sniffScore: (lines: ReadonlyArray<string>) => number;
}>;

/** Fraction of the non-empty lines that `parse` accepts (0 when there is no non-empty line). */
export function fractionParsed(lines: ReadonlyArray<string>, parse: LineParser): number {
  let total = 0;
  let ok = 0;
  for (const l of lines) {
    if (l.trim() === '') {
      continue;
    }
    total++;
    if (parse(l).ok) {
      ok++;
    }
  }
  return total === 0 ? 0 : ok / total;
}

/** Fraction of non-empty lines that parse as syslog. */
export function sniffScore(lines: ReadonlyArray<string>): number {
  return fractionParsed(lines, parseSyslogLine);
}

const AUTH_PROGRAMS = new Set([
  'sshd',
  'sshd-session',
  'sshd-auth',
  'sudo',
  'su',
  'cron',
  'crond',
  'login',
  'systemd-logind',
  'useradd',
  'usermod',
  'userdel',
  'groupadd',
  'passwd',
  'chpasswd',
  'dropbear',
  'polkitd',
  'pkexec',
  'gdm-password',
]);

/**
 * Share of parsed lines written by authentication programs (sshd, sudo, su, cron, PAM…), 0..1. The format
 * registry can use it to prefer `auth` over `syslog` for an auth.log whose name did not say so.
 */
export function authShare(lines: ReadonlyArray<string>): number {
  let parsed = 0;
  let auth = 0;
  for (const l of lines) {
    const r = parseSyslogLine(l);
    if (!r.ok) {
      continue;
    }
    parsed++;
    const p = r.event.program;
    if ((p !== null && AUTH_PROGRAMS.has(programBase(p))) || r.event.kind.startsWith('pam_') || r.event.kind.startsWith('session_')) {
      auth++;
    }
  }
  return parsed === 0 ? 0 : auth / parsed;
}

/** Auth-log sniff: the parsed fraction, lowered slightly when few lines come from auth programs. */
export function sniffAuthScore(lines: ReadonlyArray<string>): number {
  return sniffScore(lines) * (0.9 + 0.1 * authShare(lines));
}

/** Syslog sniff for the registry: the parsed fraction, lowered slightly when most lines are auth lines. */
export function sniffSyslogScore(lines: ReadonlyArray<string>): number {
  return sniffScore(lines) * (1 - 0.1 * authShare(lines));
}

export const syslogFormat: LineFormat = {
  id: 'syslog',
  sourceKind: 'syslog',
  label: 'Syslog (RFC 3164 / RFC 5424 / rsyslog)',
  parse: parseSyslogLine,
  sniffScore: sniffSyslogScore,
};

export const authLogFormat: LineFormat = {
  id: 'auth',
  sourceKind: 'auth',
  label: 'auth.log / secure (syslog)',
  parse: parseSyslogLine,
  sniffScore: sniffAuthScore,
};
