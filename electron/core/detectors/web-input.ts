/**
 * One log line (access or error, as text) → the fields the web rules look at. Used by the rule
 * examples test, the conformance test and the CLI; the detectors read the same fields from the case.
 */
import { parseAccessLine, parseErrorLine } from '../parsers/apache';
import type { WebInput } from './web-rules';

export function webInputOfLine(line: string): WebInput {
  const access = parseAccessLine(line);
  if (access.ok && access.event.http !== null) {
    const h = access.event.http;
    const url = h.path === null ? null : h.query === null ? h.path : `${h.path}?${h.query}`;
    return { source: 'access', url, ua: h.userAgent, message: null, status: h.status };
  }
  // Error logs, also wrapped in syslog (`Feb 15 16:23:00 srv httpd[22034]: [authz_core:error] ...`).
  const bracket = line.startsWith('[') ? 0 : line.indexOf(': [');
  const body = bracket > 0 ? line.slice(bracket + 2) : line;
  const error = parseErrorLine(body);
  return { source: 'error', url: null, ua: null, message: error.ok ? error.event.message : line, status: null };
}
