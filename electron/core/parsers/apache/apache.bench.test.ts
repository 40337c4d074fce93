/**
 * Micro-benchmark of the Apache parsers. Runs only with DOSSIER_MICROBENCH=1, prints lines/s and
 * asserts nothing about time (machines differ):
 *   DOSSIER_MICROBENCH=1 npx vitest run electron/core/parsers/apache/apache.bench.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { LineParser } from '../../../../shared/domain/parsed';
import { parseAccessLine } from './access';
import { parseErrorLine } from './error';
import { NAMED_LOG_FORMATS, compileLogFormat } from './logformat';

const enabled = process.env['DOSSIER_MICROBENCH'] === '1';

function sampleAccessLines(n: number): string[] {
  const paths = ['/', '/index.html', '/images/logo.png?v=3', '/wp-login.php', '/api/v1/items/12345?sort=desc&page=2'];
  const agents = [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
    'curl/7.88.1',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `192.0.${(i >> 8) & 255}.${i & 255}`;
    const sec = String(i % 60).padStart(2, '0');
    const min = String(Math.floor(i / 60) % 60).padStart(2, '0');
    out.push(
      `${ip} - - [17/May/2015:10:${min}:${sec} +0000] "GET ${paths[i % paths.length] ?? '/'} HTTP/1.1" ${i % 7 === 0 ? 404 : 200} ${1000 + (i % 5000)} "http://www.example.com/start.html" "${agents[i % agents.length] ?? '-'}"`,
    );
  }
  return out;
}

function measure(name: string, parse: LineParser, lines: string[], rounds: number): number {
  let okCount = 0;
  for (const l of lines) {
    if (parse(l).ok) {
      okCount++;
    }
  }
  expect(okCount).toBe(lines.length);
  let best = 0;
  let bestCpu = 0;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const l of lines) {
      parse(l);
    }
    const dt = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    best = Math.max(best, lines.length / (dt / 1000));
    bestCpu = Math.max(bestCpu, lines.length / ((cpu.user + cpu.system) / 1e6));
  }
  // CPU-time rate is the figure to compare on a shared, loaded machine (wall time includes waiting).
  console.log(
    `[microbench] ${name}: ${Math.round(best).toLocaleString('en-US')} lines/s wall, ` +
      `${Math.round(bestCpu).toLocaleString('en-US')} lines/s per CPU-second (best of ${rounds} x ${lines.length})`,
  );
  return best;
}

describe.skipIf(!enabled)('apache parsers micro-benchmark', () => {
  it('combined access lines', () => {
    measure('parseAccessLine combined', parseAccessLine, sampleAccessLines(200_000), 5);
  });

  it('compiled combined LogFormat', () => {
    const c = compileLogFormat(NAMED_LOG_FORMATS.combined);
    if (!c.ok) {
      throw new Error(c.error);
    }
    measure('compileLogFormat(combined)', c.parser, sampleAccessLines(200_000), 5);
  });

  it('error lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 100_000; i++) {
      lines.push(
        i % 2 === 0
          ? `[Sun May 05 13:42:45.123456 2010] [core:error] [pid ${i}:tid 456] [client 192.0.2.${i & 255}:5678] AH00128: File does not exist: /var/www/x${i}`
          : `[Sun May 05 13:42:45 2010] [error] [client 192.0.2.${i & 255}] File does not exist: /var/www/x${i}, referer: http://example.com/`,
      );
    }
    measure('parseErrorLine', parseErrorLine, lines, 5);
  });
});
