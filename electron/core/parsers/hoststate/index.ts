/** Host-state capture formats (document formats): server-status, netstat/ss, ps, top. */
import type { ParseResult, SourceKind } from '../../../../shared/domain/parsed';
import type { DocumentFormat } from './document';
import { openNetstat, sniffNetstat } from './netstat';
import { openPs, openTop, sniffPs, sniffTop } from './ps';
import { openServerStatus, sniffServerStatus } from './server-status';

export type { CaptureTime, DocumentContext, DocumentFormat, DocumentParser } from './document';
export { openNetstat, openPs, openServerStatus, openTop };

/** Out of its document a capture line cannot be re-parsed: its fields are stored with the event. */
function outOfContext(): ParseResult {
  return { ok: false, reason: 'host-state capture line: parsed with its whole capture (fields stored with the event)' };
}

type HostStateFormat = Readonly<{
  sourceKind: SourceKind;
  label: string;
  parse: (line: string) => ParseResult;
  sniffScore: (lines: string[]) => number;
  document: DocumentFormat;
}>;

export const serverStatusFormat: HostStateFormat = {
  sourceKind: 'server_status',
  label: 'Apache mod_status server-status (HTML, lynx -dump, ?auto)',
  parse: outOfContext,
  sniffScore: sniffServerStatus,
  document: { open: openServerStatus },
};

export const netstatFormat: HostStateFormat = {
  sourceKind: 'netstat',
  label: 'netstat / ss socket list',
  parse: outOfContext,
  sniffScore: sniffNetstat,
  document: { open: openNetstat },
};

export const psFormat: HostStateFormat = {
  sourceKind: 'ps',
  label: 'ps process list (-ef, aux)',
  parse: outOfContext,
  sniffScore: sniffPs,
  document: { open: openPs },
};

export const topFormat: HostStateFormat = {
  sourceKind: 'top',
  label: 'top -b batch output',
  parse: outOfContext,
  sniffScore: sniffTop,
  document: { open: openTop },
};
